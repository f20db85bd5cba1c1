"""The home page: start a dossier, find the ones of this browser, resume or import one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from .. import audit, db, store
from ..documents.uploads import sniff
from ..domain.errors import ClaimError
from . import forms as f
from .common import STEPS, dossier_or_404, remember, remembered

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    return render_template(
        "home.html", dossiers=remembered(), start_form=f.EmptyForm(), import_form=f.ImportForm(), steps=STEPS
    )


@bp.route("/nouveau", methods=["POST"])
def new():
    f.EmptyForm().validate_on_submit()
    dossier = store.create(db.session())
    audit.record(db.session(), dossier.id, "créé")
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
    data = upload.read(store.MAX_IMPORT_BYTES + 1) if upload else b""
    try:
        if not data:
            raise ClaimError([("(fichier)", "choisissez l'archive ZIP à importer")])
        claim, files = store.read_zip(data)
        wrong = [name for name, content in files.items() if sniff(content) is None]
        if wrong:
            raise ClaimError([(wrong[0], "ce fichier n'est ni un PDF, ni une image JPEG ou PNG")])
    except ClaimError as error:
        return render_template(
            "home.html",
            dossiers=remembered(),
            start_form=f.EmptyForm(),
            import_form=form,
            steps=STEPS,
            import_errors=error.problems,
        ), 400
    session = db.session()
    dossier = store.create(session, claim)
    for path, content in files.items():
        kind = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}[sniff(content)]
        store.put_file(session, dossier, path, path.rsplit("/", 1)[-1], kind, content)
    audit.record(session, dossier.id, "importé", f"{len(files)} pièce(s)")
    session.commit()
    remember(dossier)
    flash("Dossier importé.")
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
