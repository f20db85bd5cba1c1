"""Bounces: a delivery status notification (RFC 3464) names the Message-ID we kept on the outbox row.

The mail server delivers non-delivery reports to the instance's address; piping them to
``flask --app webapp followups bounce`` marks the original message failed, so the
creditor sees on the dossier that the debtor's address does not work, and the reminders
wait for a corrected address instead of writing into the void.
"""

from __future__ import annotations

import re
from datetime import datetime
from email import policy
from email.parser import BytesParser

from sqlalchemy.orm import Session

from . import audit, outbox
from .models import FollowUp, OutboxMessage

MESSAGE_ID = re.compile(rb"Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE)
ACTOR: audit.Actor = ("Dûment (avis de non-remise)", None)


def original_message_id(raw: bytes) -> str | None:
    """The Message-ID of the message that bounced: in the returned headers, else anywhere after our own."""
    report = BytesParser(policy=policy.default).parsebytes(raw)
    for part in report.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is not None and inner.get("Message-ID"):
                return str(inner["Message-ID"]).strip()
            found = MESSAGE_ID.search(part.as_bytes())
            if found:
                return found.group(1).decode()
    own = report.get("Message-ID")
    found = [m.decode() for m in MESSAGE_ID.findall(raw) if m.decode() != (own or "").strip()]
    return found[0] if found else None


def diagnostic(raw: bytes) -> str:
    """The remote server's reason, when the report gives one."""
    found = re.search(rb"Diagnostic-Code:\s*(?:smtp;)?\s*([^\r\n]+)", raw, re.IGNORECASE)
    return found.group(1).decode("utf-8", "replace").strip()[:200] if found else ""


def record(db: Session, raw: bytes, now: datetime) -> OutboxMessage | None:
    """Mark the bounced message failed (and its dossier's reminders waiting); None if it is not ours."""
    message_id = original_message_id(raw)
    row = outbox.by_message_id(db, message_id) if message_id else None
    if row is None:
        return None
    why = diagnostic(raw)
    row.status = "failed"
    row.last_error = (
        "le courriel est revenu en erreur : adresse inexistante ou boîte refusant le message"
        + (f" ({why})" if why else "")
    )[:500]
    if row.dossier_id:
        follow_up = db.get(FollowUp, row.dossier_id)
        if follow_up is not None:
            follow_up.problem = f"Le courriel envoyé à {row.to_address} est revenu en erreur : corrigez l'adresse."
        audit.record(db, ACTOR, row.dossier_id, "courriel revenu", f"{row.to_address} : {why}"[:255])
    return row
