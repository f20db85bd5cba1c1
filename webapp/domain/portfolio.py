"""The portfolio: a creditor's receivables client by client, on a date (``dument portfolio``).

Computed from ``Client`` values, whatever their source: a FEC, a CSV, claim files
assessed by the engine, saved dossiers. Amounts are what remains due of each invoice
(its principal); the interest and the 40 € belong to each claim's own assessment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .assessment import Assessment
from .french import euros, short_date
from .money import ZERO, fmt
from .receivables import PAYMENT, Client, Promise, Receivable, Settlement
from .risk import Risk, Thresholds, assess_risk

BUCKETS = ("not_due", "1-30", "31-60", "61-90", "90+")  # the contract's aging buckets
TREND_MONTHS = 12
WEEK = timedelta(days=6)
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ClientSummary:
    """One client's line of the portfolio."""

    client: Client
    outstanding: Decimal
    overdue: Decimal
    open_invoices: int
    oldest_due: date | None
    paid_invoices: int
    average_days_late: float | None
    risk: Risk


@dataclass(frozen=True)
class DueSoon:
    """An open invoice falling due within the week."""

    client: str
    number: str
    due: date
    open: Decimal


@dataclass(frozen=True)
class MonthLateness:
    """How late the invoices paid in one month were."""

    month: str  # "2026-06"
    paid_invoices: int
    average_days_late: float | None


@dataclass(frozen=True)
class Portfolio:
    """Everything ``dument portfolio`` and the dashboard show, on one date."""

    as_of: date
    outstanding: Decimal
    overdue: Decimal
    aging: dict[str, Decimal]
    paid_invoices: int
    average_days_late: float | None
    clients: tuple[ClientSummary, ...]
    recovered_this_year: Decimal
    due_this_week: tuple[DueSoon, ...]
    trend: tuple[MonthLateness, ...]
    credit: Decimal  # credits not matched to any invoice (clients in credit)


def bucket(days_past_due: int) -> str:
    """The contract's aging bucket of an open amount, by days past due."""
    if days_past_due <= 0:
        return "not_due"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    return "61-90" if days_past_due <= 90 else "90+"


def weighted_days_late(paid: Iterable[Receivable]) -> float | None:
    """Days late weighted by amount, to one decimal: one large late invoice is not hidden by small ones."""
    weight = total = ZERO
    for r in paid:
        weight += r.amount
        total += r.amount * (r.settled_on - r.due).days if r.settled_on > r.due else ZERO
    if not weight:
        return None
    return float((total / weight).quantize(_TENTH, ROUND_HALF_UP))


def summarise(clients: Iterable[Client], as_of: date, thresholds: Thresholds) -> Portfolio:
    """Totals, aging, lateness and risk on ``as_of``, clients sorted by overdue amount."""
    aging = dict.fromkeys(BUCKETS, ZERO)
    summaries, paid, soon = [], [], []
    recovered = credit = ZERO
    for client in clients:
        summary = _client(client, as_of, thresholds)
        summaries.append(summary)
        credit += client.unallocated
        for r in client.invoices:
            if r.open > 0:
                aging[bucket((as_of - r.due).days)] += r.open
                if as_of <= r.due <= as_of + WEEK:
                    soon.append(DueSoon(client.name, r.number, r.due, r.open))
            elif r.paid:
                paid.append(r)
            recovered += sum((s.amount for s in r.settlements if _this_year(s, as_of)), ZERO)
    summaries.sort(key=lambda s: (-s.overdue, -s.outstanding, s.client.name.casefold()))
    outstanding = sum(aging.values(), ZERO)
    return Portfolio(
        as_of,
        outstanding,
        outstanding - aging["not_due"],
        aging,
        len(paid),
        weighted_days_late(paid),
        tuple(summaries),
        recovered,
        tuple(sorted(soon, key=lambda d: (d.due, d.client, d.number))),
        _trend(paid, as_of),
        credit,
    )


def _this_year(s: Settlement, as_of: date) -> bool:
    return s.kind == PAYMENT and s.date.year == as_of.year and s.date <= as_of


def _client(client: Client, as_of: date, thresholds: Thresholds) -> ClientSummary:
    """One client's totals, lateness and risk."""
    open_ = [r for r in client.invoices if r.open > 0]
    paid = [r for r in client.invoices if r.open <= 0 and r.paid]
    outstanding = sum((r.open for r in open_), ZERO)
    overdue = sum((r.open for r in open_ if r.due < as_of), ZERO)
    average = weighted_days_late(paid)
    return ClientSummary(
        client,
        outstanding,
        overdue,
        len(open_),
        min((r.due for r in open_), default=None),
        len(paid),
        average,
        assess_risk(client, open_, paid, average, as_of, thresholds),
    )


def _trend(paid: list[Receivable], as_of: date) -> tuple[MonthLateness, ...]:
    """The amount-weighted days late of the invoices paid each month, over the last twelve months."""
    months = []
    year, month = as_of.year, as_of.month
    for _ in range(TREND_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    by_month: dict[tuple[int, int], list[Receivable]] = {m: [] for m in months}
    for r in paid:
        key = (r.settled_on.year, r.settled_on.month)
        if key in by_month:
            by_month[key].append(r)
    return tuple(
        MonthLateness(f"{y}-{m:02d}", len(by_month[(y, m)]), weighted_days_late(by_month[(y, m)]))
        for y, m in reversed(months)
    )


def client_from_assessment(a: Assessment, account: str | None = None, source: str = "claim") -> Client:
    """A claim as the engine assessed it: each invoice's principal still due, and what settled it."""
    invoices = []
    for acc in a.accounts:
        settlements = tuple(
            Settlement(i.date, i.to_interest + i.to_principal, PAYMENT, "", i.assigned) for i in acc.imputations
        )
        invoices.append(
            Receivable(
                acc.invoice.number,
                acc.invoice.issued,
                acc.due,
                acc.invoice.amount,
                settlements,
                acc.principal,
                acc.due_reason is not None,
            )
        )
    proceedings = a.claim.debtor.proceedings
    return Client(
        a.claim.debtor.name,
        account,
        tuple(invoices),
        proceedings=proceedings.kind,
        proceedings_opened=proceedings.opened,
        promises=_promises(a.claim),
        dossiers=1 if source == "dossier" else 0,
        sources=(source,),
    )


def _promises(claim) -> tuple[Promise, ...]:
    """The debtor's promises, where the claim records them (the follow-up fields of the contract)."""
    recorded = getattr(claim.history, "promises", None) or ()
    return tuple(Promise(p.made, p.pay_by, p.amount) for p in recorded)


def to_json(p: Portfolio) -> dict[str, Any]:
    """The ``dument portfolio --json`` object: amounts as strings, dates as ISO strings."""
    return {
        "as_of": p.as_of.isoformat(),
        "outstanding": fmt(p.outstanding),
        "overdue": fmt(p.overdue),
        "aging": {k: fmt(v) for k, v in p.aging.items()},
        "paid_invoices": p.paid_invoices,
        "average_days_late": p.average_days_late,
        "clients": [_client_json(c) for c in p.clients],
        "recovered_this_year": fmt(p.recovered_this_year),
        "credit": fmt(p.credit),
        "due_this_week": [
            {"client": d.client, "number": d.number, "due": d.due.isoformat(), "open": fmt(d.open)}
            for d in p.due_this_week
        ],
        "trend": [
            {"month": m.month, "paid_invoices": m.paid_invoices, "average_days_late": m.average_days_late}
            for m in p.trend
        ],
    }


def _client_json(c: ClientSummary) -> dict[str, Any]:
    return {
        "name": c.client.name,
        "account": c.client.account,
        "outstanding": fmt(c.outstanding),
        "overdue": fmt(c.overdue),
        "open_invoices": c.open_invoices,
        "oldest_due": c.oldest_due.isoformat() if c.oldest_due else None,
        "average_days_late": c.average_days_late,
        "paid_invoices": c.paid_invoices,
        "risk": c.risk.level,
        "reasons": list(c.risk.reasons),
    }


AGING_LABELS = {
    "not_due": "Pas encore échu",
    "1-30": "1 à 30 jours de retard",
    "31-60": "31 à 60 jours",
    "61-90": "61 à 90 jours",
    "90+": "Plus de 90 jours",
}
RISK_LABELS = {"low": "faible", "medium": "moyen", "high": "élevé"}


def to_text(p: Portfolio) -> str:
    """A readable French summary: totals, aging, lateness, then each client with its risk."""
    lines = [
        f"Portefeuille de créances au {short_date(p.as_of)}",
        f"  Encours : {euros(p.outstanding)}, dont échu : {euros(p.overdue)}",
        f"  Encaissé cette année : {euros(p.recovered_this_year)}",
        f"  Factures payées : {p.paid_invoices}, retard moyen pondéré : {_days_text(p.average_days_late)}",
        "",
        "Balance âgée",
    ]
    lines += [f"  {AGING_LABELS[k]} : {euros(v)}" for k, v in p.aging.items()]
    lines += ["", "Clients"]
    for c in p.clients:
        lines.append(
            f"  {c.client.name}{f' ({c.client.account})' if c.client.account else ''} : encours "
            f"{euros(c.outstanding)}, échu {euros(c.overdue)}, risque {RISK_LABELS[c.risk.level]}"
        )
        lines += [f"    - {r}" for r in c.risk.reasons]
    return "\n".join(lines) + "\n"


def _days_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " jours"
