"""Storing a file a user sends: the one gate (type by content, size, pages, pixels…), then a new id."""

from __future__ import annotations

from flask import current_app

from ..documents.uploads import UnusableFile, check_upload
from ..store import dossiers
from ..store.models import Dossier
from . import db, journal
from .upload_stream import too_large


class _Refused(Exception):
    """An uploaded file that cannot be used; the message is French."""


def _checked(upload) -> tuple[bytes, str, str]:
    """The upload's bytes, name and type by content; _Refused with the reason otherwise."""
    if too_large(upload):
        raise _Refused(too_large_message())
    config = current_app.config
    data = upload.read(config["UPLOAD_MAX_BYTES"] + 1)
    name = upload.filename or "fichier"
    try:
        content_type = check_upload(data, max_bytes=config["UPLOAD_MAX_BYTES"], max_pages=config["UPLOAD_MAX_PAGES"])
    except UnusableFile as problem:
        raise _Refused(f"Ce fichier ({name}) {problem}") from None
    return data, name, content_type


def upload_problem(upload) -> str | None:
    """What is wrong with an uploaded file, checked without storing it (so that a form shown
    again for other errors says it at once, not on the next try); None when usable or absent."""
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        _checked(upload)
    except _Refused as refused:
        return str(refused)
    finally:
        upload.stream.seek(0)
    return None


def store_upload(dossier: Dossier, upload, kind: str) -> tuple[str | None, str | None]:
    """Check an uploaded file by its content and store it under a new id: (path, None) or (None, error)."""
    if not upload or not getattr(upload, "filename", ""):
        return None, None
    try:
        data, name, content_type = _checked(upload)
    except _Refused as refused:
        return None, str(refused)
    used = sum(x.size for x in dossier.files)
    if used + len(data) > current_app.config["DOSSIER_MAX_BYTES"]:
        return None, "Ce dossier a atteint la taille maximale de ses pièces (100 Mo)."
    path = dossiers.file_path(dossier, kind, content_type)
    journal.record(dossier.id, "pièce ajoutée", f"{path} ({name})")
    dossiers.put_file(db.session(), dossier, path, name, content_type, data)
    return path, None


def too_large_message() -> str:
    limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    return (
        f"Ce fichier dépasse {limit} Mo : réduisez-le (ou numérisez-le en résolution plus basse), "
        "puis choisissez-le à nouveau."
    )
