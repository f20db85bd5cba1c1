"""The creditor profile of an account or a team: who is owed, typed once, pre-filling every new dossier."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..store import accounts, portfolios
from ..store.portfolios import Scope
from . import db
from . import forms as f
from .common import current_account
from .dashboard import scope_of

bp = Blueprint("profile", __name__)

FIELDS = ("name", "kind", "legal_form", "siren", "email", "phone", "signatory", "iban")
PERSON = ("birth_place", "nationality", "profession")
ADDRESS = ("line1", "line2", "postcode", "city", "country")


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
        _fill(form, portfolios.profile(db.session(), scope))
    if form.validate_on_submit():
        portfolios.save_profile(db.session(), scope, _data(form))
        db.session().commit()
        flash("Coordonnées enregistrées : elles rempliront la première étape de chaque nouveau dossier.")
        return redirect(back)
    return render_template("profile/edit.html", form=form, label=label), 400 if form.errors else 200


def _fill(form: f.CreditorForm, data: dict[str, Any]) -> None:
    """Show the saved profile in the form."""
    for key in (*FIELDS, *PERSON):
        if key in data:
            getattr(form, key).data = data[key]
    form.birth_date.set_iso(data.get("birth_date"))
    for key in ADDRESS:
        if key in (data.get("address") or {}):
            getattr(form, key).data = data["address"][key]


def _data(form: f.CreditorForm) -> dict[str, Any]:
    """The claim file's ``creditor`` from the form, empty answers left out (as the wizard does)."""
    values = {key: getattr(form, key).data for key in (*FIELDS, *PERSON)}
    values["name"] = values["name"].strip()
    values["birth_date"] = form.birth_date.data_iso
    address = {key: (getattr(form, key).data or "").strip() for key in ADDRESS}
    address["country"] = address["country"].upper()
    values["address"] = {k: v for k, v in address.items() if v}
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def starting_claim(owner_id: int | None, organisation_id: int | None) -> dict[str, Any]:
    """A new dossier's claim: the creditor of its team's (or its owner's) profile, if there is one."""
    if owner_id is None and organisation_id is None:
        return {}
    scope = Scope(organisation_id=organisation_id) if organisation_id else Scope(owner_id=owner_id)
    creditor = portfolios.profile(db.session(), scope)
    return {"creditor": creditor} if creditor else {}
