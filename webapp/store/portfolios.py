"""An account's or a team's portfolio: imported ledgers, creditor profile, and the clients of both.

A scope is an account on its own (its dossiers that belong to no team) or a team; the
dashboard, the imported ledgers and the creditor profile all belong to one scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from ..domain.receivables import Client, Ledger, merge
from .models import CreditorProfile, Dossier, LedgerImport
from .summaries import client_from_data, client_to_data, summarise_claim


@dataclass(frozen=True)
class Scope:
    """Whose portfolio: an account on its own, or a team."""

    owner_id: int | None = None  # an account on its own…
    organisation_id: int | None = None  # …or a team

    def where(self, model):
        """The SQL condition selecting this scope's rows of ``model``."""
        if self.organisation_id is not None:
            return model.organisation_id == self.organisation_id
        return and_(model.owner_id == self.owner_id, model.organisation_id.is_(None))

    def owners(self) -> dict[str, int | None]:
        """The owner columns of a new row of this scope."""
        if self.organisation_id is not None:
            return {"owner_id": None, "organisation_id": self.organisation_id}
        return {"owner_id": self.owner_id, "organisation_id": None}


KEPT_IMPORTS = 3  # per account or team: the dashboard reads the latest; older ones are not kept for long


def save_import(db: Session, scope: Scope, ledger: Ledger, filename: str, as_of: date, terms: int) -> LedgerImport:
    """Keep what a ledger file gave (not the file itself), for the dashboard and the choice of dossiers.

    Only the latest few imports of a scope are kept: each holds every client of a ledger.
    """
    record = LedgerImport(
        filename=filename[:255],
        as_of=as_of,
        terms_days=terms,
        lines=ledger.lines,
        clients=[client_to_data(c) for c in ledger.clients],
        **scope.owners(),
    )
    db.add(record)
    db.flush()
    ids = select(LedgerImport.id).where(scope.where(LedgerImport)).order_by(LedgerImport.id.desc())
    stale = list(db.scalars(ids.offset(KEPT_IMPORTS)))
    if stale:
        db.execute(delete(LedgerImport).where(LedgerImport.id.in_(stale)))
    return record


def latest_import(db: Session, scope: Scope) -> LedgerImport | None:
    """The ledger the dashboard shows: the scope's last import."""
    query = select(LedgerImport).where(scope.where(LedgerImport)).order_by(LedgerImport.id.desc()).limit(1)
    return db.scalar(query)


def import_clients(record: LedgerImport) -> list[Client]:
    """The clients an import holds, as read."""
    return [client_from_data(d) for d in record.clients]


@dataclass(frozen=True)
class Holdings:
    """A scope's clients, how many of its dossiers are still incomplete, and each client's dossier links."""

    clients: list[Client]
    incomplete: int
    tokens: dict[str, list[str]]  # client key -> tokens of its dossiers


def clients(db: Session, scope: Scope, library, today: date) -> Holdings:
    """The scope's clients: the latest imported ledger, then its dossiers (which know better)."""
    latest = latest_import(db, scope)
    found = import_clients(latest) if latest else []
    incomplete = 0
    tokens: dict[str, list[str]] = {}
    query = select(Dossier.id, Dossier.token, Dossier.summary, Dossier.ledger_account).where(scope.where(Dossier))
    for dossier_id, token, summary, account in db.execute(query.order_by(Dossier.created_at)):
        if summary is None:  # saved before summaries existed: summarised now, stored at its next save
            claim = db.scalar(select(Dossier.claim).where(Dossier.id == dossier_id))
            summary = summarise_claim(claim or {}, library, today)
        incomplete += not summary["complete"]
        client = client_from_data(summary["client"], account, dossiers=1)
        tokens.setdefault(client.key, []).append(token)
        found.append(client)
    return Holdings(merge(found), incomplete, tokens)


def profile(db: Session, scope: Scope) -> dict[str, Any]:
    """The scope's creditor (claim-file ``creditor`` data), or an empty dict."""
    record = db.scalar(select(CreditorProfile).where(scope.where(CreditorProfile)))
    return dict(record.creditor) if record else {}


def save_profile(db: Session, scope: Scope, creditor: dict[str, Any]) -> None:
    """Replace the scope's creditor profile; the caller commits."""
    record = db.scalar(select(CreditorProfile).where(scope.where(CreditorProfile)))
    if record is None:
        record = CreditorProfile(**scope.owners())
        db.add(record)
    record.creditor = dict(creditor)
    db.flush()


def export(db: Session, account_id: int) -> dict[str, Any]:
    """What the account's own portfolio holds, for the export of its data (art. 15 RGPD)."""
    scope = Scope(owner_id=account_id)
    imports = db.scalars(select(LedgerImport).where(scope.where(LedgerImport)).order_by(LedgerImport.id))
    return {
        "coordonnees_de_creancier": profile(db, scope),
        "comptabilites_importees": [
            {
                "fichier": i.filename,
                "importe_le": i.imported_at.isoformat(),
                "lu_au": i.as_of.isoformat(),
                "clients": i.clients,
            }
            for i in imports
        ],
    }
