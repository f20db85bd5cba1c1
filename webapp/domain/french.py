"""French writing of amounts, dates and rates: the one module the reasons, the documents
and the web pages all use, so that an amount reads the same everywhere.

Money is rounded half-up to the cent, as French accounts and court documents round, and
written as Babel writes it for fr_FR (``1\u202f234,56\u00a0€``); dates long
(``1er décembre 2026``) or short (``23/11/2026``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale

LOCALE = "fr_FR"
CENT = Decimal("0.01")
NNBSP, NBSP = "\u202f", "\u00a0"  # the thousands separator, and the space before € and %
_MONTHS = Locale.parse(LOCALE).months["format"]["wide"]


def _cents(value: Decimal | int) -> Decimal:
    """Value rounded half-up to two decimals; floats are refused (binary rounding errors)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"expected a finite number, not {number}")
    return number.quantize(CENT, ROUND_HALF_UP)


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", NNBSP)


def euros(amount: Decimal | int) -> str:
    """``1\u202f234,56\u00a0€``: Babel's fr_FR currency format, written directly because the
    engine writes thousands of reasons a second (a test holds it equal to Babel's)."""
    cents = _cents(amount)
    whole, _, decimals = f"{abs(cents):.2f}".partition(".")
    return f"{'-' if cents < 0 else ''}{_grouped(int(whole))},{decimals}{NBSP}€"


def plain_number(value: Decimal | int) -> str:
    """A decimal number as French writes it, without rounding: ``2,15``, ``10``."""
    return str(value).replace(".", ",")


def percent(rate: Decimal | int) -> str:
    """A rate given in percent (``Decimal("12.15")``) as ``12,15\u00a0%``, up to two decimals."""
    cents = _cents(rate).normalize()
    whole, _, decimals = f"{abs(cents):f}".partition(".")
    text = _grouped(int(whole)) + (f",{decimals}" if decimals else "")
    return f"{'-' if cents < 0 else ''}{text}{NBSP}%"


def long_date(day: date) -> str:
    """Date in full, the first day written "1er": ``1er décembre 2026``."""
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month]} {day.year}"


def short_date(day: date) -> str:
    """``23/11/2026``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def amount_in_words(amount: Decimal | int) -> str:
    """An amount in words as French deeds write it: ``un million d'euros et un centime``."""
    from num2words import num2words  # imported when a document needs it, not by every assessment

    cents = _cents(amount)
    if cents < 0:
        return "moins " + amount_in_words(-cents)
    whole, centimes = int(cents), int(cents * 100 % 100)
    parts = []
    if whole or not centimes:
        # "un million d'euros", "deux milliards d'euros", but "un million cent euros".
        de = "d'" if whole and whole % 1_000_000 == 0 else ""
        parts.append(f"{num2words(whole, lang='fr')} {de}{'euro' if whole <= 1 else 'euros'}")
    if centimes:
        parts.append(f"{num2words(centimes, lang='fr')} {'centime' if centimes == 1 else 'centimes'}")
    return " et ".join(parts)
