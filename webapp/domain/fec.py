"""Reading a FEC (fichier des écritures comptables, art. A47 A-1 LPF) into clients' receivables.

Tolerant of what real software writes: the 18 columns found by their header names (with
Debit/Credit or Montant/Sens), `|`, tab (or `;`) separated, UTF-8 with or without BOM or
ISO-8859-15, CRLF or LF, amounts with a decimal comma, zero-padded or not, dates
YYYYMMDD. Client accounts are 411… (and 416…, doubtful clients), named by CompAuxNum /
CompAuxLib; their debits are invoices, their credits payments or credit notes, matched by
the lettering (EcritureLet, DateLet), partial or not. Lines dated after the as-of date are
left out, and so is a lettering made after it. A malformed line refuses the whole file,
naming its line and column: nothing half-read is ever used.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from .money import ZERO
from .receivables import CREDIT_NOTE, PAYMENT, Client, Credit, Debit, Ledger, LedgerFileError, match

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
CLIENT_ACCOUNTS = ("411", "416")  # clients, doubtful clients (plan comptable général)
DOUBTFUL = "416"
TREASURY, REVENUE = 1, 2  # what the other lines of an entry tell about a credit to a client
_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")
_PLAIN_AMOUNT = re.compile(r"-?\d*(?:[.,]\d+)?")  # the usual shape, checked without building a number
_SPACES = str.maketrans("", "", " \u00a0\u202f'\"")


def decode(data: bytes, fallback: str = "iso-8859-15") -> str:
    """UTF-8 (with or without BOM), else ``fallback``: ISO-8859-15, as the FEC rules allow."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(fallback, errors="replace")


def looks_like_fec(head: str) -> bool:
    """Whether a file's first line is a FEC header."""
    first = head.split("\n", 1)[0].lower()
    return "journalcode" in first and "ecriturenum" in first


def read_fec(data: bytes, as_of: date, terms_days: int) -> Ledger:
    """The clients of a FEC on ``as_of``; raises LedgerFileError naming the line and column."""
    lines = decode(data).split("\n")
    sep, index = _header(lines[0].rstrip("\r"))
    reader = _Reader(sep, index, as_of)
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if line.strip():
            reader.read(number, line)
    return reader.ledger(timedelta(days=terms_days))


def _header(line: str) -> tuple[str, dict[str, int]]:
    """The separator and the position of every column, from the header line."""
    sep = next((s for s in ("\t", "|", ";") if s in line), None)
    if sep is None:
        raise LedgerFileError(1, "", "en-tête FEC illisible : colonnes séparées par | ou par tabulation attendues")
    names = [n.strip().strip('"').lower() for n in line.split(sep)]
    if names and names[-1] == "":
        names.pop()
    index = {n: i for i, n in enumerate(names)}
    amounts = ("debit", "credit") if "debit" in index else ("montant", "sens")
    for name in (*COLUMNS, *amounts):
        if name.lower() not in index:
            expected = ", ".join(COLUMNS)
            raise LedgerFileError(1, name, f"colonne absente de l'en-tête (un FEC a 18 colonnes : {expected}…)")
    index["_width"] = len(names)
    return sep, index


class _Reader:
    """Reads the lines one by one, keeping only what client accounts need."""

    def __init__(self, sep: str, index: dict[str, int], as_of: date):
        self.sep, self.as_of = sep, as_of
        self.width = index["_width"]
        self.i = {k: v for k, v in index.items() if k != "_width"}
        self.signed = "montant" in self.i
        self.at_date = self.i["ecrituredate"]
        names = ("montant",) if self.signed else ("debit", "credit")
        self.amount_columns = tuple((self.i[n], _name(n)) for n in names)
        self.dates: dict[str, date | None] = {"": None}
        self.flags: dict[tuple[str, str], int] = {}
        self.rows: list[tuple] = []
        self.names: dict[str, str] = {}
        self.doubtful: set[str] = set()
        self.lines = self.ignored = 0
        self.first: date | None = None
        self.last: date | None = None

    def read(self, number: int, line: str) -> None:
        """Read one line: check it whole, keep what a client account needs."""
        f = line.split(self.sep)
        if '"' in line:  # some software quotes every field
            f = [x.strip().strip('"') for x in f]
        if len(f) != self.width:
            if len(f) == self.width + 1 and f[-1] == "":
                f.pop()
            else:
                raise LedgerFileError(number, "", f"{len(f)} colonnes au lieu de {self.width}")
        self.lines += 1
        i = self.i
        day = self.dates.get(f[self.at_date]) or self._date(number, f, "ecrituredate", required=True)
        account = f[i["comptenum"]].strip()
        if not account.startswith(CLIENT_ACCOUNTS):
            self._check_amounts(number, f)  # only checked: no other account's amount is used
            if day <= self.as_of:
                self._other_line(f, day, account)
            else:
                self.ignored += 1
            return
        debit, credit = self._amounts(number, f)
        if day > self.as_of:
            self.ignored += 1
            return
        entry = self._other_line(f, day, account)
        if debit or credit:
            self._client_line(number, f, day, account, entry, debit, credit)

    def _other_line(self, f: list[str], day: date, account: str) -> tuple[str, str]:
        """Note the period covered and what the line tells about its entry (bank, revenue)."""
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day
        entry = (f[self.i["journalcode"]].strip(), f[self.i["ecriturenum"]].strip())
        if account.startswith("5"):
            self.flags[entry] = self.flags.get(entry, 0) | TREASURY
        elif account.startswith(("7", "4457")):
            self.flags[entry] = self.flags.get(entry, 0) | REVENUE
        return entry

    def _check_amounts(self, number: int, f: list[str]) -> None:
        """Refuse a malformed amount on any line, even one of an account not read further."""
        for column, name in self.amount_columns:
            if not _PLAIN_AMOUNT.fullmatch(f[column]):
                _amount(number, f[column], name)  # raises, unless only its spacing was unusual

    def _client_line(self, number, f, day, account, entry, debit, credit) -> None:
        """Keep a client account's line: who, which entry, when, how much, its lettering."""
        i = self.i
        key = f[i["compauxnum"]].strip() or account
        name = f[i["compauxlib"]].strip() or f[i["comptelib"]].strip() or key
        self.names.setdefault(key, name)
        if account.startswith(DOUBTFUL):
            self.doubtful.add(key)
        issued = self._date(number, f, "piecedate") or day
        letter = f[i["ecriturelet"]].strip()
        lettered_on = self._date(number, f, "datelet")
        if lettered_on is not None and lettered_on > self.as_of:
            letter = ""  # lettered after the as-of date: not yet matched on that date
        reference = f[i["pieceref"]].strip() or f"{entry[0]}-{entry[1]}"
        amount = debit - credit
        self.rows.append((key, entry, day, issued, reference, amount, letter, f[i["ecriturelib"]].strip()))

    def _date(self, number: int, f: list[str], column: str, required: bool = False) -> date | None:
        """A date column of the line, parsed once per distinct text; None when empty and optional."""
        raw = f[self.i[column]].strip().strip('"')
        known = self.dates.get(raw, False)
        if known is not False:
            if known is None and required:
                raise LedgerFileError(number, _name(column), "date absente (AAAAMMJJ attendu)")
            return known
        day = _parse_date(raw)
        if day is None:
            raise LedgerFileError(number, _name(column), f"date invalide « {raw} » (AAAAMMJJ attendu)")
        self.dates[raw] = day
        return day

    def _amounts(self, number: int, f: list[str]) -> tuple[Decimal, Decimal]:
        """The line's debit and credit, from Debit/Credit or from Montant/Sens."""
        i = self.i
        if not self.signed:
            return _amount(number, f[i["debit"]], "Debit"), _amount(number, f[i["credit"]], "Credit")
        value = _amount(number, f[i["montant"]], "Montant")
        sense = f[i["sens"]].strip().strip('"').upper()
        if sense in ("D", "+1", "1"):
            return value, ZERO
        if sense in ("C", "-1"):
            return ZERO, value
        raise LedgerFileError(number, "Sens", f"sens invalide « {sense} » (D ou C attendu)")

    def ledger(self, terms: timedelta) -> Ledger:
        """Every client's invoices, settled by its payments and credit notes as the lettering says."""
        debits: dict[str, list[Debit]] = {}
        credits: dict[str, list[Credit]] = {}
        for key, entry, day, issued, reference, amount, letter, label in self.rows:
            if amount > 0:
                debits.setdefault(key, []).append(Debit(reference, issued, amount, letter))
            else:
                kind = self._credit_kind(entry, label)
                credits.setdefault(key, []).append(Credit(day, -amount, kind, reference, letter))
        clients = []
        for key, name in self.names.items():
            invoices, left = match(debits.get(key, ()), credits.get(key, ()), terms)
            clients.append(Client(name, key, invoices, left, doubtful=key in self.doubtful, sources=("fec",)))
        return Ledger(tuple(clients), self.lines, len(self.rows), self.ignored, self.first, self.last)

    def _credit_kind(self, entry: tuple[str, str], label: str) -> str:
        """A credit note when its entry books revenue or VAT back and touches no bank or cash."""
        flags = self.flags.get(entry, 0)
        if flags & REVENUE and not flags & TREASURY:
            return CREDIT_NOTE
        if not flags and "avoir" in label.lower():
            return CREDIT_NOTE
        return PAYMENT


def _name(column: str) -> str:
    """The column's name as the FEC rules write it, for messages."""
    return next(c for c in (*COLUMNS, "Debit", "Credit", "Montant", "Sens") if c.lower() == column)


def _parse_date(raw: str) -> date | None:
    """YYYYMMDD as the rules say; also YYYY-MM-DD and DD/MM/YYYY, which some software writes."""
    try:
        if len(raw) == 8 and raw.isdigit():
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if len(raw) == 10 and raw[4] == "-":
            return date.fromisoformat(raw)
        if len(raw) == 10 and raw[2] == "/" and raw[5] == "/":
            return date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
    except ValueError:
        return None
    return None


def _amount(number: int, raw: str, column: str) -> Decimal:
    """An amount with a decimal comma (or point), zero-padded or not; empty is zero."""
    if not raw.strip("0,. "):
        return ZERO  # empty or zero (often zero-padded): the most frequent amount of all
    text = raw.translate(_SPACES)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        raise LedgerFileError(number, column, f"montant invalide « {raw.strip()} » (par exemple 1234,56)")
    return Decimal(text)
