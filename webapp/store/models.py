"""Database tables: a dossier holds a claim in the exchange format, and its evidence files.

The claim is stored as the claim file's own JSON (strings for dates and amounts), so a
saved dossier exports to exactly the claim format and imports back unchanged. Evidence
files are stored in the database, not on disk, so that several app servers share them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Account(Base):
    """A person who signs in: an e-mail address and an argon2 hash, never the password."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the link in the mail opened
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="Membership.id"
    )

    # Flask-Login's user protocol
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie holds: the id and a token that signing out replaces."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Make every session cookie of this account worthless, on every device."""
        self.session_token = secrets.token_hex(16)


class Organisation(Base):
    """A team (a legal-aid association, a firm): its members share its dossiers."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Membership.id"
    )


class Membership(Base):
    """An account's place in an organisation: ``benevole`` prepares, ``superviseur`` verifies."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("account_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    account: Mapped[Account] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class Invitation(Base):
    """A supervisor's invitation to join a team, by e-mail: it becomes a membership only when accepted.

    Nobody is put in a team without saying yes, and the form answers the same whether or not
    an account exists for the address (it tells no one who has an account).
    """

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(16))
    invited_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    organisation: Mapped[Organisation] = relationship()


class LoginFailure(Base):
    """A failed sign-in, kept a short while to slow down password guessing (shared by all servers)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)  # the client's IP address


class Dossier(Base):
    """A claim being prepared: owned by an organisation, an account, or (neither) by its link."""

    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    claim: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    verified_version: Mapped[int | None] = mapped_column(Integer)  # the version a supervisor checked
    verified_by: Mapped[str | None] = mapped_column(String(120))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # The portfolio's view of the claim, refreshed on every save (store.summaries), so the
    # dashboard reads it instead of assessing every dossier; and the client account of the
    # ledger it was created from, if any (the dashboard then shows its invoices once).
    summary: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    ledger_account: Mapped[str | None] = mapped_column(String(64))
    # sha256 of the random id of the browser that started it: only that browser may attach an
    # anonymous dossier to an account (holding its link is not enough).
    creator: Mapped[str | None] = mapped_column(String(64))
    organisation: Mapped[Organisation | None] = relationship()
    # Every UPDATE or DELETE of a dossier says "WHERE version = <the version read>": two
    # requests that read the same version cannot both write (the second gets StaleDataError).
    __mapper_args__: ClassVar[dict] = {"version_id_col": version, "version_id_generator": False}
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )

    @property
    def verified(self) -> bool:
        """A supervisor checked this very version: any later change needs a new check."""
        return self.verified_version is not None and self.verified_version == self.version


class EvidenceFile(Base):
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(255))  # as named in the claim: "factures/F-1.pdf"
    filename: Mapped[str] = mapped_column(String(255))  # the name the user gave it, for display only
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    dossier: Mapped[Dossier] = relationship(back_populates="files")


class AuditEvent(Base):
    """Who did what to which dossier or team, and when: kept after a dossier is deleted (no foreign key)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    dossier_id: Mapped[str] = mapped_column(String(32), index=True)  # "" for an event of a team
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # an account's e-mail, or an anonymous browser's hash
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no foreign key: outlives the account
    action: Mapped[str] = mapped_column(String(32))  # created, saved, deleted, generated, downloaded…
    detail: Mapped[str] = mapped_column(String(255), default="")


class LedgerImport(Base):
    """An accounting export (FEC or invoice CSV) read for an account or a team: its clients, as read."""

    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    as_of: Mapped[date] = mapped_column(Date)
    terms_days: Mapped[int] = mapped_column(Integer)
    lines: Mapped[int] = mapped_column(Integer)
    clients: Mapped[list] = mapped_column(JSON, default=list)  # store.summaries' form of each client


class CreditorProfile(Base):
    """Who the creditor is (claim-file ``creditor``), kept per account or team to pre-fill new dossiers."""

    __tablename__ = "creditor_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    creditor: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class OutboxMessage(Base):
    """A message decided and waiting to go, or gone: written in the transaction that decided it.

    ``key`` is unique: one row per dossier and reminder step ("relance:<dossier>:<step>"), so
    two runs, or two machines, can never produce two messages for one step. The runner
    claims rows (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), marks them
    ``sending`` before talking to the server, then ``sent`` or back to ``pending`` with a
    later ``next_attempt_at``, or ``failed`` with the reason in French.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # verification, reset, signup, invitation, relance
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    step: Mapped[int | None] = mapped_column(Integer)  # the reminder plan's step
    due_on: Mapped[date | None] = mapped_column(Date)  # the step's date in the plan
    decided_on: Mapped[date | None] = mapped_column(Date)  # the day the engine said "due"…
    dossier_version: Mapped[int | None] = mapped_column(Integer)  # …on this version of the dossier
    to_address: Mapped[str] = mapped_column(String(254))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    sender_name: Mapped[str | None] = mapped_column(String(160))  # "Atelier Dupont (via Dûment)"
    subject: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(120))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    message_id: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FollowUp(Base):
    """A dossier's automatic reminders: off until the creditor turns them on after the preview."""

    __tablename__ = "followups"

    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    debtor_email: Mapped[str] = mapped_column(String(254), default="")
    enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enabled_by: Mapped[str] = mapped_column(String(254), default="")
    problem: Mapped[str] = mapped_column(String(500), default="")  # an address refused or bounced: sending stops


class OwnerPlan(Base):
    """The reminder days an account or a team uses for its dossiers that set none of their own."""

    __tablename__ = "reminder_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    days: Mapped[str] = mapped_column(String(60))  # "3,10,20": days after the due date


class CalendarToken(Base):
    """The secret address a calendar application subscribes to: an account's or a team's deadlines.

    Only the SHA-256 of the token is kept: the address is shown once, when it is made, and a
    new one revokes the old (``revoked_at``). Who made it is in the team's journal, not here.
    """

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
