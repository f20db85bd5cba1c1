"""Database tables: a dossier holds a claim in the exchange format, and its evidence files.

The claim is stored as the claim file's own JSON (strings for dates and amounts), so a
saved dossier exports to exactly the claim format and imports back unchanged. Evidence
files are stored in the database, not on disk, so that several app servers share them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Dossier(Base):
    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    claim: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )


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
    """Who did what to which dossier, and when: kept after a dossier is deleted (no foreign key)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    dossier_id: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # for now: an anonymous browser, by a hash of its session
    action: Mapped[str] = mapped_column(String(32))  # created, saved, deleted, generated, downloaded…
    detail: Mapped[str] = mapped_column(String(255), default="")
