"""Everything Dûment holds about one person, as one archive (right of access, art. 15 RGPD)."""

from __future__ import annotations

import io
import json
import zipfile

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import accounts, audit, store
from .models import Account, Dossier, LoginFailure


def _account_record(db: Session, account: Account) -> dict:
    failures = db.scalars(select(LoginFailure).where(LoginFailure.email == account.email).order_by(LoginFailure.at))
    return {
        "compte": {"nom": account.name, "email": account.email, "cree_le": account.created_at.isoformat()},
        "mot_de_passe": "conservé uniquement sous forme d'empreinte argon2, jamais en clair",
        "equipes": [
            {"nom": m.organisation.name, "role": accounts.ROLES[m.role].split(" (")[0]} for m in account.memberships
        ],
        "connexions_refusees": [{"le": f.at.isoformat(), "adresse_ip": f.address} for f in failures],
        "journal": [
            {"le": e.at.isoformat(), "dossier": e.dossier_id, "action": e.action, "detail": e.detail}
            for e in audit.by_account(db, account.id)
        ],
    }


def export_account(db: Session, account: Account) -> bytes:
    """A ZIP: ``compte.json`` (the account, its teams, its journal) and each dossier it created."""
    buffer = io.BytesIO()
    own = db.scalars(select(Dossier).where(Dossier.owner_id == account.id).order_by(Dossier.created_at))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        record = _account_record(db, account)
        archive.writestr("compte.json", json.dumps(record, ensure_ascii=False, indent=2))
        for number, dossier in enumerate(own, start=1):
            folder = f"dossiers/{number:03d}-{dossier.id[:8]}"
            archive.writestr(
                f"{folder}/{store.CLAIM_NAME}", yaml.safe_dump(dossier.claim, allow_unicode=True, sort_keys=False)
            )
            for evidence in dossier.files:
                archive.writestr(f"{folder}/{evidence.path}", evidence.data)
    return buffer.getvalue()
