"""What is missing before filing: listed on the Documents page with an upload for each missing
piece, and as a page of its own to print. The court copy itself never carries a to-do list."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..documents.checklist import MissingPiece, blanks, missing_pieces
from ..documents.context import build_context
from ..store import dossiers
from . import db, journal
from . import forms as f
from .common import STEPS, library
from .files import store_upload
from .results import assessed, documents_page

bp = Blueprint("checklist", __name__, url_prefix="/dossier/<token>")


def to_do(a) -> dict:
    """The blanks of the requête and the pieces without a file, for the Documents page and the checklist."""
    return {"blanks": blanks(build_context(a, library())), "missing_pieces": missing_pieces(a.claim)}


@bp.route("/a-completer")
@assessed
def printable(dossier, a):
    """The checklist on its own, to print and keep beside the court copy."""
    return render_template("checklist.html", dossier=dossier, a=a, steps=STEPS, current="documents", **to_do(a))


@bp.route("/a-completer/<key>", methods=["POST"])
@assessed
def attach(dossier, a, key):
    """Give a missing piece its file, from the Documents page; an error is shown next to that piece."""
    piece = next((p for p in missing_pieces(a.claim) if p.key == key), None)
    form = f.PieceFileForm()
    if piece is None or not form.validate_on_submit():
        flash("Cette pièce a changé entre-temps : voici la liste à jour.", "conflict")
        return redirect(url_for("results.documents", token=dossier.token))
    if not (form.file.data and form.file.data.filename):
        return documents_page(dossier, a, upload_errors={key: "Choisissez le fichier de cette pièce."}), 400
    path, error = store_upload(dossier, form.file.data, "invoice" if piece.section == "invoices" else "evidence")
    if error:
        return documents_page(dossier, a, upload_errors={key: error}), 400
    journal.record(dossier.id, "modifié", f"documents : fichier de « {piece.title[:80]} »")
    dossiers.save_claim(db.session(), dossier, _with_file(dossier.claim, piece, path))
    flash(f"Fichier ajouté : « {piece.title} ». Il figure désormais au dossier pour le tribunal.")
    return redirect(url_for("results.documents", token=dossier.token, delai=request.args.get("delai")) + "#a-completer")


def _with_file(claim: dict, piece: MissingPiece, path: str) -> dict:
    """The claim with ``path`` given to the piece: its invoice or evidence item, or a new evidence item."""
    items = [dict(item) for item in claim.get(piece.section, [])]
    if piece.index is not None:
        items[piece.index]["file"] = path
    else:
        day = {"date": piece.day.isoformat()} if piece.day else {}
        items.append({"kind": piece.evidence_kind or "other", "title": piece.title, **day, "file": path})
    return {**claim, piece.section: items}
