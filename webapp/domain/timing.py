"""When the next step may be taken: the reminder plan, the délai of the mise en demeure,
a promise, an instalment, and the stages of an injonction de payer already requested.

A court is never advised before the délai the mise en demeure gave has run (a requête
filed earlier would falsely call the letter "restée sans effet"), nor while a promise or
an instalment is pending; after a reminder, the next one follows the plan instead of a
mise en demeure the next day. The reasons say what to wait for and until when.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .dates import ONE_DAY
from .followup import FollowUpState
from .french import euros, long_date
from .reminder_wording import default_plan_note, due_when
from .routes import Facts, RouteResult
from .steps import NextStep

# Steps that never wait for the debtor: they protect a right that a délai would end.
_NEVER_WAIT = ("declaration-de-creance",)
_ORDINALS = ("première", "deuxième", "troisième", "quatrième", "cinquième")


def amicable_step(open_: dict[str, RouteResult], f: Facts, fu: FollowUpState) -> NextStep | None:
    """Before the mise en demeure: the reminder plan's step, then the mise en demeure; None if neither."""
    plan, history = fu.reminders, f.claim.history
    broken_plan = fu.plan is not None and fu.plan.missed is not None
    if "relance" in open_ and not broken_plan:
        if plan.stopped is None and plan.steps:
            step = _plan_step(plan, f.as_of)
            if step is not None:
                return step
        elif not history.reminders and plan.stopped != "contested":
            return NextStep("relance", (_FIRST_REMINDER,))
    if "mise-en-demeure" not in open_:
        return None
    if broken_plan:
        reasons = (_broken_plan_notice(fu),)
    else:
        text = f"Les relances n'ont pas suffi : {_NOTICE}" if history.reminders else _NOTICE[0].upper() + _NOTICE[1:]
        reasons = (text,)
    after = _after_last_reminder(f, fu)
    return NextStep("mise-en-demeure", reasons, after[0] if after else None, after[1] if after else None)


_FIRST_REMINDER = (
    "Commencez par une relance amiable, courtoise : beaucoup de retards sont des oublis, et une relance "
    "préserve la relation commerciale."
)
_NOTICE = (
    "envoyez une mise en demeure par lettre recommandée avec avis de "
    "réception. Elle montre au juge que vous avez réclamé le paiement, et contre un particulier elle fait "
    "courir les intérêts."
)


def _plan_step(plan, as_of: date) -> NextStep | None:
    """The reminder due now, or the next one planned with the date to wait for."""
    note = default_plan_note(plan)
    origin = (note,) if note else ()
    due = plan.step_with("due")
    if due is not None:
        reason = (
            f"Envoyez la {_ordinal(due.step)} relance du plan {due_when(due, as_of)} : "
            "une relance courtoise suffit souvent, et elle préserve la relation commerciale."
        )
        return NextStep("relance", (reason, *origin))
    nxt = plan.step_with("planned")
    if nxt is None:
        return None
    wait = f"la {_ordinal(nxt.step)} relance du plan est prévue ce jour-là, un jour ouvré"
    one_at_a_time = (
        "Les relances suivent le plan du dossier : une à la fois, pour laisser au débiteur le temps de payer."
    )
    return NextStep(
        "relance",
        (one_at_a_time, *origin),
        nxt.date,
        wait,
    )


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else f"{n}e"


def _after_last_reminder(f: Facts, fu: FollowUpState) -> tuple[date, str] | None:
    """The mise en demeure waits a few days after the last reminder, so the debtor can answer it."""
    reminders = f.claim.history.reminders
    if not reminders:
        return None
    last = max(r.date for r in reminders)
    gap = f.params.at("formal_notice_after_reminder_days", last).value
    first = last + gap * ONE_DAY
    if first <= f.as_of:
        return None
    return first, f"laissez au débiteur {gap} jours pour répondre à la relance du {long_date(last)}"


def _broken_plan_notice(fu: FollowUpState) -> str:
    inst = fu.plan.plan.instalments[fu.plan.missed]
    return (
        f"L'échéance du {long_date(inst.due)} ({euros(inst.amount)}) de l'échéancier n'a pas été payée : "
        "l'échéancier est rompu. Envoyez une mise en demeure de payer la totalité restant due, qui rappelle "
        "la clause de l'échéancier (déchéance du terme) ; à l'issue de son délai, vous pourrez saisir le juge."
    )


def timed(step: NextStep, f: Facts, fu: FollowUpState) -> NextStep:
    """``step`` with the date it must wait for, and why, in its first reason."""
    if step.route_id is None or step.route_id in _NEVER_WAIT:
        return step
    waits, notes = [], []
    if step.not_before is not None:
        waits.append((step.not_before, step.wait))
    if step.route_id not in ("relance", "mise-en-demeure"):
        _notice_wait(f, fu, waits, notes)
    _debtor_wait(f, fu, waits)
    notes += _past_events(fu, f.as_of)
    waits = [(day, why) for day, why in waits if day > f.as_of]
    if not waits:
        return NextStep(step.route_id, (*notes, *step.reasons)) if notes else replace(step, not_before=None)
    first = max(day for day, _ in waits)
    why = " ; ".join(why for _, why in waits if why)
    head = f"Attendez le {long_date(first)} : {why}." if why else f"Attendez le {long_date(first)}."
    return NextStep(step.route_id, (head, *notes, *step.reasons), first)


def _notice_wait(f: Facts, fu: FollowUpState, waits: list, notes: list) -> None:
    """A court waits for the end of the délai the mise en demeure gave, unless prescription falls first."""
    notice = fu.notice
    if notice is None or f.as_of > notice.last_day:
        return
    if f.open_limit is not None and f.open_limit <= notice.last_day:
        notes.append(
            f"La prescription tombe le {long_date(f.open_limit)}, avant la fin du délai de la mise en demeure "
            f"({long_date(notice.last_day)}) : agissez sans attendre pour ne pas perdre la créance ; la "
            "demande ne dira pas la mise en demeure restée sans effet."
        )
        return
    how = "réception estimée au" if notice.estimated else "reçue le"
    waits.append(
        (
            notice.last_day + ONE_DAY,
            f"la mise en demeure ({how} {long_date(notice.received)}) laisse au débiteur jusqu'au "
            f"{long_date(notice.last_day)} inclus pour payer ; saisir le juge avant serait prématuré",
        )
    )


def _debtor_wait(f: Facts, fu: FollowUpState, waits: list) -> None:
    """A pending promise or instalment: wait for the day after it falls due."""
    pending = fu.pending_promise
    if pending is not None:
        p = pending.promise
        what = euros(p.amount) if p.amount is not None else "la totalité"
        waits.append(
            (
                p.pay_by + ONE_DAY,
                f"le débiteur a promis le {long_date(p.made)} de payer {what} au plus tard le {long_date(p.pay_by)}",
            )
        )
    plan = fu.plan
    if plan is not None and plan.active and plan.next_due is not None:
        inst = plan.plan.instalments[plan.next_due]
        waits.append(
            (
                inst.due + ONE_DAY,
                f"l'échéancier est respecté ; sa prochaine échéance ({euros(inst.amount)}) tombe le "
                f"{long_date(inst.due)} : si elle n'est pas payée, l'échéancier sera rompu",
            )
        )


def _past_events(fu: FollowUpState, as_of: date) -> list[str]:
    """A promise broken or a plan completed: what the creditor must know before acting."""
    notes = []
    broken = fu.broken_promise
    if broken is not None and fu.pending_promise is None:
        notes.append(
            f"Le débiteur n'a pas tenu sa promesse de payer au plus tard le {long_date(broken.promise.pay_by)}."
        )
    if fu.plan is not None and fu.plan.completed:
        notes.append("Toutes les échéances de l'échéancier ont été payées ; il reste néanmoins une somme due.")
    return notes
