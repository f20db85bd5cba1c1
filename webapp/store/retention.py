"""The retention purge: closed dossiers go after RETENTION_DAYS, abandoned ones after ABANDONED_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from . import dossiers
from .models import AuditEvent


def purge_expired(
    db: Session, retention_days: int, abandoned_days: int, now: datetime | None = None
) -> tuple[int, int]:
    """Delete expired dossiers and their files, recording each deletion; (closed, abandoned) counts."""
    now = now or datetime.now(UTC)
    closed_before = now - timedelta(days=int(retention_days))
    untouched_before = now - timedelta(days=int(abandoned_days))
    counts = [0, 0]
    for dossier in dossiers.expired(db, closed_before, untouched_before):
        closed = dossier.closed_at is not None
        counts[0 if closed else 1] += 1
        reason = (
            f"clos depuis plus de {retention_days} jours"
            if closed
            else f"inactif depuis plus de {abandoned_days} jours"
        )
        db.add(AuditEvent(dossier_id=dossier.id, actor="conservation", action="supprimé", detail=reason))
        db.delete(dossier)
    db.commit()
    return counts[0], counts[1]
