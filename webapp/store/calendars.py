"""Calendar subscription tokens: made, found and revoked; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CalendarToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active(db: Session, account_id: int | None, organisation_id: int | None) -> list[CalendarToken]:
    owner = (
        CalendarToken.organisation_id == organisation_id
        if organisation_id is not None
        else (CalendarToken.account_id == account_id) & CalendarToken.organisation_id.is_(None)
    )
    return list(db.scalars(select(CalendarToken).where(owner, CalendarToken.revoked_at.is_(None))))


def current(db: Session, account_id: int | None, organisation_id: int | None = None) -> CalendarToken | None:
    """The address in use for an account (or a team), if any."""
    found = _active(db, account_id, organisation_id)
    return found[0] if found else None


def renew(db: Session, account_id: int | None, organisation_id: int | None = None) -> str:
    """A new secret token for the account's (or the team's) calendar, revoking the old one; not committed."""
    revoke(db, account_id, organisation_id)
    token = secrets.token_urlsafe(32)
    owner = None if organisation_id is not None else account_id
    db.add(CalendarToken(token_hash=_hash(token), account_id=owner, organisation_id=organisation_id))
    db.flush()
    return token


def revoke(db: Session, account_id: int | None, organisation_id: int | None = None) -> bool:
    """Revoke the address in use; whether there was one. Not committed."""
    found = _active(db, account_id, organisation_id)
    for row in found:
        row.revoked_at = datetime.now(UTC)
    return bool(found)


def by_token(db: Session, token: str) -> CalendarToken | None:
    """The live subscription a token opens, or None (unknown, malformed or revoked)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        return None
    row = db.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token)))
    return row if row is not None and row.revoked_at is None else None
