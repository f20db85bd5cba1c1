"""The reminder plan in words people read: real dates for what was done, "now" for a late step.

The plan's dates and statuses stay those of the contract (``assess --json``); only what is
shown changes, so that a step done late, or due since a date already past, reads sensibly.
"""

from __future__ import annotations

from datetime import date

from .followup import ReminderPlan, ReminderStep
from .french import long_date

CHANNELS = {
    "email": "par e-mail",
    "letter": "par courrier",
    "phone": "par téléphone",
    "registered_letter": "en recommandé",
}


def step_status(step: ReminderStep, plan: ReminderPlan, as_of: date) -> str:
    """What to say about ``step`` on ``as_of``: done when, due since when, or when it comes."""
    planned = long_date(step.date)
    if step.status == "done":
        return f"faite le {long_date(step.done_on or step.date)}"
    if step.status == "due":
        return f"à envoyer {due_when(step, as_of)}"
    if step.status == "cancelled":
        return f"annulée (elle était prévue le {planned})"
    before = plan.step_with("due")
    if step.date <= as_of and before is not None:
        return f"à envoyer après la relance {before.step} (le plan la prévoyait le {planned})"
    return f"prévue le {planned}"


def due_when(step: ReminderStep, as_of: date) -> str:
    """When a due step goes out: today, or now if its plan date has already passed."""
    if step.date < as_of:
        return f"dès maintenant (le plan la prévoyait le {long_date(step.date)})"
    return "aujourd'hui"


def step_line(step: ReminderStep, plan: ReminderPlan, as_of: date) -> str:
    """One line of the plan: « Relance 2, par e-mail : à envoyer dès maintenant (…) »."""
    return f"Relance {step.step}, {CHANNELS.get(step.channel, step.channel)} : {step_status(step, plan, as_of)}"


def default_plan_note(plan: ReminderPlan) -> str | None:
    """Where the plan comes from, when the user never set one up; None for the claim's own plan."""
    if not plan.default_days or not plan.steps:
        return None
    days = [f"J+{d}" for d in plan.default_days]
    listed = ", ".join(days[:-1]) + f" et {days[-1]}" if len(days) > 1 else days[0]
    return (
        f"Ce plan de relances est celui que Dûment propose par défaut : une relance à {listed} après "
        "l'échéance, reportée au jour ouvré suivant si elle tombe un samedi, un dimanche ou un jour férié ; "
        "vous pouvez le changer sur la page Suivi."
    )
