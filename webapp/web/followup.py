"""The "Suivi" page of a dossier: what happened, what falls due, what to do next and from when.

Each event (a payment, a reminder, the mise en demeure and its receipt, a promise, an
échéancier, a dispute, the injonction de payer's steps) is recorded from a small form
whose date is today's: open it, save it. The claim it makes is checked by the engine's
own validation, then saved through the store like the wizard's steps (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from ..documents.echeancier import split
from ..domain.assessment import assess
from ..domain.claim_file import claim_from_data
from ..domain.errors import ClaimError, ParameterError
from ..domain.followup import STOP_REASONS
from ..domain.reminder_wording import default_plan_note, step_line
from ..domain.timeline import timeline
from ..store import dossiers
from . import agenda, db, journal
from . import followup_forms as ff
from . import forms as f
from .common import STEPS, dossier_or_404, library
from .fields import parse_french_date

bp = Blueprint("followup", __name__, url_prefix="/dossier/<token>/suivi")


@dataclass(frozen=True)
class Action:
    """One kind of event: its form, how it changes the claim, and what the journal and the user read."""

    title: str
    form: Callable[[], Any]
    apply: Callable[[dict, Any], dict]
    done: str
    today: tuple[str, ...] = ()  # the date fields of the event itself, filled with the page's date


def today() -> date:
    """The date of the page: today, or the one asked (?le=23/11/2026), as the analysis does."""
    text = request.args.get("le", "")
    try:
        return parse_french_date(text) if text else date.today()
    except ValueError:
        return date.today()


def _history(claim: dict) -> dict:
    return dict(claim.get("history") or {})


def _with_history(claim: dict, **changes) -> dict:
    history = {k: v for k, v in {**_history(claim), **changes}.items() if v not in (None, [], {})}
    return {**claim, "history": history}


def _order(claim: dict) -> dict:
    return dict(_history(claim).get("order") or {})


def _payment(claim, form):
    entry = {"date": form.date.data_iso, "amount": form.amount.data_claim}
    if form.invoice.data:
        entry["invoice"] = form.invoice.data
    return {**claim, "payments": [*(claim.get("payments") or []), entry]}


def _reminder(claim, form):
    entry = {"date": form.date.data_iso, "channel": form.channel.data}
    return _with_history(claim, reminders=[*_history(claim).get("reminders", []), entry])


def _notice(claim, form):
    notice = {"sent": form.sent.data_iso, "registered": bool(form.registered.data)}
    if form.received.data_iso:
        notice["received"] = form.received.data_iso
    if form.deadline_days.data:
        notice["deadline_days"] = form.deadline_days.data
    return _with_history(claim, formal_notice=notice)


def _received(claim, form):
    notice = _history(claim).get("formal_notice")
    if not notice:
        raise ClaimError([("received", "Enregistrez d'abord l'envoi de la mise en demeure.")])
    return _with_history(claim, formal_notice={**notice, "received": form.received.data_iso})


def _promise(claim, form):
    entry = {"made": form.made.data_iso, "pay_by": form.pay_by.data_iso}
    if form.amount.data_claim:
        entry["amount"] = form.amount.data_claim
    return _with_history(claim, promises=[*_history(claim).get("promises", []), entry])


def _plan(claim, form):
    parts = split(Decimal(form.total.data_claim), form.count.data, date.fromisoformat(form.first.data_iso))
    plan = {
        "agreed": form.agreed.data_iso,
        "signed_by_debtor": bool(form.signed.data),
        "instalments": [{"due": d.isoformat(), "amount": str(amount)} for d, amount in parts],
    }
    return _with_history(claim, payment_plan=plan)


def _filed(claim, form):
    return _with_history(claim, order={**_order(claim), "filed": form.filed.data_iso})


def _needs_order(claim, field):
    if not _order(claim):
        raise ClaimError([(field, "Enregistrez d'abord le dépôt de la requête en injonction de payer.")])


def _decision(claim, form):
    _needs_order(claim, "rendered")
    order = {**_order(claim), "rendered": form.rendered.data_iso, "outcome": form.outcome.data}
    return _with_history(claim, order=order)


def _service(claim, form):
    _needs_order(claim, "served")
    order = {**_order(claim), "served": form.served.data_iso, "served_in_person": bool(form.in_person.data)}
    return _with_history(claim, order=order)


def _opposition(claim, form):
    _needs_order(claim, "opposition")
    return _with_history(claim, order={**_order(claim), "opposition": form.opposition.data_iso})


def _dispute(claim, form):
    dispute = {"contested": form.contested.data == "yes"}
    if form.details.data and form.details.data.strip():
        dispute["details"] = form.details.data.strip()
    return {**claim, "dispute": dispute}


def _reminder_plan(claim, form):
    plan = [{"days": days, "channel": form.channel.data} for days in form.numbers]
    return {**claim, "follow_up": {**(claim.get("follow_up") or {}), "plan": plan}}


def _paused(value: bool):
    def apply(claim, form):
        return {**claim, "follow_up": {**(claim.get("follow_up") or {}), "paused": value}}

    return apply


ACTIONS = {
    "paiement": Action("Un paiement reçu", f.PaymentForm, _payment, "Paiement enregistré.", ("date",)),
    "relance": Action("Une relance envoyée", f.ReminderForm, _reminder, "Relance enregistrée.", ("date",)),
    "med": Action("La mise en demeure envoyée", ff.NoticeForm, _notice, "Mise en demeure enregistrée.", ("sent",)),
    "reception": Action(
        "La mise en demeure reçue", ff.ReceivedForm, _received, "Réception enregistrée.", ("received",)
    ),
    "promesse": Action("Une promesse de paiement", ff.PromiseForm, _promise, "Promesse enregistrée.", ("made",)),
    "echeancier": Action("Un échéancier convenu", ff.PlanForm, _plan, "Échéancier enregistré.", ("agreed",)),
    "litige": Action("Une contestation du client", ff.DisputeForm, _dispute, "Contestation enregistrée."),
    "requete": Action(
        "La requête en injonction de payer déposée", ff.FiledForm, _filed, "Dépôt enregistré.", ("filed",)
    ),
    "ordonnance": Action("L'ordonnance du juge", ff.DecisionForm, _decision, "Ordonnance enregistrée.", ("rendered",)),
    "signification": Action(
        "La signification de l'ordonnance", ff.ServiceForm, _service, "Signification enregistrée.", ("served",)
    ),
    "opposition": Action(
        "Une opposition du client", ff.OppositionForm, _opposition, "Opposition enregistrée.", ("opposition",)
    ),
    "plan": Action("Changer le plan de relances", ff.ReminderPlanForm, _reminder_plan, "Plan de relances enregistré."),
    "pause": Action("Suspendre les relances", f.EmptyForm, _paused(True), "Relances suspendues."),
    "reprise": Action("Reprendre les relances", f.EmptyForm, _paused(False), "Relances reprises."),
}
# The events a person records, each opened from its link (pausing and resuming are buttons).
EVENTS = [k for k in ACTIONS if k not in ("pause", "reprise")]


def _forms(dossier, on: date, keys: list[str], posted: str | None) -> dict[str, Any]:
    """The forms of these events, prefixed by their action; the event's own date filled with the
    page's, except in the form just sent (what was typed is kept, even an emptied date). Only the
    forms shown are built: the others are links that open them."""
    forms = {}
    for key in keys:
        action = ACTIONS[key]
        form = action.form(prefix=key)
        if key != posted:
            for name in action.today:
                form[name].data = on.strftime("%d/%m/%Y")
        forms[key] = form
    if "plan" in forms and posted != "plan":
        steps = (dossier.claim.get("follow_up") or {}).get("plan")
        days = [s.get("days") for s in steps] if steps else library().parameters.at("reminder_plan_days", on).value
        forms["plan"].days.data = ", ".join(str(d) for d in days)
        forms["plan"].channel.data = (steps or [{}])[0].get("channel", "email")
    if "paiement" in forms:
        invoices = [inv.get("number") for inv in dossier.claim.get("invoices", []) if inv.get("number")]
        legal = ("", "Imputation légale (factures les plus anciennes)")
        forms["paiement"].invoice.choices = f.options([legal] + [(n, n) for n in invoices])
    return forms


def _engine_errors(form, problems: list[tuple[str, str]]) -> list[str]:
    """Put each engine problem next to the form's field it names; the others are returned."""
    general = []
    names = {field.short_name for field in form}
    aliases = {"date": "date", "due": "first", "instalments": "count", "served_in_person": "in_person"}
    for path, message in problems:
        leaf = path.rsplit(".", 1)[-1].split("[")[0]
        name = leaf if leaf in names else aliases.get(leaf)
        if name in names:
            form[name].errors = [*form[name].errors, message[:1].upper() + message[1:] + "."]
        else:
            general.append(f"{path} : {message}")
    return general


@bp.route("", methods=["GET", "POST"])
def page(token):
    dossier = dossier_or_404(token)
    on = today()
    posted = request.form.get("action", "") if request.method == "POST" else None
    if posted is not None and posted not in ACTIONS:
        return render_template("error.html", title="Action inconnue", message="Cette action n'existe pas."), 404
    opened = posted or (request.args.get("noter") if request.args.get("noter") in EVENTS else None)
    toggle = "reprise" if (dossier.claim.get("follow_up") or {}).get("paused") else "pause"
    forms = _forms(dossier, on, [k for k in (opened, toggle) if k], posted)
    errors = []
    if posted is not None:
        action, form = ACTIONS[posted], forms[posted]
        if form.validate_on_submit():
            try:
                claim = action.apply(dict(dossier.claim), form)
                assess(claim_from_data(claim), library(), on)  # the engine's checks (an overpayment…)
            except ClaimError as error:
                errors = _engine_errors(form, error.problems)
            else:
                journal.record(dossier.id, "suivi", action.title)
                dossiers.save_claim(db.session(), dossier, claim)
                flash(action.done)
                args = {k: v for k, v in request.args.items() if k != "noter"}
                return redirect(url_for("followup.page", token=dossier.token, **args))
    return _render(dossier, on, forms, errors, opened if opened != toggle else None, toggle)


def _render(dossier, on: date, forms, errors, opened, toggle):
    try:
        claim = dossiers.valid_claim(dossier)
        a = assess(claim, library(), on)
    except (ClaimError, ParameterError):
        return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
    titles = {r.route.id: r.route.title for r in a.routes}
    return render_template(
        "followup.html",
        dossier=dossier,
        a=a,
        on=on,
        steps=STEPS,
        current="suivi",
        events=timeline(claim),
        coming=agenda.items(a, titles),
        next_title=titles.get(a.next_step.route_id),
        stop_reason=STOP_REASONS.get(a.reminders.stopped or ""),
        reminder_lines=[(s.status, step_line(s, a.reminders, on)) for s in a.reminders.steps],
        plan_note=default_plan_note(a.reminders),
        forms=forms,
        actions=ACTIONS,
        events_offered=EVENTS,
        toggle=toggle,
        opened=opened,
        errors=errors,
    )


@bp.route("/echeances.ics")
def ics(token):
    dossier = dossier_or_404(token)
    try:
        a = assess(dossiers.valid_claim(dossier), library(), date.today())
    except (ClaimError, ParameterError):
        return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
    debtor = a.claim.debtor.name
    link = url_for("followup.page", token=dossier.token, _external=True)
    titles = {r.route.id: r.route.title for r in a.routes}
    body = agenda.calendar(
        f"Dûment — {debtor}", [(dossier.id, debtor, link, agenda.items(a, titles))], datetime.now(UTC)
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="echeances.ics"', "Cache-Control": "no-store"},
    )


def due_this_week(found: list, on: date) -> list[tuple[Any, str, agenda.Item]]:
    """(dossier, debtor, item) for what falls due this week in each complete dossier, soonest first."""
    rows = []
    for dossier in found:
        try:
            a = assess(dossiers.valid_claim(dossier), library(), on)
        except (ClaimError, ParameterError):
            continue  # still being filled in: nothing is due yet
        titles = {r.route.id: r.route.title for r in a.routes}
        rows += [(dossier, a.claim.debtor.name, item) for item in agenda.this_week(agenda.items(a, titles), on)]
    return sorted(rows, key=lambda row: row[2].date)
