"""The audit trail: one line per thing done to a dossier, written in the same transaction."""

from __future__ import annotations

import hashlib
import secrets

from flask import session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent


def actor() -> tuple[str, int | None]:
    """Who acts: the signed-in account, or an anonymous browser known by a random id in its session."""
    if current_user.is_authenticated:
        return current_user.email, current_user.id
    if "actor" not in session:
        session["actor"] = secrets.token_hex(8)
    return "navigateur " + hashlib.sha256(session["actor"].encode()).hexdigest()[:12], None


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


def record(db: Session, dossier_id: str, action: str, detail: str = "", organisation_id: int | None = None) -> None:
    """Add an event to the session; the caller's commit writes it with the change it records."""
    who, account_id = actor()
    event = AuditEvent(dossier_id=dossier_id, organisation_id=organisation_id, actor=who, account_id=account_id)
    event.action, event.detail = action, detail[:255]
    db.add(event)


def record_team(db: Session, organisation_id: int, action: str, detail: str = "") -> None:
    """An event of a team itself (invitations, members, roles), not of one of its dossiers."""
    record(db, "", action, detail, organisation_id=organisation_id)


def team_history(db: Session, organisation_id: int, limit: int = 50) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.dossier_id == "", AuditEvent.organisation_id == organisation_id)
    return list(db.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def by_account(db: Session, account_id: int) -> list[AuditEvent]:
    """Everything an account did, oldest first (for the export of one's personal data)."""
    query = select(AuditEvent).where(AuditEvent.account_id == account_id).order_by(AuditEvent.at, AuditEvent.id)
    return list(db.scalars(query))
