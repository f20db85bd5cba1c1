"""The journal from the web: who acts in this request, passed to the store's audit trail."""

from __future__ import annotations

import hashlib
import secrets

from flask import session
from flask_login import current_user

from ..store import audit
from . import db


def browser() -> str:
    """This browser's fingerprint: the hash of a random id its (signed) session cookie keeps."""
    if "actor" not in session:
        session["actor"] = secrets.token_hex(16)
    return hashlib.sha256(session["actor"].encode()).hexdigest()


def actor() -> audit.Actor:
    """Who acts: the signed-in account, or an anonymous browser known by a random id in its session."""
    if current_user.is_authenticated:
        return current_user.email, current_user.id
    return "navigateur " + browser()[:12], None


def record(dossier_id: str, action: str, detail: str = "") -> None:
    """Journal an action on a dossier in the request's session (committed with the change)."""
    audit.record(db.session(), actor(), dossier_id, action, detail)


def record_team(organisation_id: int, action: str, detail: str = "") -> None:
    """Journal an action on a team itself."""
    audit.record_team(db.session(), actor(), organisation_id, action, detail)
