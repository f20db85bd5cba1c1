"""The audit trail: one line per thing done to a dossier, written in the same transaction."""

from __future__ import annotations

import hashlib
import secrets

from flask import session
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent


def actor() -> str:
    """Who acts: for now an anonymous browser, known by a random id kept in its session."""
    if "actor" not in session:
        session["actor"] = secrets.token_hex(8)
    return "navigateur " + hashlib.sha256(session["actor"].encode()).hexdigest()[:12]


def history(db: Session, dossier_id: str, limit: int = 30) -> list[AuditEvent]:
    """The dossier's latest events, newest first."""
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.dossier_id == dossier_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def record(db: Session, dossier_id: str, action: str, detail: str = "") -> None:
    """Add an event to the session; the caller's commit writes it with the change it records."""
    db.add(AuditEvent(dossier_id=dossier_id, actor=actor(), action=action, detail=detail[:255]))
