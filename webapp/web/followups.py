"""A dossier's automatic reminders: the preview of each message, turning them on or off, the plan.

Thin views: the rules are in ``webapp.mail.followups`` (what is due, what stops it) and the
messages in ``webapp.mail.reminders``; sending is ``flask --app webapp followups run``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from .. import config
from ..domain.errors import ClaimError, ParameterError
from ..domain.reminder_wording import step_status
from ..mail import followups as auto
from ..mail import reminders as reminder_mail
from ..store import accounts, dossiers
from ..store.models import Dossier, FollowUp, OutboxMessage, OwnerPlan
from . import db, journal
from . import forms as f
from .common import STEPS, current_account, dossier_or_404, library

bp = Blueprint("followups", __name__, url_prefix="/dossier/<token>")


def _follow_up(dossier: Dossier) -> FollowUp:
    found = db.session().get(FollowUp, dossier.id)
    return found or FollowUp(dossier_id=dossier.id, enabled=False, debtor_email="", enabled_by="", problem="")


def _plan_form(dossier: Dossier) -> f.PlanForm:
    form = f.PlanForm(prefix="plan")
    choices = [("dossier", "ce dossier seulement")]
    if dossier.organisation_id is not None and accounts.can_verify(current_account(), dossier):
        choices.append(("equipe", "tous les dossiers de l'équipe qui n'ont pas leur propre calendrier"))
    elif dossier.organisation_id is None and dossier.owner_id is not None:
        choices.append(("compte", "tous mes dossiers qui n'ont pas leur propre calendrier"))
    form.scope.choices = f.options(choices)
    return form


def _previews(dossier: Dossier, follow_up: FollowUp, on: date) -> tuple[list, object]:
    """Each step of the plan with its message as it would read today, and the engine's plan."""
    a = auto.assessed(db.session(), dossier, library(), on)
    plan = auto.reminders(a)
    paths = reminder_mail.Paths(config.templates_dir(), config.static_dir())
    to = follow_up.debtor_email or "(adresse de votre client)"
    messages = [
        reminder_mail.compose(
            a, library(), paths, s.step, len(plan.steps), to, auto.reply_to(dossier, follow_up), pdf=False
        )
        for s in plan.steps
    ]
    return list(zip(plan.steps, messages, strict=True)), plan


def _page(dossier: Dossier, form=None, plan_form=None, status: int = 200):
    follow_up = _follow_up(dossier)
    if form is None:
        form = f.RemindersForm(prefix="relances", data={"debtor_email": follow_up.debtor_email})
    try:
        previews, plan = _previews(dossier, follow_up, date.today())
    except (ClaimError, ParameterError):
        previews, plan = None, None
    statuses = {s.step: step_status(s, plan, date.today()) for s in plan.steps} if plan else {}
    return render_template(
        "mail/reminders.html",
        dossier=dossier,
        follow_up=follow_up,
        form=form,
        plan_form=plan_form or _plan_form(dossier),
        previews=previews,
        plan=plan,
        statuses=statuses,
        stop_label=auto.stop_label(plan.stopped) if plan and plan.stopped else None,
        blocked=_why_not(dossier),
        days=", ".join(str(s["days"]) for s in (dossier.claim.get("follow_up") or {}).get("plan") or []),
        empty=f.EmptyForm(),
        steps=STEPS,
        current="relances",
    ), status


def _why_not(dossier: Dossier) -> str | None:
    """Why this person may not turn reminders on for this dossier, or None."""
    account = current_account()
    if account is None or (dossier.owner_id is None and dossier.organisation_id is None):
        return "Connectez-vous et rattachez ce dossier à votre compte : des relances partent en votre nom."
    if not accounts.is_verified(account):
        return (
            "Confirmez d'abord votre adresse e-mail (lien reçu par courriel) : les réponses du client vous y "
            "parviendront."
        )
    return None


@bp.route("/relances")
def settings(token):
    return _page(dossier_or_404(token))


@bp.route("/relances", methods=["POST"])
def enable(token):
    """Turn reminders on for this address: only after the previews, by a confirmed account."""
    dossier = dossier_or_404(token)
    form = f.RemindersForm(prefix="relances")
    reason = _why_not(dossier)
    if reason is not None:
        flash(reason, "conflict")
        return redirect(url_for("followups.settings", token=token))
    if not form.validate_on_submit():
        return _page(dossier, form=form, status=400)
    follow_up = _follow_up(dossier)
    address = accounts.normalise_email(form.debtor_email.data)
    if address != follow_up.debtor_email:
        _forget_failures(dossier.id)
        follow_up.problem = ""
    follow_up.enabled, follow_up.debtor_email = True, address
    follow_up.enabled_at, follow_up.enabled_by = datetime.now(UTC), current_account().email
    db.session().add(follow_up)
    journal.record(dossier.id, "relances activées", address)
    db.session().commit()
    flash(f"Relances automatiques activées : elles partiront vers {address} aux dates prévues.")
    return redirect(url_for("followups.settings", token=token))


def _forget_failures(dossier_id: str) -> None:
    """A corrected address: the steps that failed may be sent again (their key is freed)."""
    query = select(OutboxMessage).where(OutboxMessage.dossier_id == dossier_id, OutboxMessage.status == "failed")
    for row in db.session().scalars(query):
        row.key = f"{row.key}:echec:{row.id}"[:120]


@bp.route("/relances/desactiver", methods=["POST"])
def disable(token):
    dossier = dossier_or_404(token)
    follow_up = db.session().get(FollowUp, dossier.id)
    if follow_up is not None and follow_up.enabled:
        follow_up.enabled = False
        journal.record(dossier.id, "relances désactivées")
        db.session().commit()
    flash("Relances automatiques désactivées : aucun courriel ne partira plus pour ce dossier.")
    return redirect(url_for("followups.settings", token=token))


@bp.route("/relances/calendrier", methods=["POST"])
def plan(token):
    """The reminder days, for this dossier, or for all the account's or the team's dossiers."""
    dossier = dossier_or_404(token)
    form = _plan_form(dossier)
    days = None
    if form.validate_on_submit():
        try:
            days = auto.parse_days(form.days.data)
        except ValueError as error:
            form.days.errors.append(f"Calendrier : {error}.")
    if days is None:
        return _page(dossier, plan_form=form, status=400)
    text = ", ".join(map(str, days))
    if form.scope.data == "dossier":
        follow = dict(dossier.claim.get("follow_up") or {})
        follow["plan"] = [{"days": d, "channel": "email"} for d in days]
        journal.record(dossier.id, "calendrier des relances", f"{text} jours")
        dossiers.save_claim(db.session(), dossier, {**dossier.claim, "follow_up": follow})
    else:
        _save_owner_plan(dossier, form.scope.data, text)
    flash(f"Calendrier des relances enregistré : {text} jours après l'échéance.")
    return redirect(url_for("followups.settings", token=token))


def _save_owner_plan(dossier: Dossier, scope: str, text: str) -> None:
    key = {"organisation_id": dossier.organisation_id} if scope == "equipe" else {"account_id": dossier.owner_id}
    found = db.session().scalar(select(OwnerPlan).filter_by(**key)) or OwnerPlan(**key)
    found.days = text
    db.session().add(found)
    if scope == "equipe":
        journal.record_team(dossier.organisation_id, "calendrier des relances", f"{text} jours")
    journal.record(dossier.id, "calendrier des relances", f"{text} jours ({scope})")
    db.session().commit()


@bp.route("/courriels/<int:row_id>/reessayer", methods=["POST"])
def retry(token, row_id):
    """Send a failed message again at the next run (after the address was checked or corrected)."""
    dossier = dossier_or_404(token)
    row = db.session().get(OutboxMessage, row_id)
    if row is None or row.dossier_id != dossier.id or row.status != "failed":
        abort(404)
    follow_up = db.session().get(FollowUp, dossier.id)
    if follow_up is not None:
        follow_up.problem = ""
        if row.kind == auto.KIND and row.to_address != follow_up.debtor_email:
            row.to_address = follow_up.debtor_email
    row.status, row.attempts, row.last_error = "pending", 0, ""
    row.next_attempt_at = datetime.now(UTC)
    journal.record(dossier.id, "courriel à renvoyer", f"{row.subject[:120]} ({row.to_address})")
    db.session().commit()
    flash("Le courriel partira de nouveau au prochain passage de l'envoi automatique.")
    return redirect(url_for("mail_views.dossier_mails", token=token))
