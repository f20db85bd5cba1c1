"""Saving and loading dossiers: the claim data, its evidence files, export and import.

Functions take a SQLAlchemy session and plain data; the web views stay thin. The claim
is kept in the claim-file format; evidence files live beside it under a path made of a
random id (``factures/3f9c….pdf``) that no other file can share, the name the user gave
kept apart for display and download.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import uuid
import zipfile
from typing import Any

import yaml
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..domain.claim import Claim
from ..domain.claim_file import claim_from_data
from .models import Dossier, EvidenceFile

CLAIM_NAME = "creance.yaml"


def create(
    db: Session,
    claim: dict[str, Any] | None = None,
    owner_id: int | None = None,
    organisation_id: int | None = None,
    creator: str | None = None,
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
        creator=creator,
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


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "application/xml": ".xml"}


def file_path(dossier: Dossier, kind: str, content_type: str) -> str:
    """A new path for an uploaded file: a random id, so two files never share one (the user's name is kept apart)."""
    folder = "factures" if kind == "invoice" else "pieces"
    taken = {f.path for f in dossier.files}
    while (path := f"{folder}/{secrets.token_hex(8)}{EXTENSIONS[content_type]}") in taken:
        continue  # 64 random bits: practically never taken, but an imported dossier chose its own names
    return path


def put_file(db: Session, dossier: Dossier, path: str, filename: str, content_type: str, data: bytes) -> EvidenceFile:
    """Store a file under ``path`` (a new one, from ``file_path``, or an imported one); the caller commits."""
    if any(f.path == path for f in dossier.files):
        raise ValueError(f"a file is already stored at {path}")  # a file never silently replaces another
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
