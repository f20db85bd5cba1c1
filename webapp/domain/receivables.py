"""Receivables client by client: invoices, what settled them, and how a ledger's credits are matched.

The common shape of every source of the portfolio: a FEC, a simple CSV, a claim file or a
saved dossier each become ``Client`` values. Matching a ledger's credits to its invoices
follows the lettering first (the accountant's own matching, possibly partial), then, for
credits nobody lettered, the oldest invoice first, as art. 1342-10 C. civ. imputes a
payment that names no debt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .money import ZERO

PAYMENT = "payment"
CREDIT_NOTE = "credit_note"


class LedgerFileError(ValueError):
    """An accounting file that cannot be read: names the file, the line and the column."""

    def __init__(self, line: int | None, column: str, message: str, file: str = ""):
        self.line, self.column, self.message, self.file = line, column, message, file
        super().__init__(self.describe())

    def describe(self) -> str:
        line = f"ligne {self.line}" if self.line else ""
        column = f"colonne {self.column}" if self.column else ""
        place = ", ".join(p for p in (line, column) if p)
        return " : ".join(p for p in (self.file, place, self.message) if p)

    def in_file(self, file: str) -> LedgerFileError:
        """The same error, naming the file it was found in."""
        return LedgerFileError(self.line, self.column, self.message, file)


@dataclass(frozen=True, slots=True)
class Settlement:
    """The part of one payment or credit note that settled one invoice."""

    date: date
    amount: Decimal
    kind: str  # PAYMENT | CREDIT_NOTE
    reference: str = ""
    lettered: bool = False  # matched by the accountant's lettering, not imputed by the oldest-first rule


@dataclass(frozen=True, slots=True)
class Receivable:
    """One invoice (or any debit owed by a client) and where it stands."""

    number: str
    issued: date
    due: date
    amount: Decimal
    settlements: tuple[Settlement, ...] = ()
    open: Decimal | None = None  # what remains due; default: amount minus the settlements
    due_is_default: bool = False  # the due date was not given: the payment term was applied

    def __post_init__(self):
        if self.open is None:
            object.__setattr__(self, "open", self.amount - sum((s.amount for s in self.settlements), ZERO))

    @property
    def settled_on(self) -> date | None:
        """When nothing remained due: the date of the last settlement; None while open."""
        if self.open > 0 or not self.settlements:
            return None
        return max(s.date for s in self.settlements)

    @property
    def paid(self) -> bool:
        """Fully settled, and at least partly by a payment (an invoice cancelled by an avoir is not "paid")."""
        return self.settled_on is not None and any(s.kind == PAYMENT for s in self.settlements)

    def days_late(self, as_of: date) -> int:
        """Days past due: until the settlement for a settled invoice, until ``as_of`` for an open one."""
        end = self.settled_on or as_of
        return max(0, (end - self.due).days)


@dataclass(frozen=True, slots=True)
class Promise:
    """A debtor's promise to pay (from a dossier's follow-up)."""

    made: date
    pay_by: date
    amount: Decimal | None = None  # None: everything due


@dataclass(frozen=True)
class Client:
    """A client's receivables and the facts that bear on the risk of not being paid."""

    name: str
    account: str | None
    invoices: tuple[Receivable, ...]
    unallocated: Decimal = ZERO  # credits left over once every invoice is settled (the client is in credit)
    proceedings: str = "none"  # none | sauvegarde | redressement | liquidation
    proceedings_opened: date | None = None
    doubtful: bool = False  # booked as a doubtful client (account 416)
    promises: tuple[Promise, ...] = ()
    dossiers: int = 0  # how many dossiers pursue this client
    sources: tuple[str, ...] = field(default=())  # "fec", "csv", "claim", "dossier"

    @property
    def key(self) -> str:
        """What identifies the client across sources: its account, else its name."""
        return self.account or self.name.casefold().strip()


@dataclass(frozen=True)
class Ledger:
    """What a ledger file gave: its clients, and how many lines were read or left out."""

    clients: tuple[Client, ...]
    lines: int
    client_lines: int
    ignored_after: int  # lines dated after the as-of date
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True, slots=True)
class Debit:
    """An invoice line read from a ledger, before matching."""

    number: str
    issued: date
    amount: Decimal
    letter: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    """A payment or credit-note line read from a ledger, before matching."""

    date: date
    amount: Decimal
    kind: str
    reference: str = ""
    letter: str = ""


def match(
    debits: Iterable[Debit], credits: Iterable[Credit], terms: timedelta
) -> tuple[tuple[Receivable, ...], Decimal]:
    """Settle the debits by the credits: lettered groups first, then the rest oldest invoice first.

    Returns the receivables and the credit left over when every debit is settled.
    """
    debits = sorted(debits, key=lambda d: (d.due or d.issued + terms, d.issued, d.number))
    open_amounts = [d.amount for d in debits]
    parts: list[list[Settlement]] = [[] for _ in debits]
    by_letter: dict[str, list[int]] = {}
    for i, d in enumerate(debits):
        if d.letter:
            by_letter.setdefault(d.letter, []).append(i)
    loose: list[tuple[Credit, Decimal]] = []
    for credit in sorted(credits, key=lambda c: (c.date, c.reference)):
        targets = by_letter.get(credit.letter, []) if credit.letter else []
        rest = _settle(credit, credit.amount, targets, open_amounts, parts, lettered=True)
        if rest > 0:
            loose.append((credit, rest))
    everyone = range(len(debits))
    left = ZERO
    for credit, amount in loose:
        left += _settle(credit, amount, everyone, open_amounts, parts, lettered=False)
    receivables = tuple(
        Receivable(
            d.number,
            d.issued,
            d.due or d.issued + terms,
            d.amount,
            tuple(parts[i]),
            open_amounts[i],
            due_is_default=d.due is None,
        )
        for i, d in enumerate(debits)
    )
    return receivables, left


def _settle(credit: Credit, amount: Decimal, targets, open_amounts, parts, lettered: bool) -> Decimal:
    """Apply ``amount`` of ``credit`` to the targets in order; return what is left of it."""
    for i in targets:
        if amount <= 0:
            break
        share = min(amount, open_amounts[i])
        if share <= 0:
            continue
        open_amounts[i] -= share
        amount -= share
        parts[i].append(Settlement(credit.date, share, credit.kind, credit.reference, lettered))
    return amount


def merge(clients: Iterable[Client]) -> list[Client]:
    """One client per key (account, or name): invoices put together, facts combined."""
    merged: dict[str, Client] = {}
    for c in clients:
        known = merged.get(c.key)
        merged[c.key] = c if known is None else _combine(known, c)
    return list(merged.values())


def _combine(a: Client, b: Client) -> Client:
    """Two views of one client: ``b`` (a dossier, read later) replaces the invoices it also holds."""
    numbers = {r.number for r in b.invoices}
    kept = tuple(r for r in a.invoices if r.number not in numbers)  # the later source knows better
    known = b if b.proceedings != "none" else a  # collective proceedings, from whichever source knows
    return Client(
        name=b.name if "dossier" in b.sources or "claim" in b.sources else a.name,
        account=a.account or b.account,
        invoices=kept + b.invoices,
        unallocated=a.unallocated + b.unallocated,
        proceedings=known.proceedings,
        proceedings_opened=known.proceedings_opened,
        doubtful=a.doubtful or b.doubtful,
        promises=a.promises + b.promises,
        dossiers=a.dossiers + b.dossiers,
        sources=tuple(dict.fromkeys(a.sources + b.sources)),
    )
