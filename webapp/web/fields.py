"""Form fields for French input habits: ``1 234,56`` for money, ``23/11/2026`` for dates.

They keep exactly what was typed when it is wrong, so an error never loses the input,
and give the engine the claim format's own strings (``1234.56``, ``2026-11-23``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from wtforms import StringField
from wtforms.validators import ValidationError

from ..domain import bounds
from ..domain.french import short_date

_DATE_FR = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_french_date(text: str) -> date:
    """``23/11/2026`` (or ISO ``2026-11-23``) to a date; ValueError with a French message."""
    if m := _DATE_FR.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError("Écrivez la date sous la forme jj/mm/aaaa, par exemple 23/11/2026.")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"Cette date n'existe pas : {text.strip()}.") from None
    if not bounds.date_in_range(parsed):
        raise ValueError(f"Indiquez une date entre 1900 et 2100 (pas {text.strip()}).")
    return parsed


def parse_french_amount(text: str) -> Decimal:
    """``1 234,56`` or ``1234.56`` or ``1 234,56 €`` to Decimal; ValueError in French."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # "1.200": 1 200 € or 1,20 € ?
        raise ValueError(
            f"« {text.strip()} » peut se lire de deux façons : écrivez 1 200 ou 1,20 (la virgule pour les centimes)."
        )
    if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{1,2}", cleaned):  # 1.234,56
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if cleaned.startswith("-"):
        raise ValueError("Le montant ne peut pas être négatif.")
    try:
        value = Decimal(cleaned) if len(cleaned) <= bounds.MAX_AMOUNT_DIGITS else None
    except InvalidOperation:
        raise ValueError("Écrivez un montant en euros, par exemple 1 234,56.") from None
    if value is None or (value.is_finite() and not bounds.amount_in_range(value)):
        raise ValueError("Le montant ne peut pas dépasser 9 999 999 999,99 €.")
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError("Un montant en euros a au plus deux chiffres après la virgule.")
    return value.quantize(Decimal("0.01"))


def format_amount(value: str | None) -> str:
    """A claim-format amount (``1234.56``) as a French user types it (``1 234,56``)."""
    if not value:
        return ""
    whole, _, cents = f"{Decimal(value):.2f}".partition(".")
    return f"{int(whole):,}".replace(",", " ") + "," + cents


def format_date(value: str | None) -> str:
    """A claim-format date (``2026-11-23``) as ``23/11/2026``."""
    return short_date(date.fromisoformat(value)) if value else ""


class FrenchDateField(StringField):
    """A date typed as jj/mm/aaaa; ``data_iso`` is the claim format's string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update(
            placeholder="jj/mm/aaaa", inputmode="numeric", autocomplete="off", size="10"
        )
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        self.data_iso = None
        if self.data and self.data.strip():
            try:
                self.data_iso = parse_french_date(self.data).isoformat()
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def set_iso(self, value: str | None) -> None:
        self.data = format_date(value)


class FrenchAmountField(StringField):
    """An amount typed the French way; ``data_claim`` is the claim format's string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update(inputmode="decimal", autocomplete="off", size="12")
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        self.data_claim = None
        if self.data and self.data.strip():
            try:
                self.data_claim = str(parse_french_amount(self.data))
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def set_claim(self, value: str | None) -> None:
        self.data = format_amount(value)
