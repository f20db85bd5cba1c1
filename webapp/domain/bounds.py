"""Sane bounds on what a user types: beyond them the engine's calendars and figures mean nothing.

Not legal values (those live in ``procedures/parameters``): limits of plausibility that keep
a typing slip (31/12/9999, 1e28 €) from reaching the engine, each with its French message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_AMOUNT = Decimal("9999999999.99")
MAX_AMOUNT_DIGITS = 20  # longer text is refused before Decimal parses it
DEADLINE_DAYS = (1, 90)  # the payment deadline a letter gives

DATE_MESSAGE = "une date entre 1900 et 2100 est attendue"
AMOUNT_MESSAGE = "un montant de 9 999 999 999,99 € au plus est attendu"
DEADLINE_MESSAGE = f"un délai de {DEADLINE_DAYS[0]} à {DEADLINE_DAYS[1]} jours est attendu"


def date_in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def amount_in_range(amount: Decimal) -> bool:
    return amount <= MAX_AMOUNT


def deadline_in_range(days: int) -> bool:
    return DEADLINE_DAYS[0] <= days <= DEADLINE_DAYS[1]
