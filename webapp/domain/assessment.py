"""Assessing a claim on a date: amounts, checks, prescription, court, routes, next step.

The single entry point the CLI, the web app and the tests share. The as-of date is a
parameter: nothing here reads the clock.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import checks as chk
from .alternatives import Alternative
from .claim import Claim
from .court import Court, competent_court
from .deadlines import Deadline
from .declaration import declaration_deadline, declared_accounts
from .errors import ParameterError
from .followup import FollowUpState, ReminderPlan, follow_up
from .french import short_date
from .ledger import InvoiceAccount, build_accounts
from .money import ZERO
from .next_step import NextStep, recommend
from .parties import Regime, standing
from .prescription import Prescription, invoice_prescription
from .procedures import Library
from .rate_notes import rate_notes
from .routes import Facts, RouteResult, evaluate, evaluate_routes


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
    ways_out: tuple = ((), None)  # (the library's other ways out, the facts): see ``alternatives``
    simplified_threshold: Decimal | None = None  # ceiling of the procédure simplifiée (R125-1 CPCE)
    declaration_deadline: date | None = None  # last day to declare the claim (R622-24 C. com.)
    declared: tuple[InvoiceAccount, ...] = ()  # the accounts to declare (born before the opening)
    follow_up: FollowUpState | None = None  # deadlines, reminder plan, promises, plan, ordonnance

    @functools.cached_property
    def alternatives(self) -> tuple[Alternative, ...]:
        """The other ways out that fit this claim, decided when first read (most callers never ask)."""
        alternatives, facts = self.ways_out
        return tuple(alt for alt in alternatives if evaluate(alt.conditions, facts)[0])

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
    parties = standing(claim)  # who the parties are in law, once for the whole assessment
    kind = parties.regime
    accounts = build_accounts(claim, params, as_of, parties)
    prescriptions = {a.invoice.number: invoice_prescription(claim, a, params, as_of, kind) for a in accounts}
    amounts = _amounts(accounts)
    unpaid = [a for a in accounts if a.balance > 0]
    checks = {
        "certain": chk.certain(claim, params, as_of, parties),
        "liquid": chk.liquid(claim, accounts),
        "due": chk.due(accounts, as_of),
    }
    summary = _claim_prescription(unpaid, prescriptions)
    court = competent_court(claim, params, as_of, parties)
    fu = follow_up(claim, accounts, prescriptions, params, as_of, amounts.total, kind)
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
        kind,
        tuple(accounts),
        prescriptions,
        amounts,
        checks,
        summary,
        court,
        tuple(routes),
        recommend(routes, facts, fu),
        _notes(claim, accounts, library, amounts) + tuple(rate_notes(claim, accounts, params, as_of, parties)),
        (library.alternatives, facts),
        _threshold(params, as_of),
        declaration_deadline(claim, params),
        declared_accounts(claim, accounts),
        fu,
    )


def _threshold(params, as_of: date) -> Decimal | None:
    """Ceiling of the procédure simplifiée on ``as_of``; None before it existed (R125-1 CPCE)."""
    try:
        return params.at("procedure_simplifiee_threshold", as_of).value
    except ParameterError:
        return None


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
        words = (("legal_interest_rate", ("légal", "conditions")), ("ecb_main_refinancing_rate", ("BCE",)))
        for name, keys in words:
            p = library.parameters[name]
            if any(word in bases for word in keys) and p.note:
                notes.append(f"Montant provisoire : {p.note}")
    if claim.debtor.proceedings.kind != "none" and claim.debtor.proceedings.opened:
        notes.append(
            "Les intérêts sont arrêtés au jour du jugement d'ouverture "
            f"({short_date(claim.debtor.proceedings.opened)}, art. L622-28 C. com.)."
        )
    refused = {a.indemnity_reason for a in accounts if a.indemnity == 0 and a.indemnity_reason}
    uncertain = {a.indemnity_reason for a in accounts if a.indemnity and a.indemnity_uncertain}
    notes.extend(sorted(refused | uncertain))
    return tuple(notes)
