"""Sign-up, sign-in and out, the account page, teams and their members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select

from ..store import accounts, audit
from ..store.models import Invitation, Organisation
from ..store.personal_data import delete_account, export_account, teams_left_without_supervisor
from . import account_mails, db, devices, journal
from . import forms as f
from .common import SESSION_KEY, current_account, remembered

bp = Blueprint("accounts", __name__)


def _safe_next(default: str) -> str:
    """Where to go after signing in: only a path of this site, never another site.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/\t/evil" or "/\\evil"
    would lead elsewhere: a target with any of them, or with a scheme or host, is refused.
    """
    target = request.args.get("suivant") or request.args.get("next") or ""  # ours, or Flask-Login's
    parts = urlsplit(target)
    unsafe = any(ord(c) < 0x21 or c == "\\" for c in target) or parts.scheme or parts.netloc
    if target.startswith("/") and not target.startswith("//") and not unsafe:
        return target
    return default


def _sign_in(account) -> None:
    """Start a fresh signed-in session, keeping only this browser's list of anonymous dossiers."""
    kept = {key: session[key] for key in (SESSION_KEY, "actor") if key in session}  # "actor": the browser's id
    session.clear()
    session.update(kept)
    login_user(account)
    session.permanent = True


@bp.route("/compte/inscription", methods=["GET", "POST"])
def signup():
    """Create an account and mail a confirmation link; the answer is the same if the address has one.

    Nobody is signed in here: whoever typed the address proves it is theirs by opening the
    mail. The owner of an existing account gets a mail saying so instead (with a reset link).
    """
    form = f.SignupForm()
    if form.validate_on_submit():
        try:
            account_mails.sign_up(
                form.email.data, form.name.data, form.password.data, next_url=request.args.get("suivant")
            )
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            return account_mails.check_your_mail(form.email.data)
    status = 400 if form.errors else 200
    return render_template("accounts/signup.html", form=form), status


def _throttle() -> accounts.Throttle:
    config = current_app.config
    return accounts.Throttle(
        free_per_account=int(config["LOGIN_MAX_FAILURES"]),
        free_per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        window=timedelta(minutes=int(config["LOGIN_WINDOW_MINUTES"])),
        max_delay=int(config["LOGIN_MAX_DELAY_SECONDS"]),
    )


def _too_soon(seconds: int) -> str:
    return (
        f"Trop d'essais infructueux : patientez {seconds} seconde{'s' if seconds > 1 else ''} avant de réessayer. "
        "Sur un appareil où vous vous êtes déjà connecté, la connexion reste possible sans attendre."
    )


@bp.route("/compte/connexion", methods=["GET", "POST"])
def login():
    """Sign in; repeated failures slow further guesses down (growing delays), never lock the owner out."""
    form = f.LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400 if form.errors else 200
    database, now, throttle = db.session(), datetime.now(UTC), _throttle()
    device = devices.trusted(form.email.data)
    address = request.remote_addr or "?"
    where = accounts.DEVICE_PREFIX + device if device else address
    attempt = accounts.record_failure(database, form.email.data, where, now, throttle.window)
    database.commit()  # counted before the check: attempts sent all at once cannot all pass
    wait = accounts.wait_seconds(database, form.email.data, address, now, throttle, device=device, mine=attempt)
    if wait:
        database.delete(attempt)  # a refused attempt does not prolong the wait
        database.commit()
        form.password.errors.append(_too_soon(wait))
        return render_template("accounts/login.html", form=form), 429
    account = accounts.authenticate(database, form.email.data, form.password.data)
    if account is None:
        form.password.errors.append("Adresse e-mail ou mot de passe incorrect.")
        return render_template("accounts/login.html", form=form), 400
    database.delete(attempt)
    database.commit()
    _sign_in(account)
    response = redirect(_safe_next(url_for("accounts.overview")))
    devices.remember(response, account.email)
    return response


@bp.route("/compte/deconnexion", methods=["POST"])
def logout():
    """Sign out here and on every other device (the account's sessions all end)."""
    account = current_account()
    if account is not None:
        account.end_sessions()
        db.session().commit()
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté.")
    return redirect(url_for("home.index"))


@bp.route("/compte")
@login_required
def overview():
    account = current_account()
    return render_template(
        "accounts/overview.html",
        account=account,
        dossiers=accounts.dossiers_of(db.session(), account),
        loose=[d for d in remembered() if d.owner_id is None and d.organisation_id is None],
        invitations=accounts.invitations_for(db.session(), account),
        organisation_form=f.OrganisationForm(),
        empty=f.EmptyForm(),
        roles=accounts.ROLES,
    )


@bp.route("/compte/mes-donnees.zip")
@login_required
def my_data():
    """Everything Dûment holds about the signed-in person, in one archive."""
    account = current_account()
    name = f"mes-donnees-dument-{datetime.now(UTC):%Y-%m-%d}.zip"
    return Response(
        export_account(db.session(), account),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/compte/supprimer", methods=["GET", "POST"])
@login_required
def delete():
    """Erase the account and what belongs to it alone, after the password is typed again."""
    account, form = current_account(), f.DeleteAccountForm()
    blocking = teams_left_without_supervisor(account)
    if form.validate_on_submit() and not blocking:
        database, now, address = db.session(), datetime.now(UTC), request.remote_addr or "?"
        device = devices.trusted(account.email)
        where = accounts.DEVICE_PREFIX + device if device else address
        if wait := accounts.wait_seconds(database, account.email, address, now, _throttle(), device=device):
            form.password.errors.append(_too_soon(wait))
        elif accounts.authenticate(database, account.email, form.password.data) is None:
            accounts.record_failure(database, account.email, where, now, _throttle().window)
            database.commit()
            form.password.errors.append("Ce n'est pas votre mot de passe : le compte n'a pas été supprimé.")
        else:
            count = delete_account(db.session(), account)
            db.session().commit()
            logout_user()
            session.clear()
            flash(f"Votre compte et {count} dossier(s) ont été supprimés définitivement.")
            return redirect(url_for("home.index"))
    own = [d for d in accounts.dossiers_of(db.session(), account) if d.organisation_id is None]
    status = 400 if form.errors or (blocking and request.method == "POST") else 200
    return render_template("accounts/delete.html", form=form, blocking=blocking, own=own), status


@bp.route("/equipes/nouvelle", methods=["POST"])
@login_required
def new_organisation():
    form = f.OrganisationForm()
    if not form.validate_on_submit():
        flash("Donnez un nom à l'équipe.", "conflict")
        return redirect(url_for("accounts.overview"))
    organisation = accounts.create_organisation(db.session(), current_account(), form.name.data)
    journal.record_team(organisation.id, "équipe créée", organisation.name)
    db.session().commit()
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))


def _organisation_or_404(organisation_id: int, supervisor: bool = False) -> Organisation:
    """The team, for its members only (its supervisors only, for changes); 404 for anyone else."""
    role = accounts.role_in(current_account(), organisation_id)
    if role is None or (supervisor and role != accounts.SUPERVISOR):
        abort(404)
    return db.session().get(Organisation, organisation_id)


def _member_form() -> f.MemberForm:
    form = f.MemberForm()
    form.role.choices = f.options(list(accounts.ROLES.items()))
    return form


@bp.route("/equipes/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisation(organisation_id):
    """The team's members and invitations; its supervisors invite people and change roles."""
    organisation = _organisation_or_404(organisation_id, supervisor=request.method == "POST")
    form = _member_form()
    if form.validate_on_submit():
        try:
            done = accounts.invite(db.session(), organisation, form.email.data, form.role.data, current_account())
        except accounts.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            role = accounts.ROLES[form.role.data].split(" (")[0].lower()
            journal.record_team(organisation_id, done, f"{accounts.normalise_email(form.email.data)} : {role}")
            sent = account_mails.invitation(organisation, form.email.data, role) if done == "invité" else None
            db.session().commit()
            account_mails.deliver(sent)
            flash(
                f"Rôle modifié : {role}."
                if done == "rôle changé"
                else "Invitation enregistrée et envoyée par courriel. La personne la verra dans « Mon compte » en "
                "se connectant avec cette adresse (ou en créant son compte avec elle, puis en la confirmant), et "
                "rejoindra l'équipe si elle l'accepte."
            )
            return redirect(url_for("accounts.organisation", organisation_id=organisation_id))
    supervisor = accounts.role_in(current_account(), organisation_id) == accounts.SUPERVISOR
    return render_template(
        "accounts/organisation.html",
        organisation=organisation,
        form=form,
        empty=f.EmptyForm(),
        roles=accounts.ROLES,
        supervisor=supervisor,
        invitations=db.session().scalars(select(Invitation).where(Invitation.organisation_id == organisation_id)),
        events=audit.team_history(db.session(), organisation_id) if supervisor else [],
    ), 400 if form.errors else 200


@bp.route("/equipes/<int:organisation_id>/invitations/<int:invitation_id>/annuler", methods=["POST"])
@login_required
def cancel_invitation(organisation_id, invitation_id):
    _organisation_or_404(organisation_id, supervisor=True)
    invitation = db.session().get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation_id:
        abort(404)
    db.session().delete(invitation)
    journal.record_team(organisation_id, "invitation annulée", invitation.email)
    db.session().commit()
    flash("Invitation annulée.")
    return redirect(url_for("accounts.organisation", organisation_id=organisation_id))


@bp.route("/invitations/<int:invitation_id>/<any(accepter, refuser):choice>", methods=["POST"])
@login_required
def answer_invitation(invitation_id, choice):
    """Join the team that invited this account, or decline."""
    try:
        invitation = accounts.answer(db.session(), current_account(), invitation_id, accepted=choice == "accepter")
    except accounts.AccountError as error:
        flash(str(error), "conflict")
        return redirect(url_for("accounts.overview"))
    if invitation is None:
        abort(404)
    journal.record_team(
        invitation.organisation_id,
        "invitation acceptée" if choice == "accepter" else "invitation refusée",
    )
    db.session().commit()
    name = invitation.organisation.name
    flash(f"Vous avez rejoint l'équipe « {name} »." if choice == "accepter" else f"Invitation de « {name} » refusée.")
    return redirect(url_for("accounts.overview"))


@bp.route("/equipes/<int:organisation_id>/membres/<int:membership_id>/retirer", methods=["POST"])
@login_required
def remove_member(organisation_id, membership_id):
    """A supervisor removes a member; any member may leave (the last supervisor must be replaced first)."""
    organisation = _organisation_or_404(organisation_id)
    me = current_account()
    membership = next((m for m in organisation.memberships if m.id == membership_id), None)
    supervisor = accounts.role_in(me, organisation_id) == accounts.SUPERVISOR
    if membership is None or not (supervisor or membership.account_id == me.id):
        abort(404)
    if accounts.last_supervisor(organisation, membership):
        flash("L'équipe doit garder au moins un superviseur : nommez-en un autre d'abord.", "conflict")
        return redirect(url_for("accounts.organisation", organisation_id=organisation_id))
    organisation.memberships.remove(membership)
    leaving = membership.account_id == me.id
    journal.record_team(organisation_id, "a quitté l'équipe" if leaving else "membre retiré", membership.account.email)
    db.session().commit()
    if leaving:
        flash(f"Vous avez quitté l'équipe « {organisation.name} ».")
        return redirect(url_for("accounts.overview"))
    flash("Membre retiré de l'équipe.")
    return redirect(url_for("accounts.organisation", organisation_id=organisation_id))
