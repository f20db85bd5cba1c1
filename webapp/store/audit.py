"""The audit trail: one line per thing done to a dossier, written in the same transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent


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


Actor = tuple[str, int | None]  # who acts, as shown in the journal, and their account id if signed in


def record(
    db: Session, actor: Actor, dossier_id: str, action: str, detail: str = "", organisation_id: int | None = None
) -> None:
    """Add an event to the session; the caller's commit writes it with the change it records."""
    who, account_id = actor
    event = AuditEvent(dossier_id=dossier_id, organisation_id=organisation_id, actor=who, account_id=account_id)
    event.action, event.detail = action, detail[:255]
    db.add(event)


def record_team(db: Session, actor: Actor, organisation_id: int, action: str, detail: str = "") -> None:
    """An event of a team itself (invitations, members, roles), not of one of its dossiers."""
    record(db, actor, "", action, detail, organisation_id=organisation_id)


def team_history(db: Session, organisation_id: int, limit: int = 50) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.dossier_id == "", AuditEvent.organisation_id == organisation_id)
    return list(db.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def by_account(db: Session, account_id: int) -> list[AuditEvent]:
    """Everything an account did, oldest first (for the export of one's personal data)."""
    query = select(AuditEvent).where(AuditEvent.account_id == account_id).order_by(AuditEvent.at, AuditEvent.id)
    return list(db.scalars(query))
