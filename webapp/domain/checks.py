"""The three conditions of a claim a court will enforce: certaine, liquide, exigible.

Each check says, in plain French, why it holds or not and what would strengthen it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .claim import Claim
from .dates import fr_short
from .ledger import InvoiceAccount
from .money import ZERO
from .parameters import Parameters
from .parties import Regime, is_merchant, regime

WRITTEN_PROOF = ("signed_quote", "purchase_order", "contract", "acceptance")
SUPPORTING_PROOF = ("delivery_note", "correspondence", "general_terms", "formal_notice_receipt")


@dataclass(frozen=True)
class Check:
    ok: bool
    reasons: tuple[str, ...]


def euros(amount: Decimal) -> str:
    """A short French rendering of an amount for reasons: ``1 015,78 €``."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents}\u00a0€"


def certain(claim: Claim, params: Parameters, as_of: date) -> Check:
    """Certaine: not seriously disputed, and proven well enough for the debtor's kind."""
    reasons = []
    if claim.dispute.contested:
        detail = f" ({claim.dispute.details})" if claim.dispute.details else ""
        return Check(
            False,
            (
                f"Le débiteur conteste la créance{detail}. Une contestation sérieuse empêche "
                "l'injonction de payer et le référé-provision : il faut un procès au fond, où le "
                "juge tranchera le désaccord.",
            ),
        )
    reasons.append("Le débiteur n'a pas soulevé de contestation sérieuse.")
    kinds = {e.kind for e in claim.evidence}
    written = kinds & set(WRITTEN_PROOF) or claim.history.acknowledgments
    if written:
        reasons.append(
            "Un écrit du débiteur (devis signé, bon de commande, contrat, acceptation "
            "ou reconnaissance de dette) prouve son engagement : c'est la meilleure "
            "preuve."
        )
    elif kinds & set(SUPPORTING_PROOF):
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
    if regime(claim) is Regime.PUBLIC or is_merchant(claim.debtor):
        if is_merchant(claim.debtor):
            reasons.append(
                "Contre un commerçant, la preuve est libre (art. L110-3 C. com.) : "
                "factures, courriels et bons de livraison sont admis."
            )
        return Check(True, tuple(reasons))
    threshold = params.at("proof_writing_threshold", as_of)
    total = sum((inv.amount for inv in claim.invoices), ZERO)
    if total > threshold.value and not written:
        reasons.append(
            f"Contre un débiteur qui n'est pas commerçant, un écrit signé par lui est exigé "
            f"au-delà de {euros(threshold.value)} ({threshold.cite}) ; le total des factures "
            f"est de {euros(total)} et aucun devis signé, contrat, bon de commande ou "
            f"reconnaissance de dette n'est fourni. Sans cet écrit, le juge risque de rejeter "
            f"la demande."
        )
        return Check(False, tuple(reasons))
    if total > threshold.value:
        reasons.append(
            f"Au-delà de {euros(threshold.value)}, un écrit est exigé contre un "
            f"non-commerçant ({threshold.cite}) : il est fourni."
        )
    return Check(True, tuple(reasons))


def liquid(claim: Claim, accounts: list[InvoiceAccount]) -> Check:
    """Liquide: the amount is determined, in euros, invoice by invoice."""
    invoiced = sum((a.invoice.amount for a in accounts), ZERO)
    paid = sum((a.paid for a in accounts), ZERO)
    reason = f"Le montant est déterminé : {len(accounts)} facture(s) pour {euros(invoiced)} TTC"
    reason += f", moins {euros(paid)} déjà payés." if paid else "."
    return Check(True, (reason,))


def due(accounts: list[InvoiceAccount], as_of: date) -> Check:
    """Exigible: the due date of at least one unpaid invoice has passed on ``as_of``."""
    reasons = []
    open_accounts = [a for a in accounts if a.balance > 0]
    if not open_accounts:
        return Check(False, ("Toutes les factures sont payées : il ne reste rien à réclamer en principal.",))
    late = [a for a in open_accounts if as_of > a.due]
    for a in open_accounts:
        if a.due_reason:
            reasons.append(f"Facture {a.invoice.number} : {a.due_reason} Échéance retenue : {fr_short(a.due)}.")
        if as_of > a.due:
            reasons.append(
                f"Facture {a.invoice.number} : échue depuis le "
                f"{fr_short(a.due)} ({a.days_late(as_of)} jours de retard)."
            )
        else:
            reasons.append(
                f"Facture {a.invoice.number} : pas encore exigible, échéance le "
                f"{fr_short(a.due)} ; elle ne peut pas encore être réclamée."
            )
    return Check(bool(late), tuple(reasons))
