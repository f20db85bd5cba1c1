"""The portfolio's inputs: any mix of claim files and accounting exports (FEC, invoice CSV)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .assessment import assess
from .claim_file import load_claim
from .fec import decode, looks_like_fec, read_fec
from .ledger_csv import looks_like_csv, read_csv
from .portfolio import client_from_assessment
from .procedures import Library
from .receivables import Client, Ledger, LedgerFileError, merge

SNIFF_BYTES = 4096


def read_ledger(data: bytes, as_of: date, terms_days: int, name: str = "") -> Ledger | None:
    """The ledger a file holds, by its first line; None when it is neither a FEC nor an invoice CSV."""
    head = decode(data[:SNIFF_BYTES])
    try:
        if looks_like_fec(head):
            return read_fec(data, as_of, terms_days)
        if looks_like_csv(head):
            return read_csv(data, as_of, terms_days)
    except LedgerFileError as error:
        raise error.in_file(name) from None
    return None


def load_clients(paths: list[Path], library: Library, as_of: date, terms_days: int) -> list[Client]:
    """Every client of the files, merged by account (or name); a claim file is assessed by the engine."""
    clients: list[Client] = []
    for path in paths:
        ledger = read_ledger(path.read_bytes(), as_of, terms_days, path.name)
        if ledger is not None:
            clients.extend(ledger.clients)
        else:
            assessed = assess(load_claim(path), library, as_of)
            clients.append(client_from_assessment(assessed, assessed.claim.debtor.siren))
    return merge(clients)
