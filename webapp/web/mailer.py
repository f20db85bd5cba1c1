"""Mail from the web app: the configured transport and sender, absolute links, delivery after commit.

A view adds its message to the outbox in its own transaction (``queue``), commits, then
calls ``send_now`` to try that message at once; a server that is down only delays it
(``followups run`` retries), and nothing the person typed is lost.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, current_app, request, url_for
from sqlalchemy import func, select

from ..mail import messages
from ..mail import transport as mail
from ..store import outbox
from ..store.models import OutboxMessage
from . import db

RESEND_AFTER = timedelta(minutes=5)  # one mail of a kind per address in this time: no mail bombing


def mail_dir(app: Flask) -> Path:
    return Path(app.config.get("MAIL_DIR") or Path(app.instance_path) / "mail")


def transport(app: Flask):
    return mail.transport(app.config.get("MAIL_URL"), mail_dir(app))


def sender(app: Flask) -> str:
    return app.config["MAIL_FROM"]


def link(endpoint: str, **values) -> str:
    """An absolute link for a mail: on DUMENT_BASE_URL (never the request's Host header, which a client forges)."""
    base = current_app.config.get("BASE_URL") or request.url_root
    return base.rstrip("/") + url_for(endpoint, **values)


def recently_sent(kind: str, to: str) -> bool:
    """Whether a mail of this kind went to this address a moment ago (a second one waits)."""
    since = datetime.now(UTC) - RESEND_AFTER
    query = select(func.count()).select_from(OutboxMessage)
    query = query.where(OutboxMessage.kind == kind, OutboxMessage.to_address == to, OutboxMessage.created_at >= since)
    return db.session().scalar(query) > 0


def queue(kind: str, template: str, to: str, **context) -> OutboxMessage:
    """Add a mail to the request's transaction (committed with the change that decides it)."""
    draft = messages.compose(template, to, **context)
    now = datetime.now(UTC)
    return outbox.enqueue(db.session(), kind, draft, sender(current_app), now, **_links(context))


def _links(context: dict) -> dict:
    return {key: context[key] for key in ("account_id", "dossier_id") if key in context}


def send_now(*rows: OutboxMessage) -> outbox.Delivery:
    """Try the given committed messages at once; failures stay in the outbox, retried by the runner."""
    app = current_app._get_current_object()
    sessions = app.extensions["dument_sessions"]
    return outbox.deliver(sessions, transport(app), sender(app), datetime.now(UTC), ids=[r.id for r in rows])
