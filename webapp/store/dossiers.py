"""Saving and loading dossiers: the claim data, its evidence files, export and import.

Functions take a SQLAlchemy session and plain data; the web views stay thin. The claim
is kept in the claim-file format; evidence files live beside it, named by the path the
claim gives them (``factures/F-1.pdf``).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import uuid
import zipfile
from pathlib import PurePosixPath
from typing import Any

import yaml
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..domain.claim import Claim
from ..domain.claim_file import claim_from_data, parse_document
from ..domain.errors import ClaimError
from .models import Dossier, EvidenceFile

CLAIM_NAME = "creance.yaml"


def create(
    db: Session, claim: dict[str, Any] | None = None, owner_id: int | None = None, organisation_id: int | None = None
) -> Dossier:
    """A new dossier with an unguessable link, owned by an account, a team, or (neither) its link.

    Not committed: the caller commits it together with what goes with it (its audit line,
    its imported files), so an interrupted request leaves nothing half-made.
    """
    dossier = Dossier(
        id=uuid.uuid4().hex,
        token=secrets.token_urlsafe(32),
        claim=claim or {},
        version=1,
        owner_id=owner_id,
        organisation_id=organisation_id,
    )
    db.add(dossier)
    db.flush()
    return dossier


def by_token(db: Session, token: str) -> Dossier | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        return None
    return db.scalar(select(Dossier).where(Dossier.token == token))


def by_ids(db: Session, ids: list[str]) -> list[Dossier]:
    if not ids:
        return []
    found = db.scalars(select(Dossier).where(Dossier.id.in_(ids))).all()
    return sorted(found, key=lambda d: d.updated_at, reverse=True)


def save_claim(db: Session, dossier: Dossier, claim: dict[str, Any]) -> None:
    """Replace the claim data (a new dict, so the JSON column sees the change)."""
    dossier.claim = dict(claim)
    dossier.version += 1
    db.commit()


def delete(db: Session, dossier: Dossier) -> None:
    """Delete the dossier and its evidence files for good (the files go with it: cascade)."""
    db.delete(dossier)
    db.commit()


def expired(db: Session, closed_before, untouched_before) -> list[Dossier]:
    """Dossiers past retention: closed before ``closed_before``, or abandoned since ``untouched_before``."""
    query = select(Dossier).where(
        or_(Dossier.closed_at < closed_before, and_(Dossier.closed_at.is_(None), Dossier.updated_at < untouched_before))
    )
    return list(db.scalars(query))


def file_path(kind: str, stem: str, original: str, content_type: str) -> str:
    """A safe path for an uploaded file, from our own names only (never the user's path)."""
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "application/xml": ".xml"}[
        content_type
    ]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:80] or "piece"
    folder = "factures" if kind == "invoice" else "pieces"
    return f"{folder}/{safe}{extension}"


def put_file(db: Session, dossier: Dossier, path: str, filename: str, content_type: str, data: bytes) -> EvidenceFile:
    """Store a file under ``path``, replacing any file already there; the caller commits it with the claim."""
    for old in [f for f in dossier.files if f.path == path]:
        dossier.files.remove(old)
    record = EvidenceFile(
        path=path,
        filename=filename[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    dossier.files.append(record)
    db.flush()
    return record


def remove_file(db: Session, dossier: Dossier, path: str | None) -> None:
    if path:
        for old in [f for f in dossier.files if f.path == path]:
            dossier.files.remove(old)


def get_file(dossier: Dossier, path: str) -> EvidenceFile | None:
    return next((f for f in dossier.files if f.path == path), None)


def valid_claim(dossier: Dossier) -> Claim:
    """The dossier's claim, validated; raises ClaimError listing what is missing or wrong."""
    return claim_from_data(dossier.claim)


def export_zip(dossier: Dossier) -> bytes:
    """The claim file and its evidence, as a ZIP that ``import_zip`` reads back unchanged."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CLAIM_NAME, yaml.safe_dump(dossier.claim, allow_unicode=True, sort_keys=False))
        for f in dossier.files:
            archive.writestr(f.path, f.data)
    return buffer.getvalue()


MAX_IMPORT_BYTES = 60 * 1024 * 1024


def read_zip(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The claim data and the files a ZIP export holds; raises ClaimError when unusable."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ClaimError([("(fichier)", "ce fichier n'est pas une archive ZIP exportée par Dûment")]) from None
    with archive:
        names = archive.namelist()
        if CLAIM_NAME not in names:
            raise ClaimError([("(fichier)", f"l'archive ne contient pas de fichier {CLAIM_NAME}")])
        if sum(i.file_size for i in archive.infolist()) > MAX_IMPORT_BYTES:
            raise ClaimError([("(fichier)", "l'archive est trop volumineuse une fois décompressée")])
        claim = parse_document(archive.read(CLAIM_NAME).decode("utf-8", errors="replace"))
        claim_from_data(claim)  # strict validation: unknown fields, dates, amounts…
        files = {}
        for name in names:
            path = PurePosixPath(name)
            if name == CLAIM_NAME or name.endswith("/"):
                continue
            if path.is_absolute() or ".." in path.parts:
                raise ClaimError([("(fichier)", f"chemin refusé dans l'archive : {name}")])
            files[name] = archive.read(name)
    return claim, files
