"""Accounts and teams: passwords, sign-in limits, and who may open, verify or own a dossier.

Plain functions over a SQLAlchemy session, without Flask, so the rules are tested on
their own. The access rule is one function, ``can_open``, used by every dossier page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import passwords
from .models import Account, Dossier, Invitation, LoginFailure, Membership, Organisation

VOLUNTEER = "benevole"
SUPERVISOR = "superviseur"
ROLES = {VOLUNTEER: "Bénévole (prépare les dossiers)", SUPERVISOR: "Superviseur (vérifie avant envoi)"}
TAKEN = "Un compte existe déjà avec cette adresse."  # never shown: sign-up answers alike either way

# OWASP's first recommended argon2id setting (19 MiB, 2 passes, 1 lane): ~40 ms on a small
# server, where the library's default (64 MiB, 3 passes, 4 lanes) made every sign-in cost a
# quarter of a second of CPU. Hashes made with other settings are upgraded at the next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("a password nobody has")  # so an unknown e-mail costs as much as a wrong password


class AccountError(ValueError):
    """A request about accounts that cannot be done, with the French reason and the field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def by_email(db: Session, email: str) -> Account | None:
    return db.scalar(select(Account).where(Account.email == normalise_email(email)))


def create_account(db: Session, email: str, name: str, password: str) -> Account:
    """A new account; the password is kept only as an argon2 hash. Rolls back if the e-mail is taken.

    The password is judged and hashed before the address is looked up, so that a taken
    address answers neither sooner nor differently about the password.
    """
    if refused := passwords.problem(password, name, email):
        raise AccountError("password", refused)
    password_hash = _hasher.hash(password)
    if by_email(db, email) is not None:
        raise AccountError("email", TAKEN)
    account = Account(email=normalise_email(email), name=name.strip(), password_hash=password_hash)
    db.add(account)
    try:
        db.flush()  # two sign-ups at once (a double click): the unique index decides
    except IntegrityError:
        db.rollback()
        raise AccountError("email", TAKEN) from None
    return account


def authenticate(db: Session, email: str, password: str) -> Account | None:
    """The account if the password is right, else None; upgrades an outdated hash."""
    account = by_email(db, email)
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account


@dataclass(frozen=True)
class Throttle:
    """How sign-in guesses are slowed: free failures, then a delay that doubles with each failure.

    Nobody is locked out: the owner waits seconds, never a quarter of an hour, and a browser
    where the account signed in before (its device cookie) is counted on its own, so that a
    stranger's guesses, or a busy office's typos, do not slow the owner there at all.
    """

    free_per_account: int = 5
    free_per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    max_delay: int = 60  # seconds


DEVICE_PREFIX = "appareil:"


def wait_seconds(
    db: Session, email: str, address: str, now: datetime, throttle: Throttle, device: str | None = None, mine=None
) -> int:
    """Seconds to wait before this attempt may be checked (0: check it now).

    ``device``: the id of the device cookie this browser holds for this very account, whose
    failures alone then count. ``mine``: this attempt's own failure, already recorded (before
    the check, so attempts sent all at once cannot all slip through) and left out here.
    """
    recent = select(LoginFailure.at).where(LoginFailure.at >= now - throttle.window)
    if mine is not None:
        recent = recent.where(LoginFailure.id != mine.id)
    if device is not None:
        checks = [(recent.where(LoginFailure.address == DEVICE_PREFIX + device), throttle.free_per_account)]
    else:
        account = recent.where(
            LoginFailure.email == normalise_email(email), LoginFailure.address.not_like(DEVICE_PREFIX + "%")
        )
        checks = [
            (account, throttle.free_per_account),
            (recent.where(LoginFailure.address == address), throttle.free_per_address),
        ]
    return max(_wait(list(db.scalars(query)), free, now, throttle.max_delay) for query, free in checks)


def _wait(failures: list[datetime], free: int, now: datetime, cap: int) -> int:
    """After ``free`` failures, 1 s, 2 s, 4 s… (at most ``cap``) since the latest one."""
    if len(failures) < free:
        return 0
    delay = min(cap, 2 ** min(len(failures) - free, 16))
    latest = max(at if at.tzinfo else at.replace(tzinfo=UTC) for at in failures)  # SQLite forgets the zone
    return max(0, math.ceil(delay - (now - latest).total_seconds()))


def record_failure(db: Session, email: str, address: str, now: datetime, window: timedelta) -> LoginFailure:
    """Note a failed sign-in, and forget those older than the window (nothing kept for long)."""
    db.execute(delete(LoginFailure).where(LoginFailure.at < now - window))
    failure = LoginFailure(email=normalise_email(email)[:254], address=address[:64], at=now)
    db.add(failure)
    return failure


def role_in(account: Account | None, organisation_id: int | None) -> str | None:
    if account is None or organisation_id is None:
        return None
    return next((m.role for m in account.memberships if m.organisation_id == organisation_id), None)


def can_open(account: Account | None, dossier: Dossier) -> bool:
    """A team's dossier opens for its members, an account's for its owner, any other for its link."""
    if dossier.organisation_id is not None:
        return role_in(account, dossier.organisation_id) is not None
    if dossier.owner_id is not None:
        return account is not None and account.id == dossier.owner_id
    return True


def can_verify(account: Account | None, dossier: Dossier) -> bool:
    return role_in(account, dossier.organisation_id) == SUPERVISOR


def needs_verification(dossier: Dossier) -> bool:
    """A team's documents go out only once a supervisor has checked the current version."""
    return dossier.organisation_id is not None and not dossier.verified


def can_take(account: Account, dossier: Dossier, organisation_id: int | None) -> bool:
    """Whether ``account`` may move ``dossier`` into its own space or into one of its teams."""
    if dossier.organisation_id is not None:
        return False  # a team's dossier stays with the team
    if dossier.owner_id not in (None, account.id):
        return False
    if organisation_id is None:
        return dossier.owner_id is None  # already one's own: nothing to do
    return role_in(account, organisation_id) is not None


def create_organisation(db: Session, founder: Account, name: str) -> Organisation:
    """A new team; whoever creates it is its first supervisor."""
    organisation = Organisation(name=name.strip())
    organisation.memberships.append(Membership(account=founder, role=SUPERVISOR))
    db.add(organisation)
    db.flush()
    return organisation


def invite(db: Session, organisation: Organisation, email: str, role: str, by: Account) -> str:
    """Invite an address to the team, or change the role of a member; returns "invité" or "rôle changé".

    The answer never depends on whether an account exists for the address.
    """
    if role not in ROLES:
        raise AccountError("role", "Choisissez un rôle.")
    email = normalise_email(email)
    membership = next((m for m in organisation.memberships if m.account.email == email), None)
    if membership is not None:
        if role != SUPERVISOR and last_supervisor(organisation, membership):
            raise AccountError("role", "L'équipe doit garder au moins un superviseur : nommez-en un autre d'abord.")
        membership.role = role
        return "rôle changé"
    query = select(Invitation).where(Invitation.organisation_id == organisation.id, Invitation.email == email)
    invitation = db.scalar(query) or Invitation(organisation=organisation, email=email)
    invitation.role, invitation.invited_by = role, by.name
    db.add(invitation)
    db.flush()
    return "invité"


def invitations_for(db: Session, account: Account) -> list[Invitation]:
    """The invitations waiting for this account's address."""
    return list(db.scalars(select(Invitation).where(Invitation.email == account.email).order_by(Invitation.id)))


def answer(db: Session, account: Account, invitation_id: int, accepted: bool) -> Invitation | None:
    """Accept (join the team) or decline an invitation addressed to this account; None if there is none."""
    invitation = db.get(Invitation, invitation_id)
    if invitation is None or invitation.email != account.email:
        return None
    if accepted and account.email_verified_at is None:
        raise AccountError(
            "email", "Confirmez d'abord votre adresse e-mail (lien reçu par courriel) pour rejoindre l'équipe."
        )
    if accepted and role_in(account, invitation.organisation_id) is None:
        add_member(db, invitation.organisation, account, invitation.role)
    db.delete(invitation)
    db.flush()
    return invitation


def add_member(db: Session, organisation: Organisation, account: Account, role: str) -> Membership:
    """Put an account in a team (once it has accepted the invitation, or founded the team)."""
    membership = Membership(account=account, organisation=organisation, role=role)
    db.add(membership)
    db.flush()
    return membership


def last_supervisor(organisation: Organisation, membership: Membership) -> bool:
    """Whether this membership is the team's only supervisor (who must stay, or be replaced first)."""
    return [m for m in organisation.memberships if m.role == SUPERVISOR] == [membership]


def dossiers_of(db: Session, account: Account, limit: int | None = None) -> list[Dossier]:
    """The account's own dossiers and its teams' dossiers, most recently changed first."""
    teams = [m.organisation_id for m in account.memberships]
    own = and_(Dossier.owner_id == account.id, Dossier.organisation_id.is_(None))
    query = select(Dossier).where(or_(own, Dossier.organisation_id.in_(teams)))
    return list(db.scalars(query.order_by(Dossier.updated_at.desc()).limit(limit)))


# --- Verified addresses and password resets (signed, expiring links sent by e-mail) -------------
VERIFY_MAX_AGE = timedelta(hours=48)
RESET_MAX_AGE = timedelta(minutes=60)
LINK_ERRORS = {
    "expired": "Ce lien a expiré. Demandez-en un nouveau ci-dessous.",
    "invalid": "Ce lien n'est pas valable (il a peut-être été mal copié). Demandez-en un nouveau ci-dessous.",
    "used": "Ce lien a déjà servi : il ne fonctionne qu'une fois. Demandez-en un nouveau si besoin.",
}


class LinkError(ValueError):
    """A link from an e-mail that cannot be used: ``reason`` is expired, invalid or used."""

    def __init__(self, reason: str):
        super().__init__(LINK_ERRORS[reason])
        self.reason = reason


def is_verified(account: Account | None) -> bool:
    return account is not None and account.email_verified_at is not None


def _signer(secret: str, purpose: str):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret, salt=f"dument-{purpose}")


def _read(secret: str, purpose: str, token: str, max_age: timedelta) -> dict:
    from itsdangerous import BadSignature, SignatureExpired

    try:
        data = _signer(secret, purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise LinkError("expired") from None
    except BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(data, dict):
        raise LinkError("invalid")
    return data


def verification_token(secret: str, account: Account) -> str:
    """A signed link for this account, this address and this password (a reset voids it)."""
    return _signer(secret, "verify").dumps({"a": account.id, "e": account.email, "h": _fingerprint(account)})


def verify_email(db: Session, secret: str, token: str, now: datetime) -> tuple[Account, bool]:
    """Mark the address verified; returns the account and whether it was already verified."""
    data = _read(secret, "verify", token, VERIFY_MAX_AGE)
    account = db.get(Account, data.get("a")) if isinstance(data.get("a"), int) else None
    if account is None or account.email != data.get("e"):
        raise LinkError("invalid")
    if account.email_verified_at is not None:
        return account, True
    if data.get("h") != _fingerprint(account):
        raise LinkError("used")  # the password was chosen again since: that link confirmed it
    account.email_verified_at = now
    return account, False


def _fingerprint(account: Account) -> str:
    """Changes when the password does: a reset link works once, and not after another reset."""
    import hashlib

    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:20]


def reset_token(secret: str, account: Account) -> str:
    return _signer(secret, "reset").dumps({"a": account.id, "h": _fingerprint(account)})


def reset_account(db: Session, secret: str, token: str) -> Account:
    """The account a reset link is for, if it is still usable (not expired, not used)."""
    data = _read(secret, "reset", token, RESET_MAX_AGE)
    account = db.get(Account, data.get("a")) if isinstance(data.get("a"), int) else None
    if account is None:
        raise LinkError("invalid")
    if data.get("h") != _fingerprint(account):
        raise LinkError("used")
    return account


def reset_password(db: Session, secret: str, token: str, password: str, now: datetime) -> Account:
    """Set a new password from a reset link, end every session, and count the address as verified."""
    account = reset_account(db, secret, token)
    if refused := passwords.problem(password, account.name, account.email):
        raise AccountError("password", refused)
    account.password_hash = _hasher.hash(password)
    account.end_sessions()
    if account.email_verified_at is None:
        account.email_verified_at = now  # opening the mail proved the address is theirs
    return account


def spend_hashing_time(password: str) -> None:
    """Hash for nothing, so that a sign-up for an existing address takes as long as a real one."""
    _hasher.hash(password)
