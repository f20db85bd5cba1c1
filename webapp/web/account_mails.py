"""Accounts by e-mail: the confirmation of an address, "mot de passe oublié", invitations by mail.

Every answer that could tell whether an address has an account is the same either way:
the owner of the address gets a mail instead. Links are signed and expire
(``store.accounts``); a bad one gets a French page with what to do, never an error 500.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, logout_user

from ..store import accounts
from ..store.models import Organisation, OutboxMessage
from . import db, mailer
from . import forms as f
from .common import current_account

bp = Blueprint("account_mails", __name__)


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def deliver(row: OutboxMessage | None) -> None:
    """Try a committed mail at once (nothing to do when none was queued)."""
    if row is not None:
        mailer.send_now(row)


def _verification(account, next_url: str | None = None) -> OutboxMessage:
    """The confirmation mail; ``next_url``: the page to open after signing in (checked at sign-in)."""
    token = accounts.verification_token(_secret(), account)
    return mailer.queue(
        "verification",
        "verification",
        account.email,
        name=account.name,
        link=mailer.link("account_mails.confirm", signed=token, suivant=next_url or None),
        hours=int(accounts.VERIFY_MAX_AGE.total_seconds() // 3600),
        account_id=account.id,
    )


def _reset(account, template: str = "reset") -> OutboxMessage:
    token = accounts.reset_token(_secret(), account)
    return mailer.queue(
        "reset",
        template,
        account.email,
        name=account.name,
        link=mailer.link("account_mails.reset", signed=token),
        minutes=int(accounts.RESET_MAX_AGE.total_seconds() // 60),
        account_id=account.id,
    )


def sign_up(email: str, name: str, password: str, next_url: str | None = None) -> None:
    """A new account and its confirmation mail; for a known address, a mail to its owner instead."""
    email = accounts.normalise_email(email)
    existing = accounts.by_email(db.session(), email)
    row = None
    if existing is None:
        try:
            account = accounts.create_account(db.session(), email, name, password)
        except accounts.AccountError as error:
            if error.field != "email":
                raise
            return  # created by a request at the same moment: its own mail is on its way
        row = _verification(account, next_url)
    else:
        accounts.spend_hashing_time(password)  # as long as a real sign-up: the time tells nothing either
        if not mailer.recently_sent("signup", email) and not mailer.recently_sent("reset", email):
            row = _existing(existing)
    db.session().commit()
    deliver(row)


def _existing(account) -> OutboxMessage:
    """To the owner of an address signed up again: how to sign in, or how to finish the account."""
    if not accounts.is_verified(account):
        return _reset(account, "signup-finish")  # only the address's owner chooses the password
    row = mailer.queue(
        "signup",
        "signup-existing",
        account.email,
        name=account.name,
        login_link=mailer.link("accounts.login"),
        reset_link=mailer.link("account_mails.forgot"),
        account_id=account.id,
    )
    return row


def invitation(organisation: Organisation, email: str, role: str) -> OutboxMessage:
    """The mail of a team's invitation, queued in the transaction that records it."""
    return mailer.queue(
        "invitation",
        "invitation",
        accounts.normalise_email(email),
        inviter=current_account().name,
        team=organisation.name,
        role=role,
        email=accounts.normalise_email(email),
        link=mailer.link("accounts.overview"),
    )


def check_your_mail(email: str, reset: bool = False):
    """Post/redirect/get to "regardez vos courriels" (a reload sends nothing twice); the address in the session."""
    session["mail_sent_to"] = {"email": accounts.normalise_email(email), "reset": reset}
    return redirect(url_for("account_mails.mail_sent"))


@bp.route("/compte/courriel-envoye")
def mail_sent():
    sent = session.get("mail_sent_to") or {}
    if not sent:
        return redirect(url_for("accounts.login"))
    return render_template("accounts/check_mail.html", email=sent["email"], reset=sent["reset"])


def _link_error(error: accounts.LinkError, title: str):
    return render_template("accounts/link_error.html", title=title, message=str(error)), 400


@bp.route("/compte/confirmer/<signed>")
def confirm(signed):
    """The link of the confirmation mail: the address is the account holder's."""
    try:
        account, already = accounts.verify_email(db.session(), _secret(), signed, datetime.now(UTC))
    except accounts.LinkError as error:
        return _link_error(error, "Lien de confirmation inutilisable")
    db.session().commit()
    flash("Cette adresse était déjà confirmée." if already else "Adresse confirmée : votre compte est actif.")
    if current_account() is not None and current_account().id == account.id:
        return redirect(url_for("accounts.overview"))
    return redirect(url_for("accounts.login", suivant=request.args.get("suivant") or None))


@bp.route("/compte/confirmation/renvoyer", methods=["POST"])
@login_required
def resend():
    """A new confirmation link for the signed-in account (one every few minutes at most)."""
    account = current_account()
    if accounts.is_verified(account):
        flash("Votre adresse est déjà confirmée.")
    elif mailer.recently_sent("verification", account.email):
        flash("Un lien vient de vous être envoyé : regardez vos courriels (et le dossier des indésirables).")
    else:
        row = _verification(account)
        db.session().commit()
        deliver(row)
        flash(f"Un nouveau lien de confirmation a été envoyé à {account.email}.")
    return redirect(url_for("accounts.overview"))


@bp.route("/compte/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = f.AddressForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        account = accounts.by_email(db.session(), email)
        row = None
        if account is not None and not mailer.recently_sent("reset", email):
            row = _reset(account)
            db.session().commit()
        deliver(row)
        return check_your_mail(email, reset=True)
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/compte/nouveau-mot-de-passe/<signed>", methods=["GET", "POST"])
def reset(signed):
    """Choose a new password from the mailed link: it works once, and every session ends."""
    try:
        accounts.reset_account(db.session(), _secret(), signed)
    except accounts.LinkError as error:
        return _link_error(error, "Lien de mot de passe inutilisable")
    form = f.NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(db.session(), _secret(), signed, form.password.data, datetime.now(UTC))
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session().commit()
            logout_user()
            session.clear()
            flash("Mot de passe changé. Vous êtes déconnecté de tous vos appareils : connectez-vous avec le nouveau.")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200
