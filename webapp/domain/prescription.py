"""Prescription (limitation) of each invoice: until when the creditor may still act.

The period runs from the work done or the goods delivered (Cass. 1re civ. 19 May 2021;
Com. 26 Feb 2020): 5 years between professionals (L110-4 C. com., 2224 C. civ.),
2 years for a professional against a consumer (L218-2 C. conso.). A written
acknowledgment or a partial payment made before the end restarts it (art. 2240, 2231
C. civ.); a mise en demeure does not. Debts of public bodies fall under the 4-year
déchéance quadriennale (loi n° 68-1250), counted from 1 January and interrupted by any
written claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .claim import Claim
from .dates import add_years, fr_short
from .ledger import InvoiceAccount
from .parameters import Parameters
from .parties import CONSUMER, PUBLIC, regime

_WRITTEN = ("email", "letter", "registered_letter")


@dataclass(frozen=True)
class Prescription:
    """One invoice's limit: the last day to act, and how it was reached.

    The explanation is kept as (template, values) steps and written out only when read:
    most assessments never show it, and formatting dates costs more than the law here.
    """

    limit: date
    prescribed: bool
    steps: tuple[tuple[str, tuple], ...] = ()

    @property
    def basis(self) -> str:
        return " ".join(
            t.format(*(fr_short(v) if isinstance(v, date) else v for v in values)) for t, values in self.steps
        )


def invoice_prescription(claim: Claim, account: InvoiceAccount, params: Parameters, as_of: date) -> Prescription:
    """The prescription of one invoice on ``as_of``."""
    kind = regime(claim)
    if kind is PUBLIC:
        return _quadriennale(claim, account, params, as_of)
    consumer = kind is CONSUMER
    name = "prescription_years_consumer" if consumer else "prescription_years_b2b"
    start = account.invoice.performed_on
    years = params.at(name, start)
    limit = add_years(start, years.value)
    law = "entre un professionnel et un consommateur" if consumer else "entre professionnels ou de droit commun"
    steps = [
        (
            "Prescription de {} ans {} ({}), comptée depuis {} du {}{} : jusqu'au {}.",
            (years.value, law, years.cite, *_start_words(account), start, _start_caveat(account), limit),
        )
    ]
    for day, what in _interruptions(claim, account):
        if day > limit:
            steps.append(
                ("Événement du {} ({}) postérieur à la fin du délai : il ne le fait pas repartir.", (day, what))
            )
            continue
        limit = add_years(day, years.value)
        steps.append(
            (
                "{} du {} fait repartir un délai de {} ans (art. 2240 C. civ.) : jusqu'au {}.",
                (what.capitalize(), day, years.value, limit),
            )
        )
    if claim.history.formal_notice:
        steps.append(("Une mise en demeure n'interrompt pas la prescription.", ()))
    return Prescription(limit, as_of > limit, tuple(steps))


def _start_words(account: InvoiceAccount) -> tuple[str]:
    return ("la livraison ou la prestation" if account.invoice.performed else "la date de la facture",)


def _start_caveat(account: InvoiceAccount) -> str:
    """Without a delivery date the invoice date stands in; the true start may be earlier."""
    if account.invoice.performed:
        return ""
    return (
        ", faute de date de livraison ou de prestation (le délai court en réalité depuis la prestation : "
        "si elle est antérieure, il expire plus tôt)"
    )


def _interruptions(claim: Claim, account: InvoiceAccount) -> list[tuple[date, str]]:
    """Acknowledgments and partial payments of this invoice, in date order."""
    plan = claim.history.payment_plan
    if not claim.history.acknowledgments and not account.imputations and plan is None:
        return []  # the usual case, answered without building and sorting empty lists
    events = [
        (a.date, "la reconnaissance de dette écrite")
        for a in claim.history.acknowledgments
        if a.covers(account.invoice.number)
    ]
    if plan is not None and plan.signed_by_debtor and plan.covers(account.invoice.number):
        events.append((plan.agreed, "l'échéancier signé (reconnaissance de dette)"))
    events += [(i.date, "le paiement partiel") for i in account.imputations]
    return sorted(set(events))


def _quadriennale(claim: Claim, account: InvoiceAccount, params: Parameters, as_of: date) -> Prescription:
    """Déchéance quadriennale: 4 years from 1 January after the right arose or was claimed."""
    start = account.invoice.performed_on
    years = params.at("prescription_years_public", start)
    limit = date(start.year + years.value, 12, 31)
    steps = [
        (
            "Contre une personne publique, la déchéance quadriennale ({}) court depuis le 1er janvier "
            "suivant la prestation du {} : jusqu'au {}.",
            (years.cite, start, limit),
        )
    ]
    events = _interruptions(claim, account)
    events += [(r.date, "la relance écrite") for r in claim.history.reminders if r.channel in _WRITTEN]
    if claim.history.formal_notice:
        events.append((claim.history.formal_notice.sent, "la mise en demeure"))
    for day, what in sorted(events):
        if day <= limit:
            limit = date(day.year + years.value, 12, 31)
            steps.append(("{} du {} interrompt le délai : jusqu'au {}.", (what.capitalize(), day, limit)))
    return Prescription(limit, as_of > limit, tuple(steps))
