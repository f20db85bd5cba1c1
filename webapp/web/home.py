"""The home page: start a dossier, find the ones of this browser, resume or import one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from ..documents.uploads import UnusableFile, check_upload
from ..domain.einvoice import is_einvoice_xml
from ..domain.errors import ClaimError
from ..store import accounts, archives, dossiers
from . import agenda, db, journal
from . import forms as f
from .common import STEPS, current_account, dossier_or_404, remember, remembered
from .followup import due_this_week
from .profile import starting_claim
from .upload_stream import too_large

bp = Blueprint("home", __name__)
XML_TYPE = "application/xml"  # an e-invoice kept as its XML (see einvoices.py)
HOME_LIST = 20  # the latest dossiers on the home page; "Mon compte" lists them all


def _start_form() -> f.OwnerForm:
    """Whose the new dossier is: a member of a team must choose (no default puts a team's case aside)."""
    form = f.OwnerForm()
    account = current_account()
    if account is not None:
        teams = [(f"equipe-{m.organisation_id}", f"L'équipe « {m.organisation.name} »") for m in account.memberships]
        choose = [("", "Choisissez…")] if teams else []
        form.owner.choices = f.options([*choose, ("moi", "Moi seul"), *teams])
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
        start_form=context.pop("start_form", None) or _start_form(),
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


def _owner(form: f.OwnerForm) -> dict | None:
    """dossiers.create's owner arguments for what the start form says; None when a choice is missing."""
    account = current_account()
    if account is None:
        return {}
    if not account.memberships:
        return {"owner_id": account.id, "organisation_id": None}
    if not form.validate_on_submit():
        return None
    value = form.owner.data
    team = int(value.removeprefix("equipe-")) if value.startswith("equipe-") else None
    if team is not None and accounts.role_in(account, team) is None:
        return None
    return {"owner_id": account.id, "organisation_id": team}


@bp.route("/nouveau", methods=["POST"])
def new():
    form = _start_form()
    owner = _owner(form)
    if owner is None:
        form.owner.errors = ["Choisissez pour qui est ce dossier : vous seul, ou l'une de vos équipes."]
        return _home(400, start_form=form)
    creator = None if owner else journal.browser()
    dossier = dossiers.create(db.session(), starting_claim(**owner) if owner else None, **owner, creator=creator)
    journal.record(dossier.id, "créé")
    db.session().commit()
    remember(dossier)
    return redirect(url_for("wizard.step", token=dossier.token, slug=STEPS[0].slug))


@bp.route("/reprendre/<token>")
def resume(token):
    dossier = dossier_or_404(token)
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))


def _import_limits() -> archives.Limits:
    config = current_app.config
    return archives.Limits(
        archive_bytes=config["MAX_CONTENT_LENGTH"] or archives.DEFAULT_LIMITS.archive_bytes,
        total_bytes=config["DOSSIER_MAX_BYTES"],
        member_bytes=config["UPLOAD_MAX_BYTES"],
        members=config["IMPORT_MAX_MEMBERS"],
    )


def _checked_files(files: dict[str, bytes]) -> dict[str, str]:
    """Every imported file through the upload's own gate; its content type, or ClaimError naming it."""
    config, types = current_app.config, {}
    for path, content in files.items():
        if is_einvoice_xml(content):  # a CII or UBL e-invoice exported with its dossier
            types[path] = XML_TYPE
            continue
        try:
            types[path] = check_upload(
                content, max_bytes=config["UPLOAD_MAX_BYTES"], max_pages=config["UPLOAD_MAX_PAGES"]
            )
        except UnusableFile as problem:
            raise ClaimError([(path, f"ce fichier {problem}")]) from None
    return types


@bp.route("/importer", methods=["POST"])
def import_archive():
    """A dossier from a ZIP export: every check passes, or nothing is stored and the member is named."""
    form = f.ImportForm()
    upload = form.archive.data if form.validate_on_submit() else None
    limits = _import_limits()
    data = upload.read(limits.archive_bytes + 1) if upload else b""
    try:
        if too_large(upload):
            raise ClaimError([("(fichier)", f"l'archive dépasse {limits.archive_bytes // (1024 * 1024)} Mo")])
        if not data:
            raise ClaimError([("(fichier)", "choisissez l'archive ZIP à importer")])
        claim, files = archives.read_export(data, limits)
        types = _checked_files(files)
    except ClaimError as error:
        return _home(400, import_form=form, import_errors=error.problems)
    session = db.session()
    account = current_account()
    dossier = dossiers.create(
        session, claim, owner_id=account.id if account else None, creator=None if account else journal.browser()
    )
    for path, content in files.items():
        dossiers.put_file(session, dossier, path, path.rsplit("/", 1)[-1], types[path], content)
    journal.record(dossier.id, "importé", f"{len(files)} pièce(s)")
    session.commit()
    remember(dossier)
    flash("Dossier importé.")
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
