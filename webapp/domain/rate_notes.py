"""What the user must know about the rates claimed: an unproven clause, the split of
doctrine on a clause below the legal minimum, a rate whose source is not verified.

These notes belong to the analysis shown to the user, never to what is asked of the judge.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from .claim import Claim
from .french import euros, short_date
from .interest import FLOOR_MARK
from .ledger import InvoiceAccount, build_accounts
from .parameters import CONFIDENCE_NOTES, Parameters
from .parties import B2B, PUBLIC, Standing
from .terms import DEFAULT, LOWER, RAISE, proven_rate, reading, unproven_note

_DEFAULT_LABELS = {
    B2B: "le taux légal par défaut entre professionnels, taux BCE + 10 points (art. L441-10 II C. com.)",
}
_CIVIL_DEFAULT = "l'intérêt au taux légal à compter de la mise en demeure (art. 1231-6 C. civ.)"
_READING_LABELS = {
    RAISE: "taux convenu relevé au minimum légal",
    DEFAULT: "clause écartée, taux BCE + 10 points",
}


def rate_notes(
    claim: Claim, accounts: list[InvoiceAccount], params: Parameters, as_of: date, parties: Standing
) -> list[str]:
    """Every note about the rates of this claim, in the order the user should read them."""
    kind = parties.regime
    if kind is PUBLIC:
        return _confidence_notes(accounts, params)
    notes = []
    unproven = unproven_note(claim, _DEFAULT_LABELS.get(kind, _CIVIL_DEFAULT))
    if unproven:
        notes.append(unproven)
    if kind is B2B and isinstance(proven_rate(claim), Decimal) and _below_floor(accounts):
        notes.append(_split_note(claim, accounts, params, as_of, parties))
    return notes + _confidence_notes(accounts, params)


def _below_floor(accounts: list[InvoiceAccount]) -> bool:
    return any(FLOOR_MARK in p.basis for a in accounts for p in a.periods)


def _split_note(claim: Claim, accounts, params: Parameters, as_of: date, parties: Standing) -> str:
    """The two readings of a clause below 3 × the legal rate, with what each would claim."""
    rate = str(claim.terms.late_penalty_rate).replace(".", ",")
    chosen = reading(claim)
    figures = {chosen: _interest(accounts)}
    for other in (LOWER, RAISE, DEFAULT):
        if other not in figures:
            terms = replace(claim.terms, below_floor=other)
            figures[other] = _interest(build_accounts(replace(claim, terms=terms), params, as_of, parties))
    text = (
        f"Votre taux de pénalités ({rate} %) est inférieur, sur tout ou partie de la période, au "
        f"minimum de trois fois le taux d'intérêt légal (art. L441-10 II C. com.). Deux lectures "
        f"s'opposent : selon l'une, le taux convenu est relevé à ce minimum "
        f"({euros(figures[RAISE])} de pénalités au {short_date(as_of)}) ; selon l'autre, la clause est "
        f"sans effet et le taux légal par défaut, taux BCE + 10 points, s'applique "
        f"({euros(figures[DEFAULT])}). "
    )
    if chosen == LOWER:
        return text + (
            f"Dûment réclame pour chaque semestre le moindre des deux taux, que le débiteur peut le "
            f"moins contester ({euros(figures[LOWER])}). Vous pouvez retenir l'une des deux lectures "
            f"en connaissance de cause (étape « Conditions de paiement », ou terms.below_floor) : "
            f"si le juge ne la suit pas, il réduira la demande."
        )
    return text + (
        f"Vous avez choisi la lecture « {_READING_LABELS[chosen]} » : si le juge ne la suit pas, il "
        f"réduira la demande. Le moindre des deux taux, semestre par semestre, donnerait "
        f"{euros(figures[LOWER])}."
    )


def _interest(accounts: list[InvoiceAccount]) -> Decimal:
    return sum((a.interest for a in accounts), Decimal(0))


_RATE_WORDS = (("legal_interest_rate", "légal"), ("ecb_main_refinancing_rate", "BCE"))


def _confidence_notes(accounts: list[InvoiceAccount], params: Parameters) -> list[str]:
    """A rate used over the claim's periods whose source is not verified, to be confirmed."""
    spans = _unverified_spans(params)
    firsts = [a.periods[0].start for a in accounts if a.periods]
    if not firsts or min(firsts) >= spans[0]:
        return []  # the usual case: every period after the last unverified value
    first, last = min(firsts), max(a.periods[-1].end for a in accounts if a.periods)
    bases = " ".join({p.basis for a in accounts for p in a.periods})
    return [note for word, start, ends, note in spans[1] if word in bases and start <= last and ends > first]


def _unverified_spans(params: Parameters) -> tuple[date, tuple[tuple[str, date, date, str], ...]]:
    """Once per library: the dated values of the rates that are not verified, with their note,
    and the day from which every value is verified."""
    found = params.memo.get("unverified_rate_spans")
    if found is None:
        spans = []
        for name, word in _RATE_WORDS:
            param = params[name]
            for entry, following in zip(param.entries, (*param.entries[1:], None), strict=True):
                if entry.confidence in CONFIDENCE_NOTES:
                    ends = following.start if following else date.max
                    note = (
                        f"{param.label} en vigueur à partir du {short_date(entry.start)}"
                        f"{CONFIDENCE_NOTES[entry.confidence]} ; source : {entry.source}."
                    )
                    spans.append((word, entry.start, ends, note))
        found = params.memo["unverified_rate_spans"] = (max((s[2] for s in spans), default=date.min), tuple(spans))
    return found
