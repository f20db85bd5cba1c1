"""Does an invoice state what art. L441-9 C. com. requires between professionals?

Two mentions matter for recovering it: the late-payment penalty rate and the flat
recovery indemnity. Their absence does not cost the creditor either (both are due by
law, art. L441-10 II), but it decides which rate the claim may use. The invoice's notes
(BT-22, with the French subject codes PMD and PMT) and payment terms (BT-20) are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .einvoice import EInvoice
from .errors import ParameterError
from .parameters import Parameters

_PENALTY_WORDS = re.compile(r"p[ée]nalit|int[ée]r[êe]ts? de retard|retard de paiement|late payment|^pmd:", re.I)
_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,3})?)\s*%")
_THREE_TIMES = re.compile(r"(trois|3)\s*fois\s*(le\s*)?taux\s*(d.int[ée]r[êe]t\s*)?l[ée]gal", re.I)
_ECB = re.compile(r"\bBCE\b|banque centrale europ[ée]enne|\bECB\b", re.I)
_TEN_POINTS = re.compile(r"\b10\s*points|\+\s*10\b", re.I)
_INDEMNITY_WORDS = re.compile(r"indemnit[ée]|frais de recouvrement|recovery|^pmt:", re.I)


@dataclass(frozen=True)
class Mentions:
    """What one invoice says of the L441-9 mentions, and what it means for the claim."""

    invoice: str
    rate: str | None  # the stated rate as the claim file writes it ("12", "ecb_plus_10"…)
    rate_stated: bool
    indemnity_stated: bool
    messages: tuple[str, ...]


def check_mentions(e: EInvoice, params: Parameters) -> Mentions:
    """Read the invoice's notes for the penalty rate and the recovery indemnity."""
    if e.seller.country not in (None, "FR"):
        note = (
            f"Facture {e.number} : le vendeur est établi hors de France ({e.seller.country}) ; les mentions "
            f"de l'art. L441-9 C. com. ne sont pas vérifiées."
        )
        return Mentions(e.number, None, False, False, (note,))
    texts = [*e.notes, *([e.payment_terms] if e.payment_terms else [])]
    penalty = [t for t in texts if _PENALTY_WORDS.search(t)]
    rate = _rate(penalty)
    amount = _indemnity_amount(params, e)
    indemnity = amount is not None and any(_states_indemnity(t, amount) for t in texts)
    messages = []
    if penalty and rate is None:
        messages.append(
            f"Facture {e.number} : elle parle de pénalités de retard sans un taux que Dûment sache lire "
            f"(« {penalty[0][:80]} ») ; indiquez le taux à l'étape « Conditions de paiement »."
        )
    elif rate is None:
        messages.append(_no_rate(e, params))
    if amount is not None and not indemnity:
        messages.append(
            f"Facture {e.number} : l'indemnité forfaitaire de {amount} € pour frais de recouvrement n'y est pas "
            f"mentionnée (mention exigée par l'art. L441-9 C. com.). Elle reste due de plein droit par un "
            f"professionnel qui paie en retard (art. L441-10 II et D441-5 C. com.) : Dûment la compte."
        )
    if rate is not None and indemnity:
        messages.append(
            f"Facture {e.number} : les mentions de l'art. L441-9 C. com. y figurent (taux des pénalités de "
            f"retard : {_rate_words(rate)} ; indemnité forfaitaire de {amount} €)."
        )
    return Mentions(e.number, rate, bool(penalty), indemnity, tuple(messages))


def _no_rate(e: EInvoice, params: Parameters) -> str:
    try:
        points = f" majoré de {params.at('late_penalty_margin_points', e.issued).value} points"
    except ParameterError:
        points = ""
    return (
        f"Facture {e.number} : le taux des pénalités de retard n'y figure pas, alors que l'art. L441-9 C. com. "
        f"l'exige entre professionnels. Pour la créance, seul le taux change : faute de taux convenu, le taux "
        f"légal s'applique (taux de la BCE{points}, art. L441-10 II C. com.), et Dûment le retient ; un taux "
        f"plus élevé ne se réclame que s'il figure dans des conditions générales acceptées par le client."
    )


def _rate(texts: list[str]) -> str | None:
    """The rate the penalty mentions state, as the claim file writes it; None if unreadable."""
    for text in texts:
        if _THREE_TIMES.search(text):
            return "three_times_legal"
        if _ECB.search(text):  # only the legal formula is read; another margin is asked for
            return "ecb_plus_10" if _TEN_POINTS.search(text) else None
        match = _PERCENT.search(text)
        if match:
            return str(Decimal(match.group(1).replace(",", ".")).normalize())
    return None


def _indemnity_amount(params: Parameters, e: EInvoice) -> Decimal | None:
    """The flat fee in force on the invoice date; None before it existed (no mention required)."""
    try:
        value = params.at("recovery_indemnity", e.issued).value
    except ParameterError:
        return None
    return Decimal(value).normalize() + 0  # as written in French text: 40, not 4E+1


def _states_indemnity(text: str, amount: Decimal) -> bool:
    """Whether a note states the flat fee: the words and its amount in euros."""
    figure = re.escape(str(amount))
    return bool(_INDEMNITY_WORDS.search(text) and re.search(rf"\b{figure}(?:[.,]00)?\s*(?:€|euros?|EUR)", text, re.I))


def _rate_words(rate: str) -> str:
    if rate == "three_times_legal":
        return "trois fois le taux d'intérêt légal"
    if rate == "ecb_plus_10":
        return "taux de la BCE majoré de 10 points"
    return f"{rate.replace('.', ',')} % par an"
