"""The "Échéancier et reconnaissance de dette": a payment plan the debtor signs.

Offered when a plan is recorded in the claim (its instalments as agreed) or proposed
(the creditor's negotiation margin gives a number of monthly instalments: the amount due
today split into equal parts, the last one taking the cents). Signed by the debtor, it
acknowledges the debt and restarts prescription (art. 2240 C. civ.).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from ..domain.assessment import Assessment
from ..domain.dates import add_months
from ..domain.money import to_cents
from ..domain.procedures import Library
from .french import montant_en_lettres

DOCUMENT_ID = "echeancier"
_CENT = Decimal("0.01")


def availability(a: Assessment) -> tuple[bool, list[str]]:
    """Whether this claim can have an échéancier, else why not."""
    claim = a.claim
    if a.amounts.total <= 0:
        return False, ["Il ne reste rien à payer."]
    if claim.debtor.proceedings.kind != "none":
        return False, [
            "Le débiteur est en procédure collective : il lui est interdit de payer une dette antérieure au "
            "jugement d'ouverture (art. L622-7 C. com.) ; déclarez la créance."
        ]
    if a.prescription.prescribed:
        return False, ["Toutes les factures impayées sont prescrites."]
    if claim.history.payment_plan is None and not _proposed_count(a):
        return False, [
            "Aucun échéancier n'est convenu ni proposé : notez l'échéancier convenu dans le suivi du dossier, "
            "ou indiquez le nombre de mensualités que vous accepteriez (marge de négociation)."
        ]
    return True, []


def _proposed_count(a: Assessment) -> int | None:
    negotiation = a.claim.negotiation
    return negotiation.max_instalments if negotiation and negotiation.max_instalments else None


def plan_context(a: Assessment, library: Library) -> dict[str, Any] | None:
    """The plan as the document shows it: amount acknowledged, invoices, instalments, next one to pay."""
    if not availability(a)[0]:
        return None
    plan = a.claim.history.payment_plan
    if plan is not None:
        instalments = [(i.due, i.amount) for i in plan.instalments]
        numbers = list(plan.invoices) if plan.invoices else _open_numbers(a)
        agreed, signed = plan.agreed, plan.signed_by_debtor
    else:
        instalments = split(to_cents(a.amounts.total), _proposed_count(a), add_months(a.as_of, 1))
        numbers, agreed, signed = _open_numbers(a), None, False
    total = sum((amount for _, amount in instalments), Decimal(0))
    unpaid = a.follow_up.plan.unpaid if plan is not None and a.follow_up and a.follow_up.plan else ()
    first = unpaid[0] if unpaid else 0
    notice_days = library.parameters.at("formal_notice_deadline_days", a.as_of).value
    return {
        "recorded": plan is not None,
        "agreed": agreed,
        "signed": signed,
        "invoices": numbers,
        "total": total,
        "total_words": montant_en_lettres(total),
        "is_whole_claim": total == to_cents(a.amounts.total),
        "instalments": [
            {"number": n + 1, "due": due, "amount": amount, "paid": plan is not None and n not in unpaid}
            for n, (due, amount) in enumerate(instalments)
        ],
        "next": {"number": first + 1, "due": instalments[first][0], "amount": instalments[first][1]},
        "count": len(instalments),
        "notice_days": notice_days,
    }


def _open_numbers(a: Assessment) -> list[str]:
    return [acc.invoice.number for acc in a.accounts if acc.balance > 0 or acc.indemnity > 0]


def split(total: Decimal, count: int, first: date) -> list[tuple[date, Decimal]]:
    """``total`` in ``count`` monthly instalments from ``first`` (same day each month, or the
    month's last day); equal parts rounded down to the cent, the last one taking the cents."""
    part = (total / count).quantize(_CENT, ROUND_DOWN)
    amounts = [part] * (count - 1) + [total - part * (count - 1)]
    return [(add_months(first, n), amount) for n, amount in enumerate(amounts)]
