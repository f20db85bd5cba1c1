"""The contractual penalty rate: whether the claim proves it, and which reading of a clause
below the legal minimum it claims (art. L441-10 II C. com.).

A rate the debtor never accepted in writing is not claimed: without general terms, a
contract or a signed quote, the legal default applies. A clause below three times the
legal rate is read two ways (raised to that minimum, or set aside for the default ECB +
10 points); unless the user chooses one knowingly, each half-year claims the lower of the
two, which the debtor can least contest.
"""

from __future__ import annotations

from decimal import Decimal

from .claim import FLOOR_READINGS, Claim, Evidence

PROOF_KINDS = ("general_terms", "contract", "signed_quote")
LOWER, RAISE, DEFAULT = FLOOR_READINGS


def rate_proof(claim: Claim) -> Evidence | None:
    """The first piece of evidence that can carry a rate the debtor accepted, if any."""
    return next((ev for ev in claim.evidence if ev.kind in PROOF_KINDS), None)


def proven_rate(claim: Claim) -> Decimal | str | None:
    """The penalty rate of the terms when a piece proves it; None (the legal default) otherwise."""
    rate = claim.terms.late_penalty_rate
    if rate is None or rate_proof(claim) is None:
        return None
    return rate


def reading(claim: Claim) -> str:
    """The reading of a clause below the legal minimum that the claim uses."""
    return claim.terms.below_floor or LOWER


def unproven_note(claim: Claim, default_label: str) -> str | None:
    """Why the rate of the terms is not claimed, and what would let it be; None when it is."""
    rate = claim.terms.late_penalty_rate
    if rate is None or rate_proof(claim) is not None:
        return None
    shown = {"ecb_plus_10": "taux BCE + 10 points", "three_times_legal": "trois fois le taux légal"}.get(
        rate, f"{str(rate).replace('.', ',')} %"
    )
    return (
        f"Le taux de pénalités de vos conditions ({shown}) n'est prouvé par aucune pièce que le "
        f"débiteur a acceptée : ni conditions générales, ni contrat, ni devis signé. Un taux "
        f"convenu doit pouvoir être montré au juge ; à défaut, Dûment réclame {default_label}, "
        f"que la loi accorde sans clause. Ajoutez aux pièces les conditions générales acceptées "
        f"par le débiteur (ou le contrat, ou le devis signé qui fixe le taux) pour réclamer le "
        f"taux convenu."
    )
