"""Counting délais as the Code de procédure civile counts them (art. 640 to 642).

The day of the act that starts a délai is not counted (art. 641 al. 1): a délai of n days
from day D ends on D + n. A délai in months ends on the same date n months later, or on
the last day of a shorter month (art. 641 al. 2). A délai that would end on a Saturday,
a Sunday or a public holiday runs to the next working day (art. 642), with the holidays of
the place: Alsace-Moselle keeps Good Friday and 26 December, overseas departments their
own days (the ``holidays`` package knows them).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import NamedTuple

import holidays

from .claim import Address
from .dates import ONE_DAY, add_months

# The holidays package names Bas-Rhin and Haut-Rhin together (Collectivité européenne d'Alsace).
_SUBDIVISIONS = {"67": "6AE", "68": "6AE"}
_KNOWN = frozenset(holidays.France.subdivisions)
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def subdivision(address: Address | None) -> str | None:
    """The holidays subdivision of an address: Moselle, Alsace, an overseas department, or None."""
    if address is None or address.country != "FR":
        return None
    return _subdivision(address.postcode)


@functools.lru_cache(maxsize=4096)
def _subdivision(postcode: str) -> str | None:
    dept = Address("", postcode, "").department
    if dept is None:
        return None
    code = _SUBDIVISIONS.get(dept, dept)
    return code if code in _KNOWN else None


@functools.lru_cache(maxsize=256)
def public_holidays(year: int, subdiv: str | None) -> dict[date, str]:
    """The French public holidays of ``year`` in ``subdiv`` (names in French, whatever the locale)."""
    return dict(holidays.France(years=year, subdiv=subdiv, language="fr"))


def holiday_name(day: date, subdiv: str | None) -> str | None:
    return public_holidays(day.year, subdiv).get(day)


def is_working_day(day: date, subdiv: str | None) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, subdiv)


def next_working_day(day: date, subdiv: str | None) -> date:
    """``day`` itself when it is a working day, else the first working day after it (art. 642 CPC)."""
    while not is_working_day(day, subdiv):
        day += ONE_DAY
    return day


def end_of_days(start: date, days: int, subdiv: str | None) -> date:
    """The last day of a délai of ``days`` days from ``start`` (art. 641 al. 1 and 642 CPC)."""
    return next_working_day(start + timedelta(days=days), subdiv)


def end_of_months(start: date, months: int, subdiv: str | None) -> date:
    """The last day of a délai of ``months`` months from ``start`` (art. 641 al. 2 and 642 CPC)."""
    return next_working_day(add_months(start, months), subdiv)


def moved_why(nominal: date, actual: date, subdiv: str | None, procedural: bool = True) -> str:
    """Why a délai ends later than its nominal day, in French; empty when it does not.

    A délai that is not one of procedure (the one a mise en demeure gives) is extended the
    same way by prudence, and the text says so.
    """
    if actual == nominal:
        return ""
    name = holiday_name(nominal, subdiv)
    what = f"un jour férié ({name})" if name else ("un samedi" if nominal.weekday() == 5 else "un dimanche")
    rule = "art. 642 CPC" if procedural else "par prudence, comme l'art. 642 CPC le fait pour les délais de procédure"
    return (
        f" Le {long_date(nominal)} étant {what}, le délai est prorogé au premier jour ouvrable "
        f"suivant, le {long_date(actual)} ({rule})."
    )


def long_date(day: date) -> str:
    """``8 décembre 2026``, ``1er décembre 2026``: the date as a French letter writes it."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


class Deadline(NamedTuple):
    """A dated deadline of the claim: what falls due, when, and on what basis (a tuple: cheap to make)."""

    id: str
    date: date
    passed: bool
    label: str
    basis: str
    invoice: str | None = None
