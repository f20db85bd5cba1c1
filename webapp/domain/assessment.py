"""Assessing a claim on a date: amounts, checks, prescription, court, routes, next step.

The single entry point the CLI, the web app and the tests share. The as-of date is a
parameter: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import checks as chk
from .claim import Claim
from .court import Court, competent_court
from .dates import fr_short
from .deadlines import Deadline
from .followup import FollowUpState, ReminderPlan, follow_up
from .ledger import InvoiceAccount, build_accounts
from .money import ZERO
from .next_step import NextStep, recommend
from .parties import Regime, regime
from .prescription import Prescription, invoice_prescription
from .procedures import Library
from .routes import Facts, RouteResult, evaluate_routes


@dataclass(frozen=True)
class Amounts:
    principal: Decimal
    interest: Decimal
    indemnity: Decimal
    provisional: bool

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.indemnity


@dataclass(frozen=True)
class ClaimPrescription:
    """The earliest limit among unpaid invoices; prescribed when all of them are."""

    limit: date | None
    prescribed: bool
    source: Prescription | None  # the invoice whose limit explains the claim's
    open_limit: date | None = None  # earliest limit among unpaid invoices not yet barred
    barred: tuple[str, ...] = ()  # unpaid invoices already time-barred

    @property
    def basis(self) -> str:
        """The explanation, written out when read."""
        if self.source is None:
            return "Aucune facture ne reste impayée."
        text = self.source.basis
        if self.barred and not self.prescribed:
            text += (
                f" Factures déjà prescrites : {', '.join(self.barred)} ; elles ne peuvent plus être "
                f"réclamées en justice si le débiteur invoque la prescription."
            )
        return text


@dataclass(frozen=True)
class Assessment:
    claim: Claim
    as_of: date
    regime: Regime
    accounts: tuple[InvoiceAccount, ...]
    prescriptions: dict[str, Prescription]
    amounts: Amounts
    checks: dict[str, chk.Check]
    prescription: ClaimPrescription
    court: Court
    routes: tuple[RouteResult, ...]
    next_step: NextStep
    notes: tuple[str, ...]
    follow_up: FollowUpState | None = None

    def route(self, route_id: str) -> RouteResult:
        return next(r for r in self.routes if r.route.id == route_id)

    @property
    def next_step_from(self) -> date | None:
        """The first day the next step may be taken; None when it can be taken now."""
        return self.next_step.not_before

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        return self.follow_up.deadlines if self.follow_up else ()

    @property
    def reminders(self) -> ReminderPlan:
        return self.follow_up.reminders if self.follow_up else ReminderPlan((), None)


def assess(claim: Claim, library: Library, as_of: date) -> Assessment:
    """Everything Dûment can say about ``claim`` on ``as_of``."""
    params = library.parameters
    claim = claim.as_known_on(as_of)
    accounts = build_accounts(claim, params, as_of)
    prescriptions = {a.invoice.number: invoice_prescription(claim, a, params, as_of) for a in accounts}
    amounts = _amounts(accounts)
    unpaid = [a for a in accounts if a.balance > 0]
    checks = {
        "certain": chk.certain(claim, params, as_of),
        "liquid": chk.liquid(claim, accounts),
        "due": chk.due(accounts, as_of),
    }
    summary = _claim_prescription(unpaid, prescriptions)
    court = competent_court(claim, params, as_of)
    fu = follow_up(claim, accounts, prescriptions, params, as_of, amounts.total)
    facts = Facts(
        claim=claim,
        params=params,
        as_of=as_of,
        checks=checks,
        prescribed=summary.prescribed,
        prescription_summary=summary,
        prescription_limit=summary.limit,
        open_limit=summary.open_limit,
        principal_and_interest=amounts.principal + amounts.interest,
        total=amounts.total,
        open_invoices_performed=tuple([a.invoice.performed_on for a in unpaid]),
        court=court,
        notice_running=fu.notice is not None and as_of <= fu.notice.last_day,
    )
    routes = evaluate_routes(library, facts)
    return Assessment(
        claim,
        as_of,
        regime(claim),
        tuple(accounts),
        prescriptions,
        amounts,
        checks,
        summary,
        court,
        tuple(routes),
        recommend(routes, facts, fu),
        _notes(claim, accounts, library, amounts),
        fu,
    )


def _amounts(accounts: list[InvoiceAccount]) -> Amounts:
    """The claim's totals, in one pass over the accounts, each added in the accounts' order."""
    principal = interest = indemnity = ZERO
    for a in accounts:
        principal += a.principal
        interest += a.interest
        indemnity += a.indemnity
    return Amounts(principal, interest, indemnity, any(p.provisional for a in accounts for p in a.periods))


def _claim_prescription(unpaid_accounts, prescriptions) -> ClaimPrescription:
    """The claim's prescription, from the accounts with a balance still due."""
    unpaid = [(a.invoice.number, prescriptions[a.invoice.number]) for a in unpaid_accounts]
    if not unpaid:
        return ClaimPrescription(None, False, None)
    earliest = min((p for _, p in unpaid), key=_limit)
    alive = [p for _, p in unpaid if not p.prescribed]
    barred = tuple(number for number, p in unpaid if p.prescribed)
    source = min(alive, key=_limit) if alive else earliest
    return ClaimPrescription(earliest.limit, not alive, source, source.limit if alive else None, barred)


def _limit(p: Prescription) -> date:
    return p.limit


def _notes(claim: Claim, accounts, library: Library, amounts: Amounts) -> tuple[str, ...]:
    """Warnings the user must see: provisional rates, stopped interest, refused indemnity."""
    notes = []
    if accounts:
        notes.append(accounts[0].plan.explanation())
    if amounts.provisional:
        bases = " ".join(p.basis for a in accounts for p in a.periods if p.provisional)
        for name, word in (("legal_interest_rate", "légal"), ("ecb_main_refinancing_rate", "BCE")):
            p = library.parameters[name]
            if word in bases and p.note:
                notes.append(f"Montant provisoire : {p.note}")
    if claim.debtor.proceedings.kind != "none" and claim.debtor.proceedings.opened:
        notes.append(
            "Les intérêts sont arrêtés au jour du jugement d'ouverture "
            f"({fr_short(claim.debtor.proceedings.opened)}, art. L622-28 C. com.)."
        )
    refused = {a.indemnity_reason for a in accounts if a.indemnity == 0 and a.indemnity_reason}
    uncertain = {a.indemnity_reason for a in accounts if a.indemnity and a.indemnity_uncertain}
    notes.extend(sorted(refused | uncertain))
    return tuple(notes)
