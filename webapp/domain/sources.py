"""The portfolio's inputs: any mix of claim files and accounting exports (FEC, invoice CSV)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .assessment import assess
from .claim_file import load_claim
from .fec import decode, looks_like_fec, read_fec
from .ledger_csv import looks_like_csv, read_csv
from .portfolio import client_from_assessment
from .procedures import Library
from .receivables import CREDIT_NOTE, PAYMENT, Client, Credit, Debit, Ledger, LedgerFileError, match, merge

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
        try:
            data = path.read_bytes()
        except OSError as error:
            raise LedgerFileError(None, "", f"impossible de lire ce fichier ({error.strerror})", str(path)) from None
        ledger = read_ledger(data, as_of, terms_days, path.name)
        if ledger is not None:
            clients.extend(ledger.clients)
        else:
            assessed = assess(load_claim(path), library, as_of)
            clients.append(client_from_assessment(assessed, assessed.claim.debtor.siren))
    return merge(clients)


def client_from_claim_data(data: dict[str, Any], terms_days: int) -> Client:
    """A claim still being completed, as its books say: invoices less payments and credit notes.

    Reads what it can of unvalidated claim data (an entry it cannot read is left out), so
    that a dossier imported from a ledger counts in the portfolio before it is complete.
    """
    debtor = data.get("debtor") if isinstance(data.get("debtor"), dict) else {}
    debits = [d for d in (_debit(x) for x in _items(data, "invoices")) if d]
    credits = [c for c in (_credit(x, PAYMENT) for x in _items(data, "payments")) if c]
    credits += [c for c in (_credit(x, CREDIT_NOTE) for x in _items(data, "credit_notes")) if c]
    invoices, left = match(debits, credits, timedelta(days=terms_days))
    proceedings = debtor.get("proceedings") if isinstance(debtor.get("proceedings"), dict) else {}
    kind = proceedings.get("kind") if proceedings.get("kind") in ("sauvegarde", "redressement", "liquidation") else None
    return Client(
        str(debtor.get("name") or "Client sans nom"),
        None,
        invoices,
        left,
        kind or "none",
        _day(proceedings.get("opened")) if kind else None,
        dossiers=1,
        sources=("dossier",),
    )


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key)
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def _debit(x: dict[str, Any]) -> Debit | None:
    issued, amount, number = _day(x.get("issued")), _money(x.get("amount")), x.get("number")
    if issued is None or amount is None or amount <= 0 or not number:
        return None
    return Debit(str(number), issued, amount, str(number), _day(x.get("due")))


def _credit(x: dict[str, Any], kind: str) -> Credit | None:
    day, amount = _day(x.get("date")), _money(x.get("amount"))
    if day is None or amount is None or amount <= 0:
        return None
    return Credit(day, amount, kind, str(x.get("number") or ""), str(x.get("invoice") or ""))


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _money(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None
