"""Who holds a dossier: claiming it into an account or a team, a supervisor's check, closing it."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, url_for

from ..store import accounts
from ..store.models import Dossier
from . import db, journal
from . import forms as f
from .common import current_account, dossier_or_404, forget, problems_by_step

bp = Blueprint("ownership", __name__, url_prefix="/dossier/<token>")


def created_here(dossier: Dossier) -> bool:
    """Whether this browser started this anonymous dossier (holding its link is not enough to take it)."""
    return dossier.creator is not None and hmac.compare_digest(dossier.creator, journal.browser())


def owner_choices(account, dossier: Dossier) -> list[tuple[str, str]]:
    """Where this account may put this dossier: its own space, or one of its teams.

    An anonymous dossier may be taken only from the browser that started it: anyone else
    holding the link (a shared or leaked link) could otherwise lock its author out.
    """
    if account is None:
        return []
    if dossier.owner_id is None and dossier.organisation_id is None and not created_here(dossier):
        return []
    choices = [("moi", "Mon compte (moi seul)")]
    choices += [(f"equipe-{m.organisation_id}", f"L'équipe « {m.organisation.name} »") for m in account.memberships]
    return [(value, label) for value, label in choices if accounts.can_take(account, dossier, _team(value))]


def _team(value: str) -> int | None:
    return int(value.removeprefix("equipe-")) if value.startswith("equipe-") else None


def owner_form(account, dossier: Dossier) -> f.OwnerForm:
    form = f.OwnerForm()
    form.owner.choices = f.options(owner_choices(account, dossier))
    return form


def panel(dossier: Dossier) -> dict:
    """What the "À qui est ce dossier" panel needs (review and documents pages)."""
    account = current_account()
    return {
        "owner_form": owner_form(account, dossier) if account else None,
        "can_verify": accounts.can_verify(account, dossier),
        "empty": f.EmptyForm(),
    }


def _back(dossier: Dossier, slug: str = "recapitulatif"):
    return redirect(url_for("wizard.step", token=dossier.token, slug=slug))


@bp.route("/rattacher", methods=["POST"])
def take(token):
    """Put an anonymous dossier (or one's own) into one's account or one of one's teams."""
    dossier = dossier_or_404(token)  # first: a dossier one may not open is a 404, signed in or not
    account = current_account()
    if account is None:
        return redirect(url_for("accounts.login", suivant=url_for("wizard.step", token=token, slug="recapitulatif")))
    if not accounts.is_verified(account):
        flash("Confirmez d'abord votre adresse e-mail (lien reçu par courriel) pour rattacher un dossier.", "conflict")
        return _back(dossier)
    form = owner_form(account, dossier)
    if not form.validate_on_submit():
        flash(
            "Ce dossier ne peut pas être rattaché ainsi. Un dossier sans compte ne se rattache que depuis le "
            "navigateur où il a été commencé.",
            "conflict",
        )
        return _back(dossier)
    where = dict(owner_choices(account, dossier))[form.owner.data]
    dossier.owner_id = account.id
    dossier.organisation_id = _team(form.owner.data)
    journal.record(dossier.id, "rattaché", where)
    db.session().commit()
    forget(dossier.id)
    flash(f"Dossier rattaché : {where}. Le lien seul ne suffit plus pour l'ouvrir.")
    return _back(dossier)


@bp.route("/verifier", methods=["POST"])
def verify(token):
    """A supervisor marks the current version "vérifié": its documents may go out."""
    dossier = dossier_or_404(token)
    account = current_account()
    if not accounts.can_verify(account, dossier):
        abort(404)
    if problems_by_step(dossier):
        flash("Ce dossier est incomplet : il ne peut pas encore être vérifié.", "conflict")
        return _back(dossier)
    dossier.verified_version = dossier.version
    dossier.verified_by = account.name
    dossier.verified_at = datetime.now(UTC)
    journal.record(dossier.id, "vérifié", f"version {dossier.version}")
    db.session().commit()
    flash("Dossier vérifié : ses documents peuvent être envoyés.")
    return redirect(url_for("results.documents", token=dossier.token))


@bp.route("/clore", methods=["POST"])
def close(token):
    """Close the dossier (it will be deleted after the retention period), or reopen it."""
    dossier = dossier_or_404(token)
    if dossier.organisation_id is not None and not accounts.can_verify(current_account(), dossier):
        flash("Seul un superviseur de l'équipe peut clore ou rouvrir un dossier de l'équipe.", "conflict")
        return _back(dossier)
    reopening = dossier.closed_at is not None
    dossier.closed_at = None if reopening else datetime.now(UTC)
    journal.record(dossier.id, "rouvert" if reopening else "clos")
    db.session().commit()
    flash("Dossier rouvert." if reopening else "Dossier clos. Il sera supprimé à la fin du délai de conservation.")
    return _back(dossier)
