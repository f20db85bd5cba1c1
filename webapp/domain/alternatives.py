"""The other ways out: guidance beside the legal routes (a recovery firm, mediation, the
droit de rétention, affacturage, assurance-crédit), read from ``procedures/alternatives.yaml``.

Each piece of guidance is dated (when it was checked), sourced and labelled with a
confidence; it is shown when its conditions, written in the routes' own condition
language, hold for the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import DataFileError
from .parameters import CONFIDENCES, Parameters

_KEYS = {
    "id",
    "title",
    "summary",
    "explanation",
    "costs",
    "when_it_fits",
    "conditions",
    "checked",
    "confidence",
    "references",
}


@dataclass(frozen=True)
class Alternative:
    id: str
    title: str
    summary: str
    explanation: str  # (md)
    costs: str  # (md)
    when_it_fits: str  # (md)
    conditions: Any  # a procedures.Condition
    checked: date
    confidence: str
    references: tuple  # procedures.Reference


def parse_alternatives(file: str, data: Any, params: Parameters) -> tuple[Alternative, ...]:
    """Validate the guidance file; a broken one fails with ``file: field: what is wrong``."""
    from .procedures import _parse_condition, _references, _text  # procedures imports this module

    if not isinstance(data, list) or not data:
        raise DataFileError(file, "-", "une liste de solutions est attendue")
    items, seen = [], set()
    for i, d in enumerate(data):
        where = f"[{i}]"
        if not isinstance(d, dict):
            raise DataFileError(file, where, "un dictionnaire est attendu")
        for key in sorted(set(d) - _KEYS):
            raise DataFileError(file, f"{where}.{key}", "champ inconnu")
        for key in sorted(_KEYS - set(d)):
            raise DataFileError(file, f"{where}.{key}", "champ obligatoire manquant")
        if d["id"] in seen:
            raise DataFileError(file, f"{where}.id", "identifiant en double")
        seen.add(d["id"])
        if not isinstance(d["checked"], date):
            raise DataFileError(file, f"{where}.checked", "doit être une date AAAA-MM-JJ")
        if d["confidence"] not in CONFIDENCES:
            raise DataFileError(file, f"{where}.confidence", f"doit être l'un de {sorted(CONFIDENCES)}")
        items.append(
            Alternative(
                id=_text(file, f"{where}.id", d["id"]),
                title=_text(file, f"{where}.title", d["title"]),
                summary=_text(file, f"{where}.summary", d["summary"]),
                explanation=_text(file, f"{where}.explanation", d["explanation"]),
                costs=_text(file, f"{where}.costs", d["costs"]),
                when_it_fits=_text(file, f"{where}.when_it_fits", d["when_it_fits"]),
                conditions=_parse_condition(file, f"{where}.conditions", d["conditions"], params),
                checked=d["checked"],
                confidence=d["confidence"],
                references=_references(file, d["references"]),
            )
        )
    return tuple(items)
