"""What is still missing before filing: the blanks the requête leaves and the pieces without a file.

The court copy holds only what goes to the court; this list is what the user sees instead,
on the Documents page (each missing piece with its upload) and as a page to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.claim import Claim
from .context import piece_list


@dataclass(frozen=True)
class MissingPiece:
    """A piece the bordereau would list but that has no file yet, and where its file goes."""

    key: str  # "facture-0", "piece-2", "joindre-1": stable for one version of the claim
    title: str
    day: date | None
    section: str  # "invoices" or "evidence": the claim list the file is given to
    index: int | None  # the item of that list; None: a new evidence item of ``evidence_kind``
    evidence_kind: str | None = None


def missing_pieces(claim: Claim) -> list[MissingPiece]:
    """Every piece without a file, in the bordereau's order."""
    invoices, evidence = len(claim.invoices), len(claim.evidence)
    missing = []
    for position, piece in enumerate(piece_list(claim)):
        if piece["file"]:
            continue
        if position < invoices:
            key, section, index = f"facture-{position}", "invoices", position
        elif position < invoices + evidence:
            key, section, index = f"piece-{position - invoices}", "evidence", position - invoices
        else:
            key, section, index = f"joindre-{position - invoices - evidence}", "evidence", None
        missing.append(MissingPiece(key, piece["title"], piece["date"], section, index, piece.get("evidence_kind")))
    return missing


def blanks(context: dict[str, Any]) -> list[str]:
    """The mentions the requête leaves blank (to fill by hand, or in the wizard)."""
    return [*context.get("missing", []), *context.get("address_problems", [])]
