"""The creditor profile of an account or a team: who is owed, typed once, pre-filling every new dossier."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..store import accounts, portfolios
from ..store.portfolios import Scope
from . import claim_forms, db
from . import forms as f
from .common import current_account
from .dashboard import scope_of

bp = Blueprint("profile", __name__)


@bp.route("/compte/creancier", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/equipe/<int:organisation_id>/creancier", methods=["GET", "POST"])
@login_required
def edit(organisation_id):
    """See and change the creditor profile (of a team: its supervisors only)."""
    scope, label = scope_of(organisation_id)
    back = url_for("dashboard.show", organisation_id=organisation_id) if organisation_id else url_for("dashboard.show")
    if organisation_id is not None and accounts.role_in(current_account(), organisation_id) != accounts.SUPERVISOR:
        flash("Seul un superviseur de l'équipe peut modifier ses coordonnées de créancier.", "conflict")
        return redirect(back)
    form = f.CreditorForm()
    if request.method == "GET":
        claim_forms.fill(form, portfolios.profile(db.session(), scope))
    if form.validate_on_submit():
        portfolios.save_profile(db.session(), scope, claim_forms.creditor(form))
        db.session().commit()
        flash("Coordonnées enregistrées : elles rempliront la première étape de chaque nouveau dossier.")
        return redirect(back)
    return render_template("profile/edit.html", form=form, label=label), 400 if form.errors else 200


def starting_claim(owner_id: int | None, organisation_id: int | None) -> dict[str, Any]:
    """A new dossier's claim: the creditor of its team's (or its owner's) profile, if there is one."""
    if owner_id is None and organisation_id is None:
        return {}
    scope = Scope(organisation_id=organisation_id) if organisation_id else Scope(owner_id=owner_id)
    creditor = portfolios.profile(db.session(), scope)
    return {"creditor": creditor} if creditor else {}
