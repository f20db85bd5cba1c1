"""The home page: start a dossier, find the ones of this browser, resume or import one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for

from ..documents.uploads import sniff
from ..domain.errors import ClaimError
from ..store import accounts, dossiers
from . import agenda, db, journal
from . import forms as f
from .common import STEPS, current_account, dossier_or_404, remember, remembered
from .followup import due_this_week

bp = Blueprint("home", __name__)
HOME_LIST = 20  # the latest dossiers on the home page; "Mon compte" lists them all


def _start_form() -> f.OwnerForm:
    """Whose the new dossier is: the signed-in person's, or one of their teams' (none when anonymous)."""
    form = f.OwnerForm()
    account = current_account()
    if account is not None:
        teams = [(f"equipe-{m.organisation_id}", f"L'équipe « {m.organisation.name} »") for m in account.memberships]
        form.owner.choices = f.options([("moi", "Moi seul"), *teams])
    return form


def _home(status: int = 200, **context):
    account = current_account()
    mine = accounts.dossiers_of(db.session(), account, limit=HOME_LIST + 1) if account else []
    loose = [d for d in remembered() if d.owner_id is None and d.organisation_id is None]
    everything = (accounts.dossiers_of(db.session(), account) if account else []) + loose
    today = date.today()
    return render_template(
        "home.html",
        dossiers=loose,
        mine=mine[:HOME_LIST],
        more=len(mine) > HOME_LIST,
        start_form=_start_form(),
        import_form=context.pop("import_form", None) or f.ImportForm(),
        steps=STEPS,
        due=due_this_week(everything, today),
        today=today,
        when=agenda.when,
        **context,
    ), status


@bp.route("/")
def index():
    return _home()


def _owner(form: f.OwnerForm) -> dict:
    """dossiers.create's owner arguments for what the start form says."""
    account = current_account()
    if account is None:
        return {}
    value = form.owner.data if form.validate_on_submit() else "moi"
    team = int(value.removeprefix("equipe-")) if value.startswith("equipe-") else None
    if team is not None and accounts.role_in(account, team) is None:
        team = None
    return {"owner_id": account.id, "organisation_id": team}


@bp.route("/nouveau", methods=["POST"])
def new():
    dossier = dossiers.create(db.session(), **_owner(_start_form()))
    journal.record(dossier.id, "créé")
    db.session().commit()
    remember(dossier)
    return redirect(url_for("wizard.step", token=dossier.token, slug=STEPS[0].slug))


@bp.route("/reprendre/<token>")
def resume(token):
    dossier = dossier_or_404(token)
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))


@bp.route("/importer", methods=["POST"])
def import_archive():
    form = f.ImportForm()
    upload = form.archive.data if form.validate_on_submit() else None
    data = upload.read(dossiers.MAX_IMPORT_BYTES + 1) if upload else b""
    try:
        if not data:
            raise ClaimError([("(fichier)", "choisissez l'archive ZIP à importer")])
        claim, files = dossiers.read_zip(data)
        wrong = [name for name, content in files.items() if sniff(content) is None]
        if wrong:
            raise ClaimError([(wrong[0], "ce fichier n'est ni un PDF, ni une image JPEG ou PNG")])
    except ClaimError as error:
        return _home(400, import_form=form, import_errors=error.problems)
    session = db.session()
    account = current_account()
    dossier = dossiers.create(session, claim, owner_id=account.id if account else None)
    for path, content in files.items():
        kind = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}[sniff(content)]
        dossiers.put_file(session, dossier, path, path.rsplit("/", 1)[-1], kind, content)
    journal.record(dossier.id, "importé", f"{len(files)} pièce(s)")
    session.commit()
    remember(dossier)
    flash("Dossier importé.")
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
