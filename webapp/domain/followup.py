"""The claim through time: promises, the payment plan, the reminder plan and every dated deadline.

Computed once per assessment from the claim as it stood on the as-of date; the advice
(``timing``) and the outputs read it. Nothing here reads the clock.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import NamedTuple

from .claim import Claim, FormalNotice, PaymentPlan, Promise
from .dates import ONE_DAY, add_months
from .deadlines import Deadline, moved_why, next_working_day, subdivision
from .french import euros, long_date
from .ledger import InvoiceAccount
from .money import ZERO
from .parameters import Parameters
from .parties import CONSUMER, PUBLIC, Regime
from .prescription import Prescription

STOP_REASONS = {
    "paid": "Rien ne reste dû.",
    "proceedings": "Le débiteur est en procédure collective : les relances sont interdites, déclarez la créance.",
    "order": "Une injonction de payer a été demandée : la procédure prend le relais des relances.",
    "prescribed": "Toutes les factures impayées sont prescrites.",
    "contested": "Le débiteur conteste la créance : une relance ne réglera pas le désaccord.",
    "payment_plan": "Un échéancier est en cours et aucune échéance n'a été manquée.",
    "promise": "Le débiteur a promis de payer : on attend la date promise.",
    "formal_notice": "Une mise en demeure a été envoyée : le temps des relances amiables est passé.",
    "paused": "Les relances de ce dossier sont suspendues.",
}


class ReminderStep(NamedTuple):
    """One step of the reminder plan, dated (a tuple: cheap to make, several per assessment)."""

    step: int
    date: date
    channel: str
    status: str  # done | due | planned | cancelled
    done_on: date | None = None  # the date of the reminder that did this step, when done


@dataclass(frozen=True)
class ReminderPlan:
    steps: tuple[ReminderStep, ...]
    stopped: str | None  # a key of STOP_REASONS, or None
    default_days: tuple[int, ...] = ()  # Dûment's default plan, when the claim has none of its own

    def step_with(self, status: str) -> ReminderStep | None:
        return next((s for s in self.steps if s.status == status), None)


@dataclass(frozen=True)
class PromiseState:
    promise: Promise
    kept: bool
    pending: bool  # not kept, and its date has not passed


@dataclass(frozen=True)
class PlanState:
    """Where the échéancier stands: what was paid towards it, the next and the missed instalment."""

    plan: PaymentPlan
    paid: Decimal
    unpaid: tuple[int, ...]  # indexes of instalments not (fully) paid
    missed: int | None  # first instalment not paid once its date passed
    next_due: int | None  # first unpaid instalment whose date has not passed

    @property
    def completed(self) -> bool:
        return not self.unpaid

    @property
    def active(self) -> bool:
        return self.missed is None and not self.completed


@dataclass(frozen=True)
class NoticeDelay:
    """The délai the mise en demeure gave: from its (known or estimated) receipt to its last day."""

    notice: FormalNotice
    received: date
    estimated: bool
    days: int
    last_day: date
    basis: str


@dataclass(frozen=True)
class FollowUpState:
    deadlines: tuple[Deadline, ...]
    reminders: ReminderPlan
    notice: NoticeDelay | None
    promises: tuple[PromiseState, ...]
    plan: PlanState | None
    subdiv: str | None  # holidays of the debtor's place, for procedural délais

    @property
    def pending_promise(self) -> PromiseState | None:
        pending = [p for p in self.promises if p.pending]
        return max(pending, key=lambda p: p.promise.pay_by) if pending else None

    @property
    def broken_promise(self) -> PromiseState | None:
        broken = [p for p in self.promises if not p.kept and not p.pending]
        return broken[-1] if broken else None


def follow_up(
    claim: Claim,
    accounts: list[InvoiceAccount],
    prescriptions: dict[str, Prescription],
    params: Parameters,
    as_of: date,
    total: Decimal,
    kind: Regime,
) -> FollowUpState:
    """Promises, plan, reminders and deadlines of ``claim`` (as known on ``as_of``)."""
    h = claim.history
    subdiv = subdivision(claim.debtor.address)
    promises = tuple(_promise_state(claim, p, as_of, total) for p in h.promises)
    plan = _plan_state(claim, h.payment_plan, as_of) if h.payment_plan else None
    notice = _notice_delay(h.formal_notice, params, subdiv) if h.formal_notice else None
    unpaid = [a for a in accounts if a.balance > 0]
    prescribed = bool(unpaid) and all(prescriptions[a.invoice.number].prescribed for a in unpaid)
    stopped = _stop_reason(claim, total, prescribed, plan, promises)
    reminders = reminder_plan(claim, unpaid or accounts, params, stopped, as_of)
    deadlines = _deadlines(claim, unpaid, prescriptions, params, as_of, notice, promises, plan, subdiv, kind)
    return FollowUpState(deadlines, reminders, notice, promises, plan, subdiv)


def _promise_state(claim: Claim, p: Promise, as_of: date, total: Decimal) -> PromiseState:
    """A promise is kept when the amount promised (everything, if none) was paid by its date."""
    if p.amount is None:
        kept = total <= 0
    else:
        paid = sum((x.amount for x in claim.payments if p.made <= x.date <= p.pay_by), ZERO)
        kept = paid >= p.amount
    return PromiseState(p, kept, not kept and as_of <= p.pay_by)


def _plan_state(claim: Claim, plan: PaymentPlan, as_of: date) -> PlanState:
    """Payments since the agreement towards the invoices it covers pay its instalments in order."""
    paid = sum(
        (x.amount for x in claim.payments if x.date >= plan.agreed and (x.invoice is None or plan.covers(x.invoice))),
        ZERO,
    )
    unpaid, needed = [], ZERO
    for i, inst in enumerate(plan.instalments):
        needed += inst.amount
        if paid < needed:
            unpaid.append(i)
    missed = next((i for i in unpaid if plan.instalments[i].due < as_of), None)
    next_due = next((i for i in unpaid if plan.instalments[i].due >= as_of), None)
    return PlanState(plan, paid, tuple(unpaid), missed, next_due)


@functools.lru_cache(maxsize=4096)
def _notice_delay(notice: FormalNotice, params: Parameters, subdiv: str | None) -> NoticeDelay:
    """``notice_delay``, memoized: a claim is assessed again and again with the same letter."""
    return notice_delay(notice, params, subdiv)


def notice_delay(notice: FormalNotice, params: Parameters, subdiv: str | None) -> NoticeDelay:
    """The last day of the délai the mise en demeure gave, from receipt or a prudent estimate."""
    days = notice.deadline_days or params.at("formal_notice_deadline_days", notice.sent).value
    if notice.received:
        received, estimated = notice.received, False
        start = f"La mise en demeure a été reçue le {long_date(received)}"
    else:
        guess = params.at("formal_notice_receipt_estimate_days", notice.sent).value
        received, estimated = notice.sent + guess * ONE_DAY, True
        start = (
            f"La date de réception de la mise en demeure n'est pas connue : par prudence, elle est "
            f"estimée au {long_date(received)}, {guess} jours après son envoi du {long_date(notice.sent)} "
            f"(acheminement et garde de la lettre au bureau de poste) ; indiquez la date de l'avis de "
            f"réception dès que vous l'avez"
        )
    nominal = received + days * ONE_DAY
    last = next_working_day(nominal, subdiv)
    basis = (
        f"{start}. Elle laissait {days} jours pour payer, le jour de réception non compté : "
        f"jusqu'au {long_date(last)} inclus.{moved_why(nominal, last, subdiv, procedural=False)}"
    )
    return NoticeDelay(notice, received, estimated, days, last, basis)


def _stop_reason(claim, total, prescribed, plan, promises) -> str | None:
    """Why no amicable reminder goes out, the most decisive reason first; None when they go on."""
    h = claim.history
    if total <= 0:
        return "paid"
    if claim.debtor.proceedings.kind != "none":
        return "proceedings"
    if h.order is not None:
        return "order"
    if prescribed:
        return "prescribed"
    if claim.dispute.contested:
        return "contested"
    if plan is not None and plan.active:
        return "payment_plan"
    if any(p.pending for p in promises):
        return "promise"
    if h.formal_notice is not None:
        return "formal_notice"
    return "paused" if claim.follow_up.paused else None


def plan_days(claim: Claim, params: Parameters, on: date) -> tuple[tuple[int, str], ...]:
    """The (days, channel) steps of the claim's reminder plan, or the default plan in force on ``on``."""
    if claim.follow_up.plan is not None:
        return tuple((s.days, s.channel) for s in claim.follow_up.plan)
    value = params.at("reminder_plan_days", on)
    key = ("reminder_plan", value.start)
    steps = params.memo.get(key)
    if steps is None:
        steps = params.memo[key] = tuple((int(d), "email") for d in value.value)
    return steps


def reminder_plan(claim: Claim, accounts, params: Parameters, stopped: str | None, as_of: date) -> ReminderPlan:
    """The plan's steps dated from the earliest due date, each on a working day, one due at a time."""
    if not accounts:
        return ReminderPlan((), stopped)
    base = min(a.due for a in accounts)
    sent = sorted(r.date for r in claim.history.reminders if r.date >= base)
    steps, due_given = [], False
    for i, (day, channel) in enumerate(_plan_dates(claim, params, base)):
        if i < len(sent):
            steps.append(ReminderStep(i + 1, day, channel, "done", sent[i]))
            continue
        if stopped is not None:
            status = "cancelled"
        elif day <= as_of and not due_given:
            status, due_given = "due", True
        else:
            status = "planned"
        steps.append(ReminderStep(i + 1, day, channel, status))
    default = () if claim.follow_up.plan is not None else tuple(d for d, _ in plan_days(claim, params, base))
    return ReminderPlan(tuple(steps), stopped, default)


def _plan_dates(claim: Claim, params: Parameters, base: date) -> tuple[tuple[date, str], ...]:
    """The (date, channel) of each step from ``base``."""
    return _dates(plan_days(claim, params, base), base, subdivision(claim.creditor.address))


@functools.lru_cache(maxsize=8192)
def _dates(steps: tuple[tuple[int, str], ...], base: date, subdiv: str | None) -> tuple[tuple[date, str], ...]:
    """Memoized: many claims share a due date and a plan."""
    return tuple((next_working_day(base + days * ONE_DAY, subdiv), channel) for days, channel in steps)


def _deadlines(
    claim, unpaid, prescriptions, params, as_of, notice, promises, plan, subdiv, kind: Regime
) -> tuple[Deadline, ...]:
    """Every dated deadline that applies, sorted by date."""
    out = []
    if notice is not None:
        out.append(
            Deadline(
                "formal_notice_expiry",
                notice.last_day,
                as_of > notice.last_day,
                "Fin du délai de paiement laissé par la mise en demeure",
                notice.basis,
            )
        )
    out += _order_deadlines(claim, params, as_of, subdiv)
    out += _declaration_deadline(claim, params, as_of, subdiv)
    out += _prescription_deadlines(unpaid, prescriptions, params, kind)
    for state in promises:
        if not state.kept:
            out.append(_promise_deadline(state, as_of))
    if plan is not None:
        out += _instalment_deadlines(plan, as_of)
    out.sort(key=lambda d: d.date)
    return tuple(out)


_PRESCRIPTION_PARAMETERS = {PUBLIC: "prescription_years_public", CONSUMER: "prescription_years_consumer"}


def _prescription_deadlines(unpaid, prescriptions, params: Parameters, kind: Regime) -> list[Deadline]:
    basis = params[_PRESCRIPTION_PARAMETERS.get(kind, "prescription_years_b2b")].reference
    out = []
    for a in unpaid:
        p = prescriptions[a.invoice.number]
        label = f"Prescription de la facture {a.invoice.number} : dernier jour pour agir en justice"
        out.append(Deadline("prescription", p.limit, p.prescribed, label, basis, a.invoice.number))
    return out


def _order_deadlines(claim: Claim, params: Parameters, as_of: date, subdiv: str | None) -> list[Deadline]:
    """Service of the ordonnance (caducité), then the opposition and enforceability."""
    order = claim.history.order
    if order is None or order.rendered is None or order.outcome == "rejected":
        return []
    if order.served is None:
        months = params.at("ip_signification_deadline_months", order.rendered)
        last, moved = _months_from(order.rendered, months.value, subdiv)
        basis = (
            f"{months.reference} : {months.value} mois à compter de l'ordonnance du {long_date(order.rendered)}"
            f"{_regimes(params, 'ip_signification_deadline_months')}.{moved}"
        )
        label = "Dernier jour pour faire signifier l'ordonnance, sinon elle est non avenue"
        return [Deadline("order_service", last, as_of > last, label, basis)]
    if not order.served_in_person:
        return []  # the opposition runs from a later act: the advice says so, no date to give
    months = params.at("ip_opposition_deadline_months", order.served)
    last, moved = _months_from(order.served, months.value, subdiv)
    basis = (
        f"{months.reference} : {months.value} mois à compter de la signification à personne du "
        f"{long_date(order.served)}.{moved}"
    )
    out = [Deadline("opposition", last, as_of > last, "Dernier jour pour l'opposition du débiteur", basis)]
    if order.opposition is None:
        enforceable = last + ONE_DAY
        out.append(
            Deadline(
                "order_enforceable",
                enforceable,
                as_of >= enforceable,
                "L'ordonnance devient exécutoire, faute d'opposition",
                "Art. 1422 du code de procédure civile : le délai d'opposition suspend l'exécution.",
            )
        )
    return out


def _months_from(start: date, months: int, subdiv: str | None) -> tuple[date, str]:
    """The last day of a procedural délai in months (art. 641 and 642 CPC), and why it moved, if it did."""
    nominal = add_months(start, months)
    last = next_working_day(nominal, subdiv)
    return last, moved_why(nominal, last, subdiv)


def _regimes(params: Parameters, name: str) -> str:
    """The successive values of a délai by date, when it changed: `` (6 mois … avant le …, 3 mois depuis)``."""
    entries = params[name].entries
    if len(entries) < 2:
        return ""
    parts = [f"{e.value} mois pour une ordonnance rendue avant le {long_date(n.start)}" for e, n in pairwise(entries)]
    return f" ({', '.join(parts)}, {entries[-1].value} mois depuis)"


def _declaration_deadline(claim: Claim, params: Parameters, as_of: date, subdiv: str | None) -> list[Deadline]:
    """Two months from the BODACC, doubled for a creditor outside metropolitan France (R622-24)."""
    p = claim.debtor.proceedings
    if p.kind == "none" or p.published is None:
        return []
    months = params.at("declaration_deadline_months", p.published)
    count, abroad = months.value, not claim.creditor.address.metropolitan
    if abroad:
        count *= int(params.at("declaration_deadline_abroad_multiplier", p.published).value)
    last, moved = _months_from(p.published, count, subdiv)
    basis = (
        f"{months.reference} : {count} mois à compter de la publication au BODACC du {long_date(p.published)}"
        f"{' (délai allongé pour un créancier établi hors de France métropolitaine)' if abroad else ''}.{moved}"
    )
    return [Deadline("claim_declaration", last, as_of > last, "Dernier jour pour déclarer la créance", basis)]


def _promise_deadline(state: PromiseState, as_of: date) -> Deadline:
    p = state.promise
    what = f"{euros(p.amount)}" if p.amount is not None else "la totalité"
    label = f"Paiement promis par le débiteur ({what}, promesse du {long_date(p.made)})"
    basis = "Promesse du débiteur : elle n'interrompt pas la prescription si elle n'est pas écrite."
    if not state.pending:
        label += " : promesse non tenue"
    return Deadline("promise", p.pay_by, as_of > p.pay_by, label, basis)


def _instalment_deadlines(state: PlanState, as_of: date) -> list[Deadline]:
    plan, n = state.plan, len(state.plan.instalments)
    basis = f"Échéancier convenu le {long_date(plan.agreed)}" + (
        ", signé par le débiteur (reconnaissance de dette, art. 2240 C. civ.)." if plan.signed_by_debtor else "."
    )
    out = []
    for i in state.unpaid:
        inst = plan.instalments[i]
        label = f"Échéance {i + 1}/{n} de l'échéancier : {euros(inst.amount)}"
        if i == state.missed:
            label += " (impayée : l'échéancier est rompu)"
        out.append(Deadline("instalment", inst.due, as_of > inst.due, label, basis))
    return out
