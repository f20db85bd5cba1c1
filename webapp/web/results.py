"""The assessment page and the documents: preview, download, the dossier, a ZIP of all."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from datetime import date

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, send_file, url_for

from .. import config
from ..documents.context import Options
from ..documents.dossier import build_dossier
from ..documents.exhibits import ExhibitError
from ..documents.pdf import DocumentRenderError
from ..documents.render import DocumentUnavailable, availability, relance_email, render_pdf
from ..domain import bounds
from ..domain.errors import ClaimError, ParameterError
from ..store import accounts
from ..store.dossiers import EXTENSIONS, export_zip, get_file
from . import db, journal, ownership
from .common import STEPS, assessment, dossier_or_404, library
from .fields import parse_french_date
from .forms import PieceFileForm

bp = Blueprint("results", __name__, url_prefix="/dossier/<token>")


def _as_of() -> date:
    """The date of the assessment: today, or the date the user chose (?le=23/11/2026, 1900 to 2100)."""
    text = request.args.get("le", "")[:40]
    try:
        return parse_french_date(text) if text else date.today()
    except ValueError as error:
        flash(f"Date d'analyse ignorée : {error} L'analyse est faite à la date du jour.", "conflict")
        return date.today()


def assessed(view):
    """Give the view the dossier and its assessment; an incomplete dossier goes to the review."""

    @functools.wraps(view)
    def wrapper(token, **kwargs):
        dossier = dossier_or_404(token)
        try:
            a = assessment(dossier, _as_of())
        except (ClaimError, ParameterError):
            return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))
        return view(dossier, a, **kwargs)

    return wrapper


@bp.route("/analyse")
@assessed
def analysis(dossier, a):
    glossary = {t.term.lower(): t for t in library().glossary}
    return render_template(
        "analysis.html", dossier=dossier, a=a, steps=STEPS, current="analyse", glossary=glossary, as_of=a.as_of
    )


@bp.route("/documents")
@assessed
def documents(dossier, a):
    return documents_page(dossier, a)


def documents_page(dossier, a, upload_errors: dict[str, str] | None = None) -> str:
    """The Documents page; ``upload_errors``: a message next to the upload of a missing piece."""
    from .checklist import to_do

    docs = [(doc, *availability(a, doc.id)) for doc in library().documents.values()]
    email = (
        relance_email(a, library(), config.templates_dir(), _options(dossier))
        if availability(a, "relance")[0]
        else None
    )
    refused = [reasons for _, ok, reasons in docs if not ok]
    return render_template(
        "documents.html",
        dossier=dossier,
        a=a,
        docs=docs,
        shared=_shared_reasons(refused),
        email=email,
        steps=STEPS,
        current="documents",
        dossier_ok=availability(a, "requete-injonction-de-payer")[0],
        deadline=_deadline(),
        piece_form=PieceFileForm(),
        upload_errors=upload_errors or {},
        **to_do(a),
        **ownership.panel(dossier),
    )


def _shared_reasons(refusals: list[list[str]]) -> list[str]:
    """The reasons several unavailable documents share, said once above them rather than under each."""
    seen = [r for reasons in refusals for r in dict.fromkeys(reasons)]
    return [r for r in dict.fromkeys(seen) if seen.count(r) > 1]


def _options(dossier) -> Options:
    """The user's choices, and a "projet" mark on every page while a team's dossier awaits its check."""
    return Options(payment_deadline_days=_deadline(), draft=accounts.needs_verification(dossier))


def _deadline() -> int:
    """The payment deadline the letters give (?delai=8): 1 to 90 days; anything else is said and ignored."""
    text = request.args.get("delai", "8").strip()
    if text.isdigit() and len(text) <= 3 and bounds.deadline_in_range(int(text)):
        return int(text)
    if not getattr(g, "deadline_told", False):
        g.deadline_told = True
        flash(f"Délai ignoré : {bounds.DEADLINE_MESSAGE} ; le délai de 8 jours est appliqué.", "conflict")
    return 8


def _record(dossier, action: str, detail: str) -> None:
    journal.record(dossier.id, action, detail)
    db.session().commit()


def _pdf_response(pdf: bytes, name: str) -> Response:
    disposition = "attachment" if request.args.get("telecharger") else "inline"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'{disposition}; filename="{name}"'}
    )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "dossier"


@bp.route("/documents/<doc_id>.pdf")
@assessed
def document_pdf(dossier, a, doc_id):
    if doc_id not in library().documents:
        abort(404)
    try:
        pdf = render_pdf(
            doc_id,
            a,
            library(),
            templates_dir=config.templates_dir(),
            static_dir=config.static_dir(),
            options=_options(dossier),
        )
    except DocumentUnavailable as error:
        return render_template("error.html", title="Document indisponible", message=str(error)), 409
    _record(dossier, "téléchargé" if request.args.get("telecharger") else "consulté", doc_id)
    return _pdf_response(pdf, f"{doc_id}-{_slug(a.claim.debtor.name)}.pdf")


def _dossier_pdf(dossier, a) -> bytes:
    files = {f.path: f.data for f in dossier.files}
    return build_dossier(
        a,
        library(),
        templates_dir=config.templates_dir(),
        static_dir=config.static_dir(),
        files=files,
        options=_options(dossier),
    )


@bp.route("/dossier-injonction.pdf")
@assessed
def dossier_pdf(dossier, a):
    try:
        pdf = _dossier_pdf(dossier, a)
    except (DocumentUnavailable, ExhibitError, DocumentRenderError) as error:
        return render_template("error.html", title="Dossier impossible à produire", message=str(error)), 409
    _record(dossier, "téléchargé" if request.args.get("telecharger") else "consulté", "dossier d'injonction de payer")
    return _pdf_response(pdf, f"dossier-injonction-de-payer-{_slug(a.claim.debtor.name)}.pdf")


@bp.route("/documents.zip")
@assessed
def all_documents(dossier, a):
    """Every document this claim may have, and the dossier when it is possible, in one ZIP."""
    buffer = io.BytesIO()
    options = _options(dossier)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc_id in library().documents:
            if availability(a, doc_id)[0]:
                pdf = render_pdf(
                    doc_id,
                    a,
                    library(),
                    templates_dir=config.templates_dir(),
                    static_dir=config.static_dir(),
                    options=options,
                )
                archive.writestr(f"{doc_id}.pdf", pdf)
        if availability(a, "requete-injonction-de-payer")[0]:
            try:
                archive.writestr("dossier-injonction-de-payer.pdf", _dossier_pdf(dossier, a))
            except (ExhibitError, DocumentRenderError) as error:
                archive.writestr(
                    "LISEZ-MOI.txt", f"Le dossier d'injonction de payer n'a pas pu être produit : {error}\n"
                )
        if availability(a, "relance")[0]:
            subject, body = relance_email(a, library(), config.templates_dir(), options)
            archive.writestr("relance-courriel.txt", f"Objet : {subject}\n\n{body}")
    _record(dossier, "téléchargé", "archive de tous les documents")
    name = f"documents-{_slug(a.claim.debtor.name)}.zip"
    return Response(
        buffer.getvalue(), mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/export.zip")
def export(token):
    dossier = dossier_or_404(token)
    _record(dossier, "exporté", "fichier de créance et pièces")
    return Response(
        export_zip(dossier),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="dossier-dument.zip"'},
    )


@bp.route("/fichiers/<path:path>")
def evidence_file(token, path):
    """A stored file, downloaded under the name the user gave it (its extension made true to its content)."""
    dossier = dossier_or_404(token)
    record = get_file(dossier, path)
    if record is None:
        abort(404)
    _record(dossier, "pièce téléchargée", path)
    extension = EXTENSIONS[record.content_type]
    name = record.filename if record.filename.lower().endswith(extension) else record.filename + extension
    response = send_file(io.BytesIO(record.data), mimetype=record.content_type, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
