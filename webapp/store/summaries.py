"""Each dossier's portfolio summary, kept up to date on every save, and clients as stored JSON.

The dashboard over a thousand dossiers must not assess a thousand claims per view: on
every flush that changes a dossier's claim, its summary (the portfolio's ``Client``) is
computed again and stored beside it. A complete claim is assessed by the engine; one
still being completed (an import from a ledger lacks the debtor's address) is summarised
as its books say, and marked incomplete.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..config import procedures_dir
from ..domain.assessment import assess
from ..domain.claim_file import claim_from_data
from ..domain.errors import ClaimError, ParameterError
from ..domain.portfolio import client_from_assessment
from ..domain.procedures import Library, load_library
from ..domain.receivables import CREDIT_NOTE, PAYMENT, Client, Promise, Receivable, Settlement
from ..domain.sources import client_from_claim_data
from .models import Dossier

_KINDS = {PAYMENT: "p", CREDIT_NOTE: "a"}
_KIND_OF = {v: k for k, v in _KINDS.items()}


def client_to_data(c: Client) -> dict[str, Any]:
    """A client as compact JSON: invoices as lists, amounts as strings, dates ISO."""
    return {
        "name": c.name,
        "account": c.account,
        "unallocated": str(c.unallocated),
        "proceedings": c.proceedings,
        "opened": c.proceedings_opened.isoformat() if c.proceedings_opened else None,
        "doubtful": c.doubtful,
        "promises": [[p.made.isoformat(), p.pay_by.isoformat(), _text(p.amount)] for p in c.promises],
        "sources": list(c.sources),
        "invoices": [
            [
                r.number,
                r.issued.isoformat(),
                r.due.isoformat(),
                str(r.amount),
                str(r.open),
                r.due_is_default,
                [[s.date.isoformat(), str(s.amount), _KINDS[s.kind], s.reference, s.lettered] for s in r.settlements],
            ]
            for r in c.invoices
        ],
    }


def client_from_data(d: dict[str, Any], account: str | None = None, dossiers: int = 0) -> Client:
    """The client stored by ``client_to_data``; ``account`` replaces the stored one when given."""
    day = _day
    invoices = tuple(
        Receivable(
            number,
            day(issued),
            day(due),
            Decimal(amount),
            tuple(Settlement(day(s[0]), Decimal(s[1]), _KIND_OF[s[2]], s[3], s[4]) for s in settlements),
            Decimal(open_),
            default,
        )
        for number, issued, due, amount, open_, default, settlements in d["invoices"]
    )
    return Client(
        d["name"],
        account or d["account"],
        invoices,
        Decimal(d["unallocated"]),
        d["proceedings"],
        day(d["opened"]) if d["opened"] else None,
        d["doubtful"],
        tuple(Promise(day(m), day(b), Decimal(a) if a else None) for m, b, a in d["promises"]),
        dossiers,
        tuple(d["sources"]),
    )


_day = lru_cache(maxsize=8192)(date.fromisoformat)  # dates repeat across a portfolio; parsed once each


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def summarise_claim(data: dict[str, Any], library: Library, today: date) -> dict[str, Any]:
    """The summary of a dossier's claim data: assessed when complete, as its books say otherwise."""
    try:
        client = client_from_assessment(assess(claim_from_data(data), library, today), source="dossier")
        complete = True
    except (ClaimError, ParameterError):
        terms = library.parameters.at("default_payment_term_days", today).value
        client = client_from_claim_data(data, terms)
        complete = False
    return {"complete": complete, "client": client_to_data(client)}


@lru_cache(maxsize=1)
def _library() -> Library:
    return load_library(procedures_dir())


def _refresh(session: Session, _context, _instances) -> None:
    """Before writing, summarise again every dossier whose claim is new or changed."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Dossier) and (obj in session.new or inspect(obj).attrs.claim.history.has_changes()):
            obj.summary = summarise_claim(obj.claim or {}, _library(), date.today())


if not event.contains(Session, "before_flush", _refresh):
    event.listen(Session, "before_flush", _refresh)
