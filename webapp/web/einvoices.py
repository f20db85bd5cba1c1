"""E-invoices in the web app: start a dossier from them, or add them to a dossier's invoices.

Uploads are untrusted: each file is bounded in size, typed by its content (a Factur-X
PDF must also pass the exhibit checks), and a refusal stores nothing. Starting a dossier
shows what was read for review before anything is saved; the files ride along in the
review form (base64) and are checked again on confirmation, so no server keeps a draft.
"""

from __future__ import annotations

import binascii
import re
from base64 import b64decode, b64encode
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import MultipleFileField

from ..documents.uploads import UnusableFile, open_upload, sniff
from ..domain.assessment import Assessment, assess
from ..domain.claim_file import claim_from_data
from ..domain.einvoice import EInvoice, EInvoiceError, read_einvoice, size_words
from ..domain.einvoice_claim import ASSUMED_REASON, Imported, PartiesError, grouped, import_claim, merge_into
from ..domain.errors import ClaimError, ParameterError
from ..domain.parties import KIND_LABELS
from ..store import dossiers
from ..store.models import Dossier
from . import db, home, journal, wizard
from . import forms as f
from .common import current_account, dossier_or_404, library, remember
from .field_labels import claim_label

bp = Blueprint("einvoices", __name__)
MAX_FILES = 30
MAX_TOTAL_BYTES = 15 * 1024 * 1024  # the review form carries them back in base64, within one request
XML_TYPE = "application/xml"


class EInvoicesForm(FlaskForm):
    factures = MultipleFileField(
        "Vos factures électroniques", render_kw={"accept": ".pdf,.xml,application/pdf,application/xml,text/xml"}
    )


@bp.app_template_global()
def einvoices_form() -> EInvoicesForm:
    """A fresh upload form for the pages that include the e-invoice box."""
    return EInvoicesForm()


@bp.url_value_preprocessor
def _room_for_the_review_form(endpoint, values) -> None:
    """The confirmation carries the files in form fields: allow them (runs before the CSRF check)."""
    if endpoint == "einvoices.create":
        request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]


@bp.route("/factures-electroniques", methods=["POST"])
def start():
    """Read the files and show what the new dossier would hold; nothing is saved yet."""
    form = EInvoicesForm()
    try:
        files = _uploads(form)
        imported, _ = _read(files)
    except Refused as refused:
        form.factures.errors = [str(refused)]
        return home._home(400, einvoice_form=form)
    carried = [{"name": name, "data": b64encode(data).decode("ascii")} for name, data in files]
    return render_template(
        "einvoices/review.html",
        imported=imported,
        claim=imported.data,
        carried=carried,
        a=_assessed(imported.data, date.today()),
        assumed=_assumed_lines(imported.assumed),
    )


def _assumed_lines(assumed: dict[str, str]) -> list[str]:
    """What was deduced rather than read, in the person's words (« Vous : type (société) … »)."""
    return [
        " ; ".join(f"{claim_label(p)} ({KIND_LABELS[value]})" for p in paths) + f" — {ASSUMED_REASON}"
        for value, paths in grouped(assumed).items()
    ]


def _assessed(claim: dict[str, Any], today: date) -> Assessment | None:
    """The engine's assessment of the previewed claim (prescription, what blocks it), or None while incomplete."""
    try:
        return assess(claim_from_data(claim), library(), today)
    except (ClaimError, ParameterError):
        return None  # the review lists what is missing; the analysis comes once it is completed


@bp.route("/factures-electroniques/creer", methods=["POST"])
def create():
    """Check the reviewed files again, then save them as a new dossier."""
    try:
        files = _carried()
        imported, _ = _read(files)
    except Refused as refused:
        form = EInvoicesForm()
        form.factures.errors = [str(refused)]
        return home._home(400, einvoice_form=form)
    session = db.session()
    account = current_account()
    dossier = dossiers.create(session, owner_id=account.id if account else None)
    paths = _paths(dossier, imported.data, files)
    dossier.claim = _with_paths(imported.data, paths)
    journal.record(dossier.id, "créé", f"à partir de {len(files)} facture(s) électronique(s)")
    _put(dossier, files, paths)
    session.commit()  # the dossier, its files and its journal together
    remember(dossier)
    flash(f"Dossier créé à partir de {len(files)} facture(s) électronique(s) : complétez ce qui manque.")
    return redirect(url_for("wizard.step", token=dossier.token, slug="recapitulatif"))


@bp.route("/dossier/<token>/factures/importer", methods=["POST"])
def add(token):
    """Add e-invoices to this dossier (its creditor and client must be theirs)."""
    dossier = dossier_or_404(token)
    form = EInvoicesForm()
    try:
        files = _uploads(form)
        imported, _ = _read(files)
        merged, notes = _merged(dossier, imported, files)
    except Refused as refused:
        form.factures.errors = [str(refused)]
        return _invoices_page(dossier, form), 400
    filled = {p: v for p, v in imported.assumed.items() if not dossier.claim.get(p.split(".")[0])}  # from the files
    claim = _store(dossier, merged, files)
    wizard._save(dossier, claim, f"factures : {len(files)} facture(s) électronique(s) importée(s)")
    mentions = [m for x in imported.mentions for m in x.messages]
    for message in [*notes, *_assumed_lines(filled), *imported.notes, *mentions]:
        flash(message)
    flash(f"{len(files)} fichier(s) importé(s).")
    return redirect(url_for("wizard.step", token=dossier.token, slug="factures"))


class Refused(ValueError):
    """Files that cannot be used; the French message goes next to the field, nothing is stored."""


_NO_FILE = "Choisissez une ou plusieurs factures électroniques (PDF Factur-X, XML CII ou UBL)."


def _uploads(form: EInvoicesForm) -> list[tuple[str, bytes]]:
    """The uploaded files as (name, bytes), bounded in number and size."""
    uploads = [u for u in (form.factures.data or []) if u and getattr(u, "filename", "")]
    if not form.validate_on_submit() or not uploads:
        raise Refused(_NO_FILE)
    if len(uploads) > MAX_FILES:
        raise Refused(f"Importez au plus {MAX_FILES} fichiers à la fois.")
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    files = [(_name(u.filename), u.read(limit + 1)) for u in uploads]  # never more than the bound + 1
    return _bounded(_distinct(files))


def _carried() -> list[tuple[str, bytes]]:
    """The files the review form sent back, decoded; they are checked again like uploads."""
    names, blobs = request.form.getlist("nom"), request.form.getlist("contenu")
    if not names or len(names) != len(blobs) or len(names) > MAX_FILES:
        raise Refused(_NO_FILE)
    try:
        files = [(_name(n), b64decode(b, validate=True)) for n, b in zip(names, blobs, strict=True)]
    except (binascii.Error, ValueError):
        raise Refused("Les fichiers n'ont pas été transmis correctement : importez-les à nouveau.") from None
    return _bounded(_distinct(files))


def _bounded(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The files, when none is empty or too big and all together fit in the review form."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    for name, data in files:
        if not data:
            raise Refused(f"{name} : le fichier est vide.")
        if len(data) > limit:
            raise Refused(f"{name} : le fichier dépasse {size_words(limit)}.")
    if sum(len(d) for _, d in files) > MAX_TOTAL_BYTES:
        raise Refused(
            f"Ces fichiers dépassent {size_words(MAX_TOTAL_BYTES)} à eux tous : importez-les en plusieurs fois."
        )
    return files


def _read(files: list[tuple[str, bytes]]) -> tuple[Imported, list[EInvoice]]:
    """Read every file and build the claim; Refused names the file otherwise."""
    try:
        einvoices = [read_einvoice(data, name) for name, data in files]
        for name, data in files:
            if _is_pdf(data):
                _check_exhibit(name, data)
        return import_claim(einvoices, library().parameters), einvoices
    except (EInvoiceError, PartiesError) as error:
        raise Refused(str(error)) from None


def _merged(dossier: Dossier, imported: Imported, files) -> tuple[dict[str, Any], list[str]]:
    """The dossier's claim with the imported documents added, if they fit in the dossier."""
    used, limit = sum(x.size for x in dossier.files), current_app.config["DOSSIER_MAX_BYTES"]
    if used + sum(len(d) for _, d in files) > limit:
        raise Refused(f"Ce dossier a atteint la taille maximale de ses pièces ({size_words(limit)}).")
    try:
        return merge_into(dossier.claim, imported)
    except PartiesError as error:
        raise Refused(str(error)) from None


def _check_exhibit(name: str, data: bytes) -> None:
    """A Factur-X PDF becomes the invoice's exhibit: it must pass the upload checks."""
    try:
        open_upload(data, max_pages=current_app.config["UPLOAD_MAX_PAGES"]).close()
    except UnusableFile as problem:
        raise EInvoiceError(name, f"ce fichier {problem}") from problem


def _store(dossier: Dossier, claim: dict[str, Any], files) -> dict[str, Any]:
    """Store each source file as its invoice's (or credit note's) exhibit; the claim names it."""
    paths = _paths(dossier, claim, files)
    _put(dossier, files, paths)
    return _with_paths(claim, paths)


def _paths(dossier: Dossier, claim: dict[str, Any], files) -> dict[str, str]:
    """Where each file the claim names will be stored: a new id each (the user's name kept apart)."""
    wanted = {x.get("file") for key in ("invoices", "credit_notes") for x in claim.get(key, [])}
    return {
        name: dossiers.file_path(dossier, "invoice", _content_type(data))
        for name, data in files
        if name in wanted  # a document skipped: already in the dossier, or given twice
    }


def _put(dossier: Dossier, files, paths: dict[str, str]) -> None:
    for name, data in files:
        if name in paths:
            dossiers.put_file(db.session(), dossier, paths[name], name, _content_type(data), data)
            journal.record(dossier.id, "pièce ajoutée", paths[name])


def _with_paths(claim: dict[str, Any], paths: dict[str, str]) -> dict[str, Any]:
    """The claim with each imported document's file pointing at its stored copy."""
    out = dict(claim)
    for key in ("invoices", "credit_notes"):
        out[key] = [{**x, "file": paths.get(x.get("file"), x.get("file"))} for x in claim.get(key, [])]
        if not out[key]:
            del out[key]
    return out


def _invoices_page(dossier: Dossier, form: EInvoicesForm):
    """The invoices step, with the import box's error next to its field."""
    items = list(dossier.claim.get("invoices", []))
    return wizard._page(
        dossier,
        "factures",
        "steps/invoices.html",
        form=f.InvoiceForm(formdata=None),
        items=items,
        delete=f.EmptyForm(),
        einvoice_form=form,
    )


def _is_pdf(data: bytes) -> bool:
    return sniff(data) == "PDF"  # as the upload checks decide


def _content_type(data: bytes) -> str:
    return "application/pdf" if _is_pdf(data) else XML_TYPE


def _name(filename: str) -> str:
    """The file's own name (never its path), short and printable."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(ch for ch in base if ch.isprintable())[:100] or "fichier"


def _distinct(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Files with distinct names (two "facture.pdf" from two folders become "facture.pdf (2)")."""
    seen: dict[str, int] = {}
    out = []
    for name, data in files:
        seen[name] = seen.get(name, 0) + 1
        out.append((name if seen[name] == 1 else f"{name} ({seen[name]})", data))
    return out
