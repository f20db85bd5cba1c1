"""Who the parties are in law: professional or not, merchant or not, which regime applies.

The kind of creditor and debtor decides almost everything else: the interest regime,
the prescription period, the proof required and the competent court.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .claim import CIVIL_LEGAL_FORMS, COMMERCIAL_LEGAL_FORMS, LIBERAL_LEGAL_FORMS, Claim, Party


class Regime(Enum):
    """The legal relationship between creditor and debtor."""

    B2B = "b2b"  # professional creditor, professional debtor: L441-10 C. com.
    CONSUMER = "consumer"  # professional creditor, consumer debtor: C. civ. + C. conso.
    PUBLIC = "public"  # public body debtor: code de la commande publique
    CIVIL = "civil"  # creditor not acting as a professional: droit commun


# The members again, as plain names for code run per invoice: looking up ``Regime.X``
# goes through the enum metaclass's ``__getattr__`` hook and costs four times as much.
B2B, CONSUMER, PUBLIC, CIVIL = Regime.B2B, Regime.CONSUMER, Regime.PUBLIC, Regime.CIVIL


def regime(claim: Claim) -> Regime:
    """The relationship that decides interest, indemnity and prescription."""
    if claim.debtor.kind == "public_body":
        return PUBLIC
    if claim.creditor.kind == "individual":
        return CIVIL
    if claim.debtor.kind == "consumer":
        return CONSUMER
    return B2B


@dataclass(frozen=True, slots=True)
class Standing:
    """Who the parties are in law, worked out once per assessment and passed on: the
    interest regime, each party's activity, whether the debtor is a merchant."""

    regime: Regime
    debtor_activity: str | None
    creditor_activity: str | None
    merchant_debtor: bool


def standing(claim: Claim) -> Standing:
    """The claim's parties as the law sees them (see ``Standing``)."""
    debtor = claim.debtor
    return Standing(regime(claim), debtor_activity(debtor), creditor_activity(claim.creditor), is_merchant(debtor))


def _form_in(party: Party, forms: tuple[str, ...]) -> bool:
    if not party.legal_form:
        return False  # most parties give no form: no need to compare it with every one
    form = party.legal_form.upper().strip()
    return any(form == f or form.startswith(f + " ") for f in forms)


def is_civil_company(party: Party) -> bool:
    """A société civile (SCI, SCP, SCM…): civil by form whatever it does."""
    return _form_in(party, CIVIL_LEGAL_FORMS)


def debtor_activity(debtor: Party) -> str | None:
    """The debtor's activity as the law sees it; None when it cannot be known.

    The legal form wins over the declared activity where the law says so: SARL, SAS,
    SA… are commercial by form (L210-1 C. com.), SEL go to the civil courts (L721-5).
    """
    if debtor.kind == "company" and _form_in(debtor, COMMERCIAL_LEGAL_FORMS):
        return "commercial"
    if debtor.kind == "company" and _form_in(debtor, LIBERAL_LEGAL_FORMS):
        return "liberal"
    if debtor.activity:
        return debtor.activity
    if debtor.kind == "company":
        return "civil" if is_civil_company(debtor) else "commercial"
    if debtor.kind == "association":
        return "civil"
    return None


def creditor_activity(creditor: Party) -> str | None:
    """The creditor's activity as the law sees it; None for a sole trader who did not say.

    A company follows its form as a debtor does; an association or a private person is
    never a merchant nor an artisan.
    """
    if creditor.kind in ("association", "individual"):
        return "civil"
    if creditor.kind == "company":
        return debtor_activity(creditor)
    return creditor.activity


def is_merchant(debtor: Party) -> bool:
    """Whether the debtor is a commerçant, against whom proof is free (L110-3 C. com.)."""
    return debtor.kind in ("company", "sole_trader") and debtor_activity(debtor) == "commercial"


KIND_LABELS = {
    "company": "société",
    "sole_trader": "entrepreneur individuel",
    "association": "association",
    "individual": "particulier",
    "consumer": "particulier (consommateur)",
    "public_body": "personne publique",
}


def kind_label(party: Party) -> str:
    """The party's kind in plain French."""
    return KIND_LABELS[party.kind]
