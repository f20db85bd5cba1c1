"""The "Tableau de bord": an account's or a team's receivables at a glance, and the client list as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import login_required

from ..domain.checks import euros
from ..domain.portfolio import AGING_LABELS, RISK_LABELS, Portfolio, summarise
from ..domain.risk import Thresholds
from ..store import accounts, portfolios
from ..store.models import Organisation
from ..store.portfolios import Scope
from . import charts, db
from .common import current_account, library

bp = Blueprint("dashboard", __name__, url_prefix="/tableau-de-bord")
AT_RISK_SHOWN = 10  # the largest overdue first; the others are in the table of all clients


def scope_of(organisation_id: int | None) -> tuple[Scope, str]:
    """The signed-in account's own scope, or a team it belongs to (404 for anyone else's)."""
    account = current_account()
    if organisation_id is None:
        return Scope(owner_id=account.id), "Mes dossiers"
    if accounts.role_in(account, organisation_id) is None:
        abort(404)
    organisation = db.session().get(Organisation, organisation_id)
    return Scope(organisation_id=organisation_id), f"Équipe « {organisation.name} »"


def _as_of() -> date:
    """The date of the figures: today, or the one asked for (``?au=2026-11-23``)."""
    try:
        return date.fromisoformat(request.args.get("au", ""))
    except ValueError:
        return date.today()


def portfolio(scope: Scope, as_of: date) -> tuple[Portfolio, portfolios.Holdings]:
    """The scope's portfolio on ``as_of``, and what the page needs besides."""
    held = portfolios.clients(db.session(), scope, library(), as_of)
    return summarise(held.clients, as_of, Thresholds.on(library().parameters, as_of)), held


@bp.route("/", defaults={"organisation_id": None})
@bp.route("/equipe/<int:organisation_id>")
@login_required
def show(organisation_id):
    """The dashboard page of the signed-in account, or of one of its teams."""
    scope, label = scope_of(organisation_id)
    as_of = _as_of()
    result, held = portfolio(scope, as_of)
    latest = portfolios.latest_import(db.session(), scope)
    empty = not result.clients
    return render_template(
        "dashboard/show.html",
        p=result,
        label=label,
        organisation_id=organisation_id,
        incomplete=held.incomplete,
        tokens=held.tokens,
        latest=latest,
        teams=current_account().memberships,
        aging_labels=AGING_LABELS,
        risk_labels=RISK_LABELS,
        aging_chart=None if empty else charts.aging(result),
        trend_chart=None if empty else charts.lateness_trend(result),
        chart_size=(charts.WIDTH, charts.HEIGHT),
        month_label=charts.month_label,
        share=charts.share,
        money=euros,  # the engine's own formatting: Babel's, a thousand times a page, cost more than the rest
        at_risk=[c for c in result.clients if c.risk.level != "low"],
        shown_at_risk=AT_RISK_SHOWN,
    )


CSV_HEADER = (
    "Client",
    "Compte",
    "Encours (€)",
    "Échu (€)",
    "Factures ouvertes",
    "Plus ancienne échéance",
    "Retard moyen pondéré (jours)",
    "Factures payées",
    "Risque",
    "Raisons",
)


@bp.route("/clients.csv", defaults={"organisation_id": None})
@bp.route("/equipe/<int:organisation_id>/clients.csv")
@login_required
def clients_csv(organisation_id):
    """The client list for a spreadsheet: `;`-separated, decimal comma, UTF-8 with BOM (Excel reads it)."""
    scope, _ = scope_of(organisation_id)
    as_of = _as_of()
    result, _ = portfolio(scope, as_of)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in result.clients:
        writer.writerow(
            [
                _cell(c.client.name),
                _cell(c.client.account or ""),
                _comma(c.outstanding),
                _comma(c.overdue),
                c.open_invoices,
                c.oldest_due.strftime("%d/%m/%Y") if c.oldest_due else "",
                "" if c.average_days_late is None else _comma(c.average_days_late),
                c.paid_invoices,
                RISK_LABELS[c.risk.level],
                _cell(" ; ".join(c.risk.reasons)),
            ]
        )
    name = f"clients-{as_of.isoformat()}.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _comma(value) -> str:
    """A number as a French spreadsheet reads it (decimal comma)."""
    return f"{value:.2f}".replace(".", ",") if not isinstance(value, float) else f"{value:.1f}".replace(".", ",")


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (names come from imported files)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
