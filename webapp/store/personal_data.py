"""A person's data: all of it as one archive (right of access, art. 15 RGPD), or erased (art. 17)."""

from __future__ import annotations

import io
import json
import zipfile

import yaml
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from . import accounts, audit, dossiers, portfolios
from .models import Account, AuditEvent, Dossier, Invitation, LoginFailure


def _account_record(db: Session, account: Account) -> dict:
    failures = db.scalars(select(LoginFailure).where(LoginFailure.email == account.email).order_by(LoginFailure.at))
    return {
        "compte": {"nom": account.name, "email": account.email, "cree_le": account.created_at.isoformat()},
        "mot_de_passe": "conservé uniquement sous forme d'empreinte argon2, jamais en clair",
        "equipes": [
            {"nom": m.organisation.name, "role": accounts.ROLES[m.role].split(" (")[0]} for m in account.memberships
        ],
        # dates only: the address belongs to whoever typed the wrong password, maybe someone else
        "invitations_recues": [
            {
                "equipe": i.organisation.name,
                "role": accounts.ROLES[i.role].split(" (")[0],
                "le": i.created_at.isoformat(),
            }
            for i in accounts.invitations_for(db, account)
        ],
        "connexions_refusees": [{"le": f.at.isoformat()} for f in failures],
        "journal": [
            {"le": e.at.isoformat(), "dossier": e.dossier_id, "action": e.action, "detail": e.detail}
            for e in audit.by_account(db, account.id)
        ],
    }


def export_account(db: Session, account: Account) -> bytes:
    """A ZIP: ``compte.json`` (the account, its teams, its journal) and each dossier that is its own."""
    buffer = io.BytesIO()
    own = db.scalars(
        select(Dossier)
        .where(Dossier.owner_id == account.id, Dossier.organisation_id.is_(None))  # a team's dossiers are the team's
        .order_by(Dossier.created_at)
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        record = _account_record(db, account)
        archive.writestr("compte.json", json.dumps(record, ensure_ascii=False, indent=2))
        archive.writestr(
            "portefeuille.json", json.dumps(portfolios.export(db, account.id), ensure_ascii=False, indent=2)
        )
        for number, dossier in enumerate(own, start=1):
            folder = f"dossiers/{number:03d}-{dossier.id[:8]}"
            archive.writestr(
                f"{folder}/{dossiers.CLAIM_NAME}", yaml.safe_dump(dossier.claim, allow_unicode=True, sort_keys=False)
            )
            for evidence in dossier.files:
                archive.writestr(f"{folder}/{evidence.path}", evidence.data)
    return buffer.getvalue()


def teams_left_without_supervisor(account: Account) -> list[str]:
    """Teams whose only supervisor is this account while others remain: it cannot leave them so."""
    blocking = []
    for membership in account.memberships:
        others = [m for m in membership.organisation.memberships if m.account_id != account.id]
        supervisors = [m for m in others if m.role == accounts.SUPERVISOR]
        if membership.role == accounts.SUPERVISOR and others and not supervisors:
            blocking.append(membership.organisation.name)
    return blocking


def delete_account(db: Session, account: Account) -> int:
    """Erase an account: its own dossiers and their files, teams it was alone in, its sign-in traces.

    A team's dossiers stay with the team. The dossiers' journals keep what was done, but
    no longer say by whom. Returns how many dossiers were deleted. The caller commits.
    """
    deleted = 0
    alone = [m.organisation for m in account.memberships if len(m.organisation.memberships) == 1]
    own = db.scalars(select(Dossier).where(Dossier.owner_id == account.id, Dossier.organisation_id.is_(None)))
    team_dossiers = db.scalars(select(Dossier).where(Dossier.organisation_id.in_([o.id for o in alone])))
    for dossier in [*own, *team_dossiers]:
        db.add(AuditEvent(dossier_id=dossier.id, actor="compte supprimé", action="supprimé", detail="avec le compte"))
        db.delete(dossier)
        deleted += 1
    db.execute(update(Dossier).where(Dossier.owner_id == account.id).values(owner_id=None))
    pseudonym = f"compte supprimé n° {account.id}"
    db.execute(update(AuditEvent).where(AuditEvent.account_id == account.id).values(actor=pseudonym, account_id=None))
    db.execute(delete(LoginFailure).where(LoginFailure.email == account.email))
    db.execute(delete(Invitation).where(Invitation.email == account.email))
    for organisation in alone:
        db.delete(organisation)
    db.delete(account)
    return deleted
