"""The outbox: every message is a row first, written with the change that decides it, then sent.

A request never talks to a mail server inside its transaction: it adds a row, commits,
and may then try to deliver that row at once; whatever is not delivered is retried by
``flask --app webapp followups run`` with growing delays, then marked failed with a
French reason the person concerned sees. Delivery is at most once: a row is marked
``sending`` (and committed) before the server is contacted, so a crash in between leaves
a row marked "interrupted" for a human to check, never a message sent twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..mail import transport as mail
from .models import OutboxMessage

# Delays before each new attempt after a temporary failure; after the last one, "failed".
BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8), timedelta(hours=24))
INTERRUPTED_AFTER = timedelta(hours=1)  # a row "sending" this long was cut off mid-send
BATCH = 500


@dataclass(frozen=True)
class Draft:
    """What a message says, before it has a row."""

    to: str
    subject: str
    text: str
    html: str
    reply_to: str | None = None
    attachment: mail.Attachment | None = None
    sender_name: str | None = None  # shown before the instance's address: "Atelier Dupont (via Dûment)"


def _values(draft: Draft, sender: str, now: datetime, **link) -> dict:
    attachment = draft.attachment
    return {
        "to_address": draft.to,
        "reply_to": draft.reply_to,
        "sender_name": draft.sender_name,
        "subject": draft.subject[:255],
        "text": draft.text,
        "html": draft.html,
        "attachment_name": attachment.filename if attachment else None,
        "attachment": attachment.data if attachment else None,
        "message_id": mail.new_message_id(sender),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        **link,
    }


def enqueue(db: Session, kind: str, draft: Draft, sender: str, now: datetime, **link) -> OutboxMessage:
    """Add a one-off message (an account's mail) to the caller's transaction."""
    row = OutboxMessage(key=f"{kind}:{uuid.uuid4().hex}", kind=kind, **_values(draft, sender, now, **link))
    db.add(row)
    db.flush()
    return row


def enqueue_once(db: Session, key: str, kind: str, draft: Draft, sender: str, now: datetime, **link) -> bool:
    """Add the message for ``key`` unless one exists (another run wrote it): True when added."""
    return enqueue_many(db, kind, [(key, draft, link)], sender, now) == 1


def enqueue_many(db: Session, kind: str, items: list[tuple[str, Draft, dict]], sender: str, now: datetime) -> int:
    """Add the messages whose key is not taken yet, in one statement; how many were added.

    ``INSERT … ON CONFLICT (key) DO NOTHING``: two runs deciding the same step at the same
    moment write one row, whichever commits first.
    """
    if not items:
        return 0
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"key": key, "kind": kind, **_values(draft, sender, now, **link)} for key, draft, link in items]
    for row in rows:
        row.setdefault("dossier_id", None)
        row.setdefault("account_id", None)
        row.setdefault("step", None)
        row.setdefault("due_on", None)
        row.setdefault("decided_on", None)
        row.setdefault("dossier_version", None)
    table = OutboxMessage.__table__
    statement = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
    return len(db.execute(statement, rows).all())


def to_email(row: OutboxMessage, sender: str) -> mail.EmailMessage:
    attachments = ()
    if row.attachment is not None:
        attachments = (mail.Attachment(row.attachment_name or "piece-jointe.pdf", "application/pdf", row.attachment),)
    if row.sender_name:
        sender = mail.display_address(row.sender_name, parseaddr(sender)[1])
    return mail.build(
        sender=sender,
        to=row.to_address,
        subject=row.subject,
        text=row.text,
        html=row.html,
        reply_to=row.reply_to,
        attachments=attachments,
        message_id=row.message_id,
    )


def claim(
    db: Session, now: datetime, limit: int = BATCH, ids: Iterable[int] | None = None, exclude: Iterable[str] = ()
) -> list[OutboxMessage]:
    """Take pending rows whose time has come and mark them ``sending`` (committed): no one else takes them.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``, so runners on several machines take
    disjoint rows without waiting for each other. SQLite: one ``UPDATE … RETURNING``,
    atomic under its single write lock, so even two runners on one machine never share a row.
    """
    query = select(OutboxMessage.id).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    if exclude:
        query = query.where(OutboxMessage.kind.not_in(list(exclude)))
    query = query.order_by(OutboxMessage.id).limit(limit)
    taken = {"status": "sending", "attempts": OutboxMessage.attempts + 1, "next_attempt_at": now}
    if db.get_bind().dialect.name == "postgresql":
        chosen = list(db.scalars(query.with_for_update(skip_locked=True)))
        db.execute(update(OutboxMessage).where(OutboxMessage.id.in_(chosen)).values(**taken))
    else:
        statement = update(OutboxMessage).where(
            OutboxMessage.id.in_(query.scalar_subquery()), OutboxMessage.status == "pending"
        )
        chosen = list(db.scalars(statement.values(**taken).returning(OutboxMessage.id)))
    db.commit()
    if not chosen:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(chosen)).order_by(OutboxMessage.id)
    return list(db.scalars(query.execution_options(populate_existing=True)))


def mark_interrupted(db: Session, now: datetime) -> int:
    """Rows left ``sending`` by a run that stopped mid-send: failed, to be checked by a person."""
    result = db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at < now - INTERRUPTED_AFTER)
        .values(
            status="failed",
            last_error="envoi interrompu (arrêt du serveur pendant l'envoi) : il est peut-être parti ; "
            "vérifiez auprès du destinataire avant de relancer",
        )
    )
    db.commit()
    return result.rowcount


ACCOUNT_MAIL_DAYS = 30  # an account's mails (links long expired) are kept this long, then forgotten


def forget_old_account_mails(db: Session, now: datetime) -> int:
    """Delete account mails (confirmation, reset, invitation) that went or failed a month ago.

    Reminders stay: they are the dossier's history, deleted with it.
    """
    result = db.execute(
        delete(OutboxMessage).where(
            OutboxMessage.dossier_id.is_(None),
            OutboxMessage.status.in_(("sent", "failed", "cancelled")),
            OutboxMessage.created_at < now - timedelta(days=ACCOUNT_MAIL_DAYS),
        )
    )
    db.commit()
    return result.rowcount


def record_failure(row: OutboxMessage, error: mail.MailError, now: datetime) -> None:
    """Retry later after a temporary failure, or give up: failed, with the reason in French."""
    row.last_error = str(error)[:500]
    if error.permanent or row.attempts > len(BACKOFF):
        row.status = "failed"
    else:
        row.status, row.next_attempt_at = "pending", now + BACKOFF[row.attempts - 1]


@dataclass
class Hooks:
    """What a kind of message does around sending: a last check, and what to record once sent or failed."""

    prepare: Callable[[Session, list[OutboxMessage]], None] = lambda db, rows: None  # load what checks read
    check: Callable[[Session, OutboxMessage, datetime], str | None] = lambda db, row, now: None
    sent: Callable[[Session, OutboxMessage, datetime], None] = lambda db, row, now: None
    failed: Callable[[Session, OutboxMessage, datetime], None] = lambda db, row, now: None


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def deliver(
    sessions: sessionmaker,
    transport,
    sender: str,
    now: datetime,
    hooks: dict[str, Hooks] | None = None,
    ids: Iterable[int] | None = None,
    exclude: Iterable[str] = (),
) -> Delivery:
    """Send every pending row whose time has come (or only ``ids``, or all but the ``exclude`` kinds)."""
    hooks, outcome = hooks or {}, Delivery()
    with sessions() as db:
        mark_interrupted(db, now)
        if ids is None:
            forget_old_account_mails(db, now)
    while True:
        with sessions() as db:
            rows = claim(db, now, ids=ids, exclude=exclude)
            if not rows:
                return outcome
            ready = _checked(db, rows, hooks, now, outcome)
            results = transport.send_all([to_email(row, sender) for row in ready])
            _record(sessions, db, list(zip(ready, results, strict=True)), hooks, now, outcome)
        if ids is not None:
            return outcome


def _checked(db: Session, rows, hooks, now, outcome: Delivery) -> list[OutboxMessage]:
    """The rows still worth sending; the others are cancelled, with the reason kept on the row."""
    for kind in {row.kind for row in rows}:
        hooks.get(kind, Hooks()).prepare(db, [row for row in rows if row.kind == kind])
    ready = []
    for row in rows:
        reason = hooks.get(row.kind, Hooks()).check(db, row, now)
        if reason is None:
            ready.append(row)
            continue
        row.status, row.last_error = "cancelled", reason[:500]
        outcome.cancelled += 1
        outcome.reasons[reason] = outcome.reasons.get(reason, 0) + 1
    db.commit()
    return ready


def _record(sessions: sessionmaker, db: Session, pairs, hooks, now, outcome: Delivery) -> None:
    """Write what happened to a batch; if a dossier changed meanwhile, row by row on fresh data."""
    try:
        for row, error in pairs:
            _apply(db, row, error, hooks.get(row.kind, Hooks()), now)
        db.commit()
    except StaleDataError:
        db.rollback()
    else:
        for row, error in pairs:
            _count(row, error, outcome)
        return
    for row_id, error in [(row.id, error) for row, error in pairs]:
        for _attempt in range(5):  # someone saving the same dossier at this second: read it again
            with sessions() as fresh:
                row = fresh.get(OutboxMessage, row_id)
                _apply(fresh, row, error, hooks.get(row.kind, Hooks()), now)
                try:
                    fresh.commit()
                except StaleDataError:
                    continue
                _count(row, error, outcome)
                break


def _count(row: OutboxMessage, error, outcome: Delivery) -> None:
    if error is None:
        outcome.sent += 1
    elif row.status == "failed":
        outcome.failed += 1
    else:
        outcome.retried += 1


def _apply(db: Session, row: OutboxMessage, error: mail.MailError | None, hook: Hooks, now) -> None:
    """Sent, retried later, or failed: the row says which, and the message's kind records the rest."""
    if error is None:
        row.status, row.sent_at, row.last_error = "sent", now, ""
        hook.sent(db, row, now)
        return
    record_failure(row, error, now)
    if row.status == "failed":
        hook.failed(db, row, now)


def for_dossier(db: Session, dossier_id: str) -> list[OutboxMessage]:
    """A dossier's messages, newest first (the "Courriels" page)."""
    query = select(OutboxMessage).where(OutboxMessage.dossier_id == dossier_id)
    return list(db.scalars(query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())))


def by_message_id(db: Session, message_id: str) -> OutboxMessage | None:
    return db.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id.strip()))
