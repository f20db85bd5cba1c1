"""The three conditions of a claim a court will enforce: certaine, liquide, exigible.

Each check says, in plain French, why it holds or not and what would strengthen it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .claim import Claim
from .french import euros, short_date
from .ledger import InvoiceAccount
from .money import ZERO
from .parameters import Parameters
from .parties import PUBLIC, Standing

WRITTEN_PROOF = ("signed_quote", "purchase_order", "contract", "acceptance")
SUPPORTING_PROOF = ("delivery_note", "correspondence", "general_terms", "formal_notice_receipt")


@dataclass(frozen=True)
class Check:
    """Whether a condition holds, and why in plain French.

    The reasons are written out when read, by ``write`` from ``args`` kept at assessment
    time (as ``Prescription`` does): most assessments never show them, and writing them
    costs more than deciding.
    """

    ok: bool
    write: Callable[..., tuple[str, ...]] = field(repr=False)
    args: tuple = field(default=(), repr=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.write(*self.args)


def _given(*reasons: str) -> tuple[str, ...]:
    """Reasons already written: a check whose wording is fixed."""
    return reasons


def certain(claim: Claim, params: Parameters, as_of: date, parties: Standing) -> Check:
    """Certaine: not seriously disputed, and proven well enough for the debtor's kind."""
    if claim.dispute.contested:
        return Check(False, _contested_reasons, (claim.dispute.details,))
    kinds = {e.kind for e in claim.evidence}
    written = bool(kinds & _WRITTEN or claim.history.acknowledgments)
    merchant = parties.merchant_debtor
    if merchant or parties.regime is PUBLIC:
        return Check(True, _certain_reasons, (kinds, written, merchant))
    threshold = params.at("proof_writing_threshold", as_of)
    total = sum((inv.amount for inv in claim.invoices), ZERO)
    above = total > threshold.value
    return Check(not (above and not written), _certain_reasons, (kinds, written, merchant, threshold, total))


_WRITTEN = frozenset(WRITTEN_PROOF)
_SUPPORTING = frozenset(SUPPORTING_PROOF)


def _contested_reasons(details: str | None) -> tuple[str, ...]:
    detail = f" ({details})" if details else ""
    return (
        f"Le débiteur conteste la créance{detail}. Une contestation sérieuse empêche "
        "l'injonction de payer et le référé-provision : il faut un procès au fond, où le "
        "juge tranchera le désaccord.",
    )


def _certain_reasons(kinds: set[str], written: bool, merchant: bool, threshold=None, total=None) -> tuple[str, ...]:
    """Why the claim is proven (or not): the evidence, then the rule of proof that applies.

    ``threshold`` and ``total`` are given only when the writing requirement applies (a
    debtor who is neither a merchant nor a public body).
    """
    reasons = ["Le débiteur n'a pas soulevé de contestation sérieuse."]
    if written:
        reasons.append(
            "Un écrit du débiteur (devis signé, bon de commande, contrat, acceptation "
            "ou reconnaissance de dette) prouve son engagement : c'est la meilleure "
            "preuve."
        )
    elif kinds & _SUPPORTING:
        reasons.append(
            "Les pièces fournies (bon de livraison, échanges, conditions générales) "
            "appuient les factures ; un devis signé ou un bon de commande serait plus "
            "solide encore."
        )
    else:
        reasons.append(
            "Seules les factures prouvent la créance : une facture est établie par le "
            "créancier lui-même, c'est une preuve faible. Joignez si possible un devis "
            "signé, un bon de commande, un bon de livraison ou des échanges écrits."
        )
    if threshold is None:
        if merchant:
            reasons.append(
                "Contre un commerçant, la preuve est libre (art. L110-3 C. com.) : "
                "factures, courriels et bons de livraison sont admis."
            )
        return tuple(reasons)
    if total > threshold.value and not written:
        reasons.append(
            f"Contre un débiteur qui n'est pas commerçant, un écrit signé par lui est exigé "
            f"au-delà de {euros(threshold.value)} ({threshold.cite}) ; le total des factures "
            f"est de {euros(total)} et aucun devis signé, contrat, bon de commande ou "
            f"reconnaissance de dette n'est fourni. Sans cet écrit, le juge risque de rejeter "
            f"la demande."
        )
    elif total > threshold.value:
        reasons.append(
            f"Au-delà de {euros(threshold.value)}, un écrit est exigé contre un "
            f"non-commerçant ({threshold.cite}) : il est fourni."
        )
    return tuple(reasons)


def liquid(claim: Claim, accounts: list[InvoiceAccount]) -> Check:
    """Liquide: the amount is determined, in euros, invoice by invoice."""
    return Check(True, _liquid_reasons, (accounts,))


def _liquid_reasons(accounts: list[InvoiceAccount]) -> tuple[str, ...]:
    invoiced = sum((a.invoice.amount for a in accounts), ZERO)
    paid = sum((a.paid for a in accounts), ZERO)
    reason = f"Le montant est déterminé : {len(accounts)} facture(s) pour {euros(invoiced)} TTC"
    reason += f", moins {euros(paid)} déjà payés." if paid else "."
    return (reason,)


def due(accounts: list[InvoiceAccount], as_of: date) -> Check:
    """Exigible: the due date of at least one unpaid invoice has passed on ``as_of``."""
    open_accounts = [a for a in accounts if a.balance > 0]
    if not open_accounts:
        return Check(False, _given, ("Toutes les factures sont payées : il ne reste rien à réclamer en principal.",))
    return Check(any(as_of > a.due for a in open_accounts), _due_reasons, (open_accounts, as_of))


def _due_reasons(open_accounts: list[InvoiceAccount], as_of: date) -> tuple[str, ...]:
    reasons = []
    for a in open_accounts:
        if a.due_reason:
            reasons.append(f"Facture {a.invoice.number} : {a.due_reason} Échéance retenue : {short_date(a.due)}.")
        if as_of > a.due:
            reasons.append(
                f"Facture {a.invoice.number} : échue depuis le "
                f"{short_date(a.due)} ({a.days_late(as_of)} jours de retard)."
            )
        else:
            reasons.append(
                f"Facture {a.invoice.number} : pas encore exigible, échéance le "
                f"{short_date(a.due)} ; elle ne peut pas encore être réclamée."
            )
    return tuple(reasons)
