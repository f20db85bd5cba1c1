"""A postal address laid out for the window of a DL envelope (AFNOR NF Z10-011).

At most 6 lines of at most 38 characters; the last line of a French address is the
postcode and the town in capitals (``69002 LYON``); abroad, the country closes the block.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass

from babel import Locale

from ..domain.claim import Address

MAX_LINES = 6
MAX_CHARS = 38


@dataclass(frozen=True)
class PostalBlock:
    lines: tuple[str, ...]
    problems: tuple[str, ...]  # what breaks the standard, in French, for the user to fix


def _capitals(text: str) -> str:
    """Upper case without accents, as La Poste writes the town line."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.upper()


def country_name(code: str) -> str:
    """The country's French name (``Allemagne``) from its ISO code."""
    return Locale("fr").territories.get(code, code)


def postal_block(name: str, address: Address, attention: str | None = None) -> PostalBlock:
    """The recipient block: name, optional attention line, street lines, town, country."""
    raw = [name]
    if attention:
        raw.append(attention)
    raw += [address.line1] + ([address.line2] if address.line2 else [])
    raw.append(_capitals(f"{address.postcode} {address.city}".strip()))
    if address.country != "FR":
        raw.append(_capitals(country_name(address.country)))
    lines: list[str] = []
    for line in raw:
        lines += textwrap.wrap(line, MAX_CHARS, break_long_words=True) or [""]
    problems = []
    if len(lines) > MAX_LINES:
        problems.append(
            f"L'adresse du destinataire compte {len(lines)} lignes une fois coupée à "
            f"{MAX_CHARS} caractères ; la fenêtre de l'enveloppe en admet {MAX_LINES} "
            f"(norme NF Z10-011) : abrégez le nom ou l'adresse."
        )
    return PostalBlock(tuple(lines), tuple(problems))
