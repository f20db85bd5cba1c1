"""The claim: who is owed what by whom, as typed, immutable values.

Mirrors the claim file format (``shared/claim-format.md``). Money is ``Decimal``, dates
are ``date``; loading and validation live in ``claim_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

CREDITOR_KINDS = ("company", "sole_trader", "association", "individual")
DEBTOR_KINDS = ("company", "sole_trader", "association", "consumer", "public_body")
ACTIVITIES = ("commercial", "artisanal", "liberal", "agricultural", "civil")
PROCEEDINGS_KINDS = ("none", "sauvegarde", "redressement", "liquidation")
EVIDENCE_KINDS = (
    "signed_quote",
    "purchase_order",
    "contract",
    "delivery_note",
    "acceptance",
    "general_terms",
    "correspondence",
    "formal_notice_receipt",
    "other",
)
REMINDER_CHANNELS = ("email", "letter", "phone", "registered_letter")
ORDER_OUTCOMES = ("granted", "partly_granted", "rejected")
PENALTY_KEYWORDS = ("ecb_plus_10", "three_times_legal")
FLOOR_READINGS = ("lower", "raise_to_floor", "default_rate")  # Dûment's terms.below_floor

# Legal forms of sociétés civiles: civil by form, whatever they do.
CIVIL_LEGAL_FORMS = (
    "SCI",
    "SCP",
    "SCM",
    "SCEA",
    "SCCV",
    "SCPI",
    "GAEC",
    "SOCIETE CIVILE",
    "SOCIÉTÉ CIVILE",
    "GFA",
    "GFV",
)
# Commercial by their form whatever their object (art. L210-1 al. 2 C. com.).
COMMERCIAL_LEGAL_FORMS = ("SNC", "SCS", "SARL", "EURL", "SA", "SAS", "SASU", "SCA")
# Sociétés d'exercice libéral: civil courts only (art. L721-5 C. com.).
LIBERAL_LEGAL_FORMS = ("SELARL", "SELAS", "SELASU", "SELAFA", "SELCA", "SELEURL")


@dataclass(frozen=True)
class Address:
    line1: str
    postcode: str
    city: str
    country: str = "FR"
    line2: str | None = None

    @property
    def department(self) -> str | None:
        """The French département code from the postcode (``"69"``, ``"2A"``, ``"971"``)."""
        if self.country != "FR" or len(self.postcode) != 5 or not self.postcode.isdigit():
            return None
        if self.postcode.startswith("97"):
            return self.postcode[:3]
        if self.postcode.startswith("20"):
            return "2A" if int(self.postcode) < 20200 else "2B"
        return self.postcode[:2]

    @property
    def metropolitan(self) -> bool:
        """Whether the address is in metropolitan France (not abroad, not overseas)."""
        dept = self.department
        return self.country == "FR" and dept is not None and len(dept) == 2


@dataclass(frozen=True)
class Mandataire:
    name: str
    address: Address | None = None


@dataclass(frozen=True)
class Proceedings:
    kind: str = "none"
    opened: date | None = None
    published: date | None = None
    mandataire: Mandataire | None = None


@dataclass(frozen=True)
class Party:
    name: str
    kind: str
    address: Address
    legal_form: str | None = None
    siren: str | None = None
    email: str | None = None
    phone: str | None = None
    activity: str | None = None
    signatory: str | None = None
    iban: str | None = None
    birth_date: date | None = None
    birth_place: str | None = None
    nationality: str | None = None
    profession: str | None = None
    proceedings: Proceedings = field(default_factory=Proceedings)
    first_name: str | None = None  # a creditor who is a person: the names a court request needs
    last_name: str | None = None


@dataclass(frozen=True)
class Invoice:
    number: str
    issued: date
    amount: Decimal
    performed: date | None = None
    due: date | None = None
    description: str | None = None
    file: str | None = None

    @property
    def performed_on(self) -> date:
        """Delivery or completion date; the invoice date when not given."""
        return self.performed or self.issued


@dataclass(frozen=True)
class Payment:
    date: date
    amount: Decimal
    invoice: str | None = None


@dataclass(frozen=True)
class CreditNote:
    """An avoir the creditor granted: it lowers an invoice's principal, it is no payment."""

    number: str
    date: date
    amount: Decimal
    invoice: str | None = None  # None: the oldest unpaid invoice
    file: str | None = None


@dataclass(frozen=True)
class Terms:
    late_penalty_rate: Decimal | str | None = None
    recovery_indemnity: bool | None = None
    below_floor: str | None = None  # Dûment's: reading of a clause below the legal minimum (terms.py)


@dataclass(frozen=True)
class Evidence:
    kind: str
    title: str
    date: date | None = None
    file: str | None = None


@dataclass(frozen=True)
class Dispute:
    contested: bool = False
    details: str | None = None


@dataclass(frozen=True)
class Reminder:
    date: date
    channel: str


@dataclass(frozen=True)
class FormalNotice:
    sent: date
    registered: bool = False
    received: date | None = None
    deadline_days: int | None = None  # the délai given to pay; None: the usual one (parameter)

    @property
    def effective(self) -> date:
        """When it took effect: on receipt, or when sent if receipt is unknown."""
        return self.received or self.sent


@dataclass(frozen=True)
class Acknowledgment:
    date: date
    invoices: tuple[str, ...] | None = None  # None: all invoices

    def covers(self, number: str) -> bool:
        return self.invoices is None or number in self.invoices


@dataclass(frozen=True)
class Promise:
    """The debtor promised to pay ``amount`` (None: everything) by ``pay_by``."""

    made: date
    pay_by: date
    amount: Decimal | None = None


@dataclass(frozen=True)
class Instalment:
    due: date
    amount: Decimal


@dataclass(frozen=True)
class PaymentPlan:
    """An agreed échéancier; signed by the debtor, it acknowledges the debt (art. 2240 C. civ.)."""

    agreed: date
    instalments: tuple[Instalment, ...]
    signed_by_debtor: bool = False
    invoices: tuple[str, ...] | None = None  # None: all invoices

    def covers(self, number: str) -> bool:
        return self.invoices is None or number in self.invoices


@dataclass(frozen=True)
class Order:
    """The injonction de payer once requested: filing, decision, service, opposition."""

    filed: date
    rendered: date | None = None
    outcome: str | None = None
    served: date | None = None
    served_in_person: bool | None = None
    opposition: date | None = None

    def known_on(self, on: date) -> Order | None:
        """The order as it stood on ``on``: later steps left out."""
        if self.filed > on:
            return None
        if self.rendered and self.rendered > on:
            return Order(self.filed)
        if self.served and self.served > on:
            return Order(self.filed, self.rendered, self.outcome)
        if self.opposition and self.opposition > on:
            return replace(self, opposition=None)
        return self

    def last_event(self) -> date:
        return max(d for d in (self.filed, self.rendered, self.served, self.opposition) if d)


@dataclass(frozen=True)
class History:
    reminders: tuple[Reminder, ...] = ()
    formal_notice: FormalNotice | None = None
    acknowledgments: tuple[Acknowledgment, ...] = ()
    promises: tuple[Promise, ...] = ()
    payment_plan: PaymentPlan | None = None
    order: Order | None = None


@dataclass(frozen=True)
class PlanStep:
    """One step of the reminder plan: ``days`` after the due date, by ``channel``."""

    days: int
    channel: str


@dataclass(frozen=True)
class FollowUp:
    """The reminder plan of this claim; None for ``plan`` means the default plan."""

    plan: tuple[PlanStep, ...] | None = None
    paused: bool = False


@dataclass(frozen=True)
class Negotiation:
    """The creditor's margin for the procédure simplifiée (art. L125-1 CPCE)."""

    max_discount_percent: Decimal | None = None
    max_instalments: int | None = None


@dataclass(frozen=True)
class Filing:
    """Dûment's: optional requests of the requête beyond the payment."""

    refer_on_opposition: bool = False  # art. 1408 CPC: send the case to the trial court if opposed


@dataclass(frozen=True)
class Claim:
    creditor: Party
    debtor: Party
    invoices: tuple[Invoice, ...]
    payments: tuple[Payment, ...] = ()
    terms: Terms = field(default_factory=Terms)
    evidence: tuple[Evidence, ...] = ()
    dispute: Dispute = field(default_factory=Dispute)
    history: History = field(default_factory=History)
    negotiation: Negotiation | None = None
    follow_up: FollowUp = field(default_factory=FollowUp)
    filing: Filing = field(default_factory=Filing)
    credit_notes: tuple[CreditNote, ...] = ()

    def invoice(self, number: str) -> Invoice:
        return next(inv for inv in self.invoices if inv.number == number)

    def as_known_on(self, on: date) -> Claim:
        """The claim as it stood on ``on``: later payments, letters, promises, plans and
        judgments left out."""
        if self._nothing_after(on):
            return self  # nothing to leave out: the claim is already as it stood on ``on``
        h = self.history
        notice = h.formal_notice if h.formal_notice and h.formal_notice.sent <= on else None
        if notice and notice.received and notice.received > on:
            notice = replace(notice, received=None)
        history = History(
            tuple(r for r in h.reminders if r.date <= on),
            notice,
            tuple(a for a in h.acknowledgments if a.date <= on),
            tuple(p for p in h.promises if p.made <= on),
            h.payment_plan if h.payment_plan and h.payment_plan.agreed <= on else None,
            h.order.known_on(on) if h.order else None,
        )
        debtor = self.debtor
        if debtor.proceedings.opened and debtor.proceedings.opened > on:
            debtor = replace(debtor, proceedings=Proceedings())
        payments = tuple(p for p in self.payments if p.date <= on)
        credits = tuple(n for n in self.credit_notes if n.date <= on)
        return replace(self, history=history, debtor=debtor, payments=payments, credit_notes=credits)

    def _nothing_after(self, on: date) -> bool:
        """Whether nothing in the claim is dated after ``on`` (the usual case, checked first
        because rebuilding the claim costs more than the rest of its reading)."""
        h = self.history
        notice = h.formal_notice
        if notice and (notice.sent > on or (notice.received and notice.received > on)):
            return False
        opened = self.debtor.proceedings.opened
        if opened and opened > on:
            return False
        return (
            all(p.date <= on for p in self.payments)
            and all(n.date <= on for n in self.credit_notes)
            and all(r.date <= on for r in h.reminders)
            and all(a.date <= on for a in h.acknowledgments)
            and all(p.made <= on for p in h.promises)
            and (h.payment_plan is None or h.payment_plan.agreed <= on)
            and (h.order is None or h.order.last_event() <= on)
        )
