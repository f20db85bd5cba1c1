"""Calendar subscriptions: one secret, revocable address per account or team, read by calendar apps.

The address is shown once, when it is made; making a new one revokes the old. A team's
address is managed by its supervisors. The calendar lists the coming deadlines, reminders
and next steps of every dossier the account can see (or the team's).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from ..domain.assessment import assess
from ..domain.errors import ClaimError, ParameterError
from ..store import accounts, calendars, dossiers
from ..store.models import Account, Dossier, Organisation
from . import agenda, db, journal
from . import forms as f
from .common import current_account, library

bp = Blueprint("calendar", __name__, url_prefix="/calendrier")


def _teams(account: Account) -> list[tuple[Organisation, bool]]:
    """The account's teams, each with whether it may manage the team's address (supervisors)."""
    return [(m.organisation, m.role == accounts.SUPERVISOR) for m in account.memberships]


@bp.route("", methods=["GET", "POST"])
@login_required
def manage():
    account, session = current_account(), db.session()
    form, new_url = f.EmptyForm(), None
    if form.validate_on_submit():
        team = _team_asked(account)
        owner = (account.id, team)
        if request.form.get("do") == "revoke":
            calendars.revoke(session, *owner)
            _journal(team, "adresse de calendrier révoquée")
            session.commit()
            flash("L'adresse d'abonnement est révoquée : les agendas abonnés ne la liront plus.")
            return redirect(url_for("calendar.manage"))
        token = calendars.renew(session, *owner)
        _journal(team, "adresse de calendrier créée")
        session.commit()
        new_url = url_for("calendar.feed", secret=token, _external=True)
    rows = [("Mes dossiers et ceux de mes équipes", None, True, calendars.current(session, account.id))]
    for team, can in _teams(account):
        rows.append((f"L'équipe « {team.name} »", team.id, can, calendars.current(session, None, team.id)))
    return render_template("calendar.html", rows=rows, form=form, new_url=new_url)


def _team_asked(account: Account) -> int | None:
    """The team whose address is managed (None: the account's own); 403 unless a supervisor of it."""
    raw = request.form.get("team", "")
    if not raw:
        return None
    team = int(raw) if raw.isdigit() else -1
    if accounts.role_in(account, team) != accounts.SUPERVISOR:
        abort(403)
    return team


def _journal(team: int | None, what: str) -> None:
    if team is not None:
        journal.record_team(team, "calendrier", what)


@bp.route("/<secret>.ics")
def feed(secret):
    session = db.session()
    row = calendars.by_token(session, secret)
    if row is None:
        abort(404)
    if row.organisation_id is not None:
        found = list(session.scalars(select(Dossier).where(Dossier.organisation_id == row.organisation_id)))
        name = "Dûment — équipe"
    else:
        account = session.get(Account, row.account_id)
        if account is None:
            abort(404)
        found = accounts.dossiers_of(session, account)
        name = "Dûment — mes échéances"
    body = agenda.calendar(name, [e for d in found if (e := _entry(d))], datetime.now(UTC))
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})


def _entry(dossier: Dossier):
    """(id, debtor, link, items) of a complete dossier; None for one still being filled in."""
    try:
        a = assess(dossiers.valid_claim(dossier), library(), date.today())
    except (ClaimError, ParameterError):
        return None
    titles = {r.route.id: r.route.title for r in a.routes}
    link = url_for("followup.page", token=dossier.token, _external=True)
    return dossier.id, a.claim.debtor.name, link, agenda.items(a, titles)
