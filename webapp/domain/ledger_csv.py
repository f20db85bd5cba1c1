"""A simple CSV of invoices, for software that cannot export a FEC.

One line per invoice, with these French headers (any order, case and accents ignored):

    client ; numéro ; date ; échéance ; montant TTC ; payé ; date de paiement

``client``, ``numéro``, ``date`` and ``montant TTC`` are required; ``échéance`` defaults to
the payment term; ``payé`` is the amount already paid (or ``oui`` / ``non``), with the
``date de paiement`` of the last payment; an optional ``compte`` column names the client
account. Separated by `;` (as French spreadsheets write), `,` or tab; dates JJ/MM/AAAA or
AAAA-MM-JJ; amounts with a decimal comma or point; UTF-8 or Windows-1252.
"""

from __future__ import annotations

import csv
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from .fec import decode
from .money import ZERO
from .receivables import PAYMENT, Client, Credit, Debit, Ledger, LedgerFileError, match

HEADERS = {
    "client": "client",
    "compte": "account",
    "numero": "number",
    "n°": "number",
    "date": "issued",
    "date de facture": "issued",
    "echeance": "due",
    "montant ttc": "amount",
    "paye": "paid",
    "montant paye": "paid",
    "date de paiement": "paid_on",
}
REQUIRED = {"client": "client", "number": "numéro", "issued": "date", "amount": "montant TTC"}
LABELS = {"client": "client", "account": "compte", "number": "numéro", "issued": "date", "due": "échéance",
          "amount": "montant TTC", "paid": "payé", "paid_on": "date de paiement"}  # fmt: skip


def _plain(text: str) -> str:
    """Lower case, without accents or extra spaces: how headers are compared."""
    decomposed = unicodedata.normalize("NFKD", text.strip().strip("\ufeff").lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def looks_like_csv(head: str) -> bool:
    """Whether a file's first line holds this format's headers."""
    first = _plain(head.split("\n", 1)[0])
    return "client" in first and "montant" in first


def read_csv(data: bytes, as_of: date, terms_days: int) -> Ledger:
    """The clients of an invoice CSV on ``as_of``; raises LedgerFileError naming the line and column."""
    text = decode(data, "cp1252")  # what French spreadsheets write when not UTF-8
    first = text.split("\n", 1)[0]
    sep = ";" if ";" in first else "\t" if "\t" in first else ","
    rows = csv.reader(text.splitlines(), delimiter=sep)
    header = next(rows, [])
    columns = _columns(header)
    debits: dict[str, list[Debit]] = {}
    credits: dict[str, list[Credit]] = {}
    names: dict[str, str] = {}
    lines = ignored = 0
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        lines += 1
        values = _row(number, row, columns)
        if values["issued"] > as_of:
            ignored += 1
            continue
        key = values.get("account") or values["client"]
        names.setdefault(key, values["client"])
        letter = f"ligne {number}"  # a payment on this line settles this line's invoice
        invoice = Debit(values["number"], values["issued"], values["amount"], letter, values["due"])
        debits.setdefault(key, []).append(invoice)
        paid = values.get("paid", ZERO)
        if paid > 0 and values["paid_on"] <= as_of:
            credits.setdefault(key, []).append(Credit(values["paid_on"], paid, PAYMENT, values["number"], letter))
    terms = timedelta(days=terms_days)
    clients = []
    for key, name in names.items():
        invoices, left = match(debits.get(key, ()), credits.get(key, ()), terms)
        account = key if key != name else None
        clients.append(Client(name, account, invoices, left, sources=("csv",)))
    return Ledger(tuple(clients), lines, lines - ignored, ignored)


def _columns(header: list[str]) -> dict[str, int]:
    """Where each known header is; the first required one missing refuses the file."""
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        field = HEADERS.get(_plain(name))
        if field and field not in columns:
            columns[field] = i
    for field, label in REQUIRED.items():
        if field not in columns:
            expected = " ; ".join(LABELS.values())
            raise LedgerFileError(1, label, f"colonne absente de l'en-tête (colonnes attendues : {expected})")
    return columns


def _row(number: int, row: list[str], columns: dict[str, int]) -> dict:
    """One line's values, typed; the first problem raises, naming its column."""
    cells = {field: (row[i].strip() if i < len(row) else "") for field, i in columns.items()}
    values: dict = {}
    for field in ("client", "number"):
        if not cells[field]:
            raise LedgerFileError(number, LABELS[field], "valeur absente")
        values[field] = cells[field]
    if cells.get("account"):
        values["account"] = cells["account"]
    values["issued"] = _date(number, cells["issued"], "issued", required=True)
    values["due"] = _date(number, cells.get("due", ""), "due")
    values["amount"] = _amount(number, cells["amount"], "amount")
    if values["amount"] <= 0:
        raise LedgerFileError(number, LABELS["amount"], "le montant d'une facture doit être positif")
    paid = cells.get("paid", "")
    word = _plain(paid)
    if word in ("oui", "", "non"):
        values["paid"] = values["amount"] if word == "oui" else ZERO
    else:
        values["paid"] = _amount(number, paid, "paid")
    if values["paid"] > values["amount"]:
        raise LedgerFileError(number, LABELS["paid"], "le montant payé dépasse le montant de la facture")
    if values["paid"] > 0:
        values["paid_on"] = _date(number, cells.get("paid_on", ""), "paid_on", required=True)
    return values


def _date(number: int, raw: str, field: str, required: bool = False) -> date | None:
    """JJ/MM/AAAA or AAAA-MM-JJ; a wrong one names its line and column."""
    if not raw:
        if required:
            raise LedgerFileError(number, LABELS[field], "date absente (JJ/MM/AAAA attendu)")
        return None
    try:
        if len(raw) == 10 and raw[4] == "-":
            return date.fromisoformat(raw)
        day, month, year = raw.replace("-", "/").replace(".", "/").split("/")
        return date(int(year), int(month), int(day))
    except ValueError:
        raise LedgerFileError(number, LABELS[field], f"date invalide « {raw} » (JJ/MM/AAAA attendu)") from None


def _amount(number: int, raw: str, field: str) -> Decimal:
    """A French amount (``1 234,56 €``) with at most two decimals."""
    text = raw.replace("€", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or value.as_tuple().exponent < -2:
        raise LedgerFileError(number, LABELS[field], f"montant invalide « {raw} » (par exemple 1234,56)")
    return value
