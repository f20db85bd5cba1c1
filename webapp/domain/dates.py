"""Calendar arithmetic for legal deadlines: months and years, half-years."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)  # built once: a timedelta costs more to build than to add


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when it does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    if day.month == 2 and day.day == 29:
        return add_months(day, 12 * years)
    return date(day.year + years, day.month, day.day)  # every other day exists in every year


def half_year_start(day: date) -> date:
    """1 January or 1 July of the half-year that contains ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(day: date) -> date:
    """The first day of the half-year after the one that contains ``day``."""
    return date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze")


def in_words(number: int) -> str:
    """A small count as French writes it in prose (« deux mois »); figures beyond twelve."""
    return _WORDS[number] if 0 <= number < len(_WORDS) else str(number)
