"""French formatting of amounts, dates and rates for legal documents (Babel, num2words)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency
from babel.numbers import format_percent as babel_format_percent
from num2words import num2words

LOCALE = "fr_FR"
CENT = Decimal("0.01")


def _to_cents(value: Decimal | int) -> Decimal:
    """Value rounded half-up to two decimals; floats are refused (binary rounding errors)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"expected a finite number, not {number}")
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def montant_en_lettres(montant: Decimal | int) -> str:
    """Amount in words as written in French deeds: "un million d'euros et un centime"."""
    amount = _to_cents(montant)
    if amount < 0:
        return "moins " + montant_en_lettres(-amount)
    euros, centimes = int(amount), int(amount * 100 % 100)
    parts = []
    if euros or not centimes:
        # "un million d'euros", "deux milliards d'euros", but "un million cent euros".
        de = "d'" if euros and euros % 1_000_000 == 0 else ""
        parts.append(f"{num2words(euros, lang='fr')} {de}{'euro' if euros <= 1 else 'euros'}")
    if centimes:
        unit = "centime" if centimes == 1 else "centimes"
        parts.append(f"{num2words(centimes, lang='fr')} {unit}")
    return " et ".join(parts)


def format_euros(montant: Decimal | int) -> str:
    """Amount in figures as Babel writes it for fr_FR: "1\u202f234,56\u00a0€"."""
    return format_currency(_to_cents(montant), "EUR", locale=LOCALE)


def format_percent(taux: Decimal | int) -> str:
    """Rate given in percent (Decimal("12.15")) as "12,15\u00a0%", up to two decimals."""
    pattern = Locale.parse(LOCALE).percent_formats[None].pattern.replace("#,##0", "#,##0.##")
    return babel_format_percent(_to_cents(taux) / 100, format=pattern, locale=LOCALE)


def date_longue(jour: date) -> str:
    """Date in full, the first day written "1er": "1er décembre 2026"."""
    day = "1er" if jour.day == 1 else str(jour.day)
    return f"{day} {format_date(jour, 'MMMM', locale=LOCALE)} {jour.year}"


def date_courte(jour: date) -> str:
    """Date as dd/mm/yyyy: "23/11/2026"."""
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year:04d}"
