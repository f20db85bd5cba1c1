"""Reminders that go out on their own: what is due today, into the outbox, then delivered.

``run`` is what ``flask --app webapp followups run`` does, without Flask. It asks the
follow-up engine (``assess``: ``reminders.plan[].status == "due"``, ``reminders.stopped``)
which step of each dossier's plan is due, writes one outbox row per dossier and step
(a unique key: two runs, or two machines, never make two), then drains the outbox.
Right before a reminder goes, the engine is asked again on the dossier as it is now: a
payment recorded an hour earlier, a promise, a pause… cancels it. Once sent, the reminder
is written into the claim's history, which is how the engine knows the step is done.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.assessment import Assessment, assess
from ..domain.claim_file import claim_from_data
from ..domain.deadlines import is_working_day
from ..domain.errors import ClaimError, ParameterError
from ..domain.followup import STOP_REASONS, ReminderPlan, ReminderStep
from ..domain.procedures import Library
from ..store import audit, outbox
from ..store.models import Dossier, FollowUp, OutboxMessage, OwnerPlan
from . import reminders as reminder_mail
from .transport import valid_address

KIND = "relance"
ACTOR: audit.Actor = ("Dûment (relances automatiques)", None)


def stop_label(reason: str) -> str:
    """The engine's French explanation of why the plan stopped."""
    return STOP_REASONS.get(reason, reason)


@dataclass(frozen=True)
class Context:
    """What a run needs besides the database: the engine's library, document paths, the sender."""

    library: Library
    paths: reminder_mail.Paths
    sender: str  # the instance's address, "Dûment <ne-pas-repondre@…>"


@dataclass
class Report:
    """What a run did, for the command's output."""

    queued: int = 0
    already: int = 0
    skipped: Counter = field(default_factory=Counter)
    planned: list[tuple[str, int, str]] = field(default_factory=list)  # dry run: dossier, step, address
    delivery: outbox.Delivery = field(default_factory=outbox.Delivery)


def reminders(a: Assessment) -> ReminderPlan:
    """The engine's reminder plan: what ``assess --json`` prints as ``reminders`` (plan, stopped)."""
    return a.reminders


def claim_data(dossier: Dossier, plan_days: list[int] | None) -> dict:
    """The dossier's claim, with its owner's plan when the claim names none of its own."""
    claim = dict(dossier.claim)
    follow_up = dict(claim.get("follow_up") or {})
    if plan_days and not follow_up.get("plan"):
        follow_up["plan"] = [{"days": d, "channel": "email"} for d in plan_days]
        claim["follow_up"] = follow_up
    return claim


def owner_plan(db: Session, dossier: Dossier) -> list[int] | None:
    """The reminder days of the dossier's team, or else of its owner's account, if they set any."""
    if dossier.organisation_id is not None:
        query = select(OwnerPlan.days).where(OwnerPlan.organisation_id == dossier.organisation_id)
    elif dossier.owner_id is not None:
        query = select(OwnerPlan.days).where(OwnerPlan.account_id == dossier.owner_id)
    else:
        return None
    days = db.scalar(query)
    return parse_days(days) if days else None


def parse_days(text: str) -> list[int]:
    """ "3, 10, 20" → [3, 10, 20]; raises ValueError with a French message otherwise."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError("indiquez des nombres de jours séparés par des virgules, par exemple 3, 10, 20")
    days = [int(p) for p in parts]
    if days != sorted(set(days)) or days[-1] > 365 or len(days) > 10:
        raise ValueError("les jours doivent être croissants, sans doublon, 10 étapes et 365 jours au plus")
    return days


def assessed(db: Session, dossier: Dossier, library: Library, on: date) -> Assessment:
    """The engine's view of the dossier on ``on``, with the owner's plan; raises ClaimError if incomplete."""
    return assess(claim_from_data(claim_data(dossier, owner_plan(db, dossier))), library, on)


def blocked(dossier: Dossier, follow_up: FollowUp) -> str | None:
    """Why nothing may go for this dossier whatever the engine says, or None."""
    from ..store.accounts import needs_verification

    if not follow_up.enabled:
        return "relances automatiques désactivées"
    if follow_up.problem:
        return "adresse du client à corriger"
    if not valid_address(follow_up.debtor_email):
        return "adresse e-mail du client manquante ou invalide"
    if dossier.closed_at is not None:
        return "dossier clos"
    if needs_verification(dossier):
        return "dossier d'équipe à faire vérifier par un superviseur"
    return None


def due_step(a: Assessment) -> tuple[ReminderStep | None, int, str | None]:
    """The plan step due (``status == "due"``, by e-mail) or None, the number of steps, why the plan stopped."""
    plan = reminders(a)
    if plan.stopped:
        return None, len(plan.steps), plan.stopped
    due = next((s for s in plan.steps if s.status == "due" and s.channel == "email"), None)
    return due, len(plan.steps), None


def reply_to(dossier: Dossier, follow_up: FollowUp) -> str | None:
    """Replies go to the creditor: the claim's address, or the account that turned reminders on."""
    creditor = (dossier.claim.get("creditor") or {}).get("email") or ""
    return creditor if valid_address(creditor) else (follow_up.enabled_by or None)


def sender_name(dossier: Dossier) -> str:
    """ "Atelier Dupont SARL (via Dûment)": the debtor sees who writes, from the instance's address."""
    name = " ".join(str((dossier.claim.get("creditor") or {}).get("name") or "").split())[:120]
    return f"{name} (via Dûment)" if name else "Dûment"


def plan(sessions: sessionmaker, ctx: Context, on: date, now: datetime, dry_run: bool, report: Report) -> None:
    """Write an outbox row for each dossier with a step due on ``on`` (one per dossier and step).

    Messages are composed outside any write transaction, then a batch is inserted and
    committed at once: a second runner (or the web app) never waits long for the database.
    """
    with sessions() as db:
        query = select(FollowUp, Dossier).join(Dossier, Dossier.id == FollowUp.dossier_id)
        pairs = db.execute(query.where(FollowUp.enabled.is_(True)).order_by(FollowUp.dossier_id)).all()
        plans = owner_plans(db)
        db.commit()
        for start in range(0, len(pairs), 200):
            decided = [_decide(ctx, d, f, plans, on, report) for f, d in pairs[start : start + 200]]
            decided = [item for item in decided if item is not None]
            if dry_run:
                _preview(db, decided, report)
                continue
            added = outbox.enqueue_many(db, KIND, decided, ctx.sender, now)
            db.commit()
            report.queued += added
            report.already += len(decided) - added


def owner_plans(db: Session) -> dict[tuple[str, int], list[int]]:
    """Every account's and team's own reminder days, read once for a whole run."""
    found = {}
    for row in db.scalars(select(OwnerPlan)):
        key = ("team", row.organisation_id) if row.organisation_id is not None else ("account", row.account_id)
        found[key] = parse_days(row.days)
    return found


def _plan_of(dossier: Dossier, plans: dict) -> list[int] | None:
    if dossier.organisation_id is not None:
        return plans.get(("team", dossier.organisation_id))
    return plans.get(("account", dossier.owner_id)) if dossier.owner_id is not None else None


def _decide(ctx: Context, dossier, follow_up, plans, on, report: Report):
    """(key, draft, link) of the message due for this dossier on ``on``, or None (and why, counted)."""
    reason = blocked(dossier, follow_up)
    if reason is None:
        try:
            a = assess(claim_from_data(claim_data(dossier, _plan_of(dossier, plans))), ctx.library, on)
        except (ClaimError, ParameterError):
            reason = "dossier incomplet"
        else:
            step, steps, stopped = due_step(a)
            reason = stop_label(stopped) if stopped else (None if step else "aucune relance prévue ce jour")
    if reason is not None:
        report.skipped[reason] += 1
        return None
    draft = reminder_mail.compose(
        a, ctx.library, ctx.paths, step.step, steps, follow_up.debtor_email, reply_to(dossier, follow_up)
    )
    draft = replace(draft, sender_name=sender_name(dossier))
    link = {"dossier_id": dossier.id, "step": step.step, "due_on": step.date, "decided_on": on}
    link["dossier_version"] = dossier.version
    return f"{KIND}:{dossier.id}:{step.step}", draft, link


def _preview(db: Session, decided, report: Report) -> None:
    """A dry run: what would be queued, and what is already in the outbox."""
    for key, draft, link in decided:
        if db.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None:
            report.planned.append((link["dossier_id"], link["step"], draft.to))
        else:
            report.already += 1


def hooks(ctx: Context, on: date) -> dict[str, outbox.Hooks]:
    """What happens around sending a reminder: the last check, and what is recorded after."""
    plans: dict = {}

    def prepare(db: Session, rows: list[OutboxMessage]) -> None:
        """Read the batch's dossiers in two queries (then ``db.get`` finds them in the session)."""
        ids = [row.dossier_id for row in rows]
        found = [*db.scalars(select(Dossier).where(Dossier.id.in_(ids)))]
        found += db.scalars(select(FollowUp).where(FollowUp.dossier_id.in_(ids)))
        db.info["prepared"] = found  # the session holds loaded objects weakly: keep them for the batch
        if not plans:
            plans.update(owner_plans(db) or {None: None})

    return {
        KIND: outbox.Hooks(
            prepare=prepare, check=lambda db, row, now: _check(db, row, ctx, on, plans), sent=_sent(on), failed=_failed
        )
    }


def _check(db: Session, row: OutboxMessage, ctx: Context, on: date, plans: dict) -> str | None:
    """Whether this reminder must not go after all (the dossier changed since it was decided)."""
    dossier, follow_up = db.get(Dossier, row.dossier_id), db.get(FollowUp, row.dossier_id)
    if dossier is None or follow_up is None:
        return "dossier supprimé"
    reason = blocked(dossier, follow_up)
    if reason is None and row.to_address != follow_up.debtor_email:
        reason = "l'adresse du client a changé depuis"
    if reason is None and (row.dossier_version, row.decided_on) == (dossier.version, on):
        return None  # decided today on this very version of the dossier: the engine's answer stands
    if reason is None:
        try:
            claim = claim_from_data(claim_data(dossier, _plan_of(dossier, plans)))
            step, _steps, stopped = due_step(assess(claim, ctx.library, on))
        except (ClaimError, ParameterError):
            return _cancel(db, row, "dossier incomplet")
        if stopped:
            reason = stop_label(stopped)
        elif step is None or step.step != row.step:
            reason = "cette relance n'est plus due"
    return _cancel(db, row, reason) if reason else None


def _cancel(db: Session, row: OutboxMessage, reason: str) -> str:
    """Free the step's key (a later due date may plan it again) and journal the cancellation."""
    row.key = f"{row.key}:annule:{row.id}"[:120]
    audit.record(db, ACTOR, row.dossier_id, "courriel annulé", f"relance n° {row.step} : {reason}")
    return reason


def _sent(on: date):
    def record(db: Session, row: OutboxMessage, _now: datetime) -> None:
        """The reminder enters the claim's history by itself (a supervisor's check stays valid)."""
        dossier = db.get(Dossier, row.dossier_id)
        claim = dict(dossier.claim)
        history = dict(claim.get("history") or {})
        history["reminders"] = [*history.get("reminders", []), {"date": on.isoformat(), "channel": "email"}]
        claim["history"] = history
        still_verified = dossier.verified
        dossier.claim, dossier.version = claim, dossier.version + 1
        if still_verified:
            dossier.verified_version = dossier.version
        audit.record(db, ACTOR, row.dossier_id, "courriel envoyé", f"relance n° {row.step} à {row.to_address}")

    return record


def _failed(db: Session, row: OutboxMessage, _now: datetime) -> None:
    """A reminder that could not go: the dossier says so, and its reminders wait for a correction."""
    follow_up = db.get(FollowUp, row.dossier_id)
    if follow_up is not None:
        follow_up.problem = f"La relance n° {row.step} n'a pas pu être envoyée à {row.to_address} : {row.last_error}."[
            :500
        ]
    audit.record(db, ACTOR, row.dossier_id, "courriel en échec", f"relance n° {row.step} : {row.last_error}")


def working_day(day: date) -> bool:
    """Reminders go on working days only: no mail to a client on a Sunday or a public holiday."""
    return is_working_day(day, None)


def run(sessions: sessionmaker, transport, ctx: Context, on: date, now: datetime, dry_run: bool = False) -> Report:
    """Plan the reminders due on ``on`` and deliver the outbox (everything, or nothing in a dry run)."""
    report = Report()
    if working_day(on):
        plan(sessions, ctx, on, now, dry_run, report)
    else:
        report.skipped["jour non ouvré : aucune relance"] += 1
    if dry_run:
        with sessions() as db:
            report.delivery.sent = len(_pending(db, now))
        return report
    exclude = () if working_day(on) else (KIND,)
    report.delivery = outbox.deliver(sessions, transport, ctx.sender, now, hooks(ctx, on), exclude=exclude)
    return report


def _pending(db: Session, now: datetime) -> list[int]:
    query = select(OutboxMessage.id).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    return list(db.scalars(query))
