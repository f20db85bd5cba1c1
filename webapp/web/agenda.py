"""A dossier's dated items for people and calendars: deadlines, reminders to send, the next step.

Shared by the Suivi page, the home page's "this week" list and the ``.ics`` calendars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from ..domain.assessment import Assessment
from ..domain.deadlines import long_date

WEEK = timedelta(days=7)  # "this week": today and the six days after
_REMINDER = {"due": "Relance {step} à envoyer", "planned": "Relance {step} prévue"}


@dataclass(frozen=True)
class Item:
    """One dated thing to know or do on a dossier."""

    date: date
    kind: str  # a deadline id, "reminder" or "next_step"
    label: str
    detail: str = ""
    key: str = ""  # stable within the dossier, for calendar UIDs

    def days_left(self, today: date) -> int:
        return (self.date - today).days


def items(a: Assessment, titles: dict[str, str]) -> list[Item]:
    """Deadlines not passed, reminders due or planned, and the date the next step may be taken."""
    found = [
        Item(d.date, d.id, d.label, d.basis, f"{d.id}-{d.invoice or ''}-{d.date.isoformat()}")
        for d in a.deadlines
        if not d.passed
    ]
    for s in a.reminders.steps:
        # The step due now is shown today; the ones after it only when their own date is ahead.
        if s.status == "due" or (s.status == "planned" and s.date > a.as_of):
            label = _REMINDER[s.status].format(step=s.step)
            found.append(Item(max(s.date, a.as_of), "reminder", label, "", f"reminder-{s.step}"))
    if a.next_step_from is not None and a.next_step.route_id:
        title = titles.get(a.next_step.route_id, a.next_step.route_id)
        found.append(
            Item(a.next_step_from, "next_step", f"Prochaine étape possible : {title}", a.next_step.reasons[0], "next")
        )
    return sorted(found, key=lambda i: i.date)


def this_week(found: list[Item], today: date) -> list[Item]:
    return [i for i in found if i.date < today + WEEK]


def calendar(name: str, entries: list[tuple[str, str, str, list[Item]]], stamp: datetime) -> bytes:
    """An iCalendar of all-day events: (dossier id, debtor, link, items) for each dossier."""
    cal = Calendar()
    cal.add("prodid", "-//Dûment//Échéances//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for dossier_id, debtor, link, found in entries:
        for item in found:
            event = Event()
            event.add("uid", f"{dossier_id}-{item.key}@dument")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.date)
            event.add("dtend", item.date + timedelta(days=1))
            event.add("summary", f"{debtor} — {item.label}")
            event.add("description", f"{item.detail}\n{link}".strip())
            event.add("url", link)
            cal.add_component(event)
    return cal.to_ical()


def when(item: Item, today: date) -> str:
    """« aujourd'hui », « demain », « dans 5 jours » or « en retard de 2 jours », with the date."""
    days = item.days_left(today)
    if days == 0:
        rel = "aujourd'hui"
    elif days == 1:
        rel = "demain"
    elif days > 1:
        rel = f"dans {days} jours"
    else:
        rel = f"depuis {-days} jour{'s' if days < -1 else ''}"
    return f"{long_date(item.date)} ({rel})"
