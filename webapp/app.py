"""The Flask application factory: configuration in layers, then wiring only."""

from __future__ import annotations

import functools
import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm.exc import StaleDataError

from . import config
from .domain.procedures import Library, load_library
from .web import db
from .web.upload_stream import DumentRequest


class Defaults:
    """Defaults for a local installation; production overrides them with DUMENT_* variables."""

    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # one request: one upload of at most 20 MB
    # A wizard step's request may be larger: a file over the limit is dropped as it arrives and the
    # step shown again with every typed field (web/upload_stream.py), rather than a bare 413 page.
    WIZARD_MAX_REQUEST_BYTES = 100 * 1024 * 1024
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_MAX_PAGES = 100
    DOSSIER_MAX_BYTES = 100 * 1024 * 1024
    IMPORT_MAX_MEMBERS = 500  # files in one imported ZIP (checked before any is read)
    PERMANENT_SESSION_LIFETIME = timedelta(days=90)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open overnight still submits
    SESSION_COOKIE_SECURE = False  # always true in production (DUMENT_PRODUCTION=true)
    PRODUCTION = False  # true: the secret key must come from DUMENT_SECRET_KEY, cookies need HTTPS
    RETENTION_DAYS = 365  # closed dossiers are deleted this long after closing (`flask --app webapp purge`)
    ABANDONED_DAYS = 730  # open dossiers nobody touched this long are deleted too
    LOGIN_MAX_FAILURES = 5  # failed sign-ins per e-mail address within the window…
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20  # …or from one IP address, before each further try waits…
    LOGIN_MAX_DELAY_SECONDS = 60  # …1 s, 2 s, 4 s… up to this; a known device is counted on its own
    LOGIN_WINDOW_MINUTES = 15
    TRUSTED_PROXIES = 0  # behind a reverse proxy: how many set X-Forwarded-For (the client's address)
    MAIL_URL = ""  # smtp://user:password@host:587 (STARTTLS) or smtps://…:465; empty: .eml files in MAIL_DIR
    MAIL_DIR = ""  # default: instance/mail
    MAIL_FROM = "Dûment <ne-pas-repondre@localhost>"  # the instance's address; Reply-To is the creditor's
    BASE_URL = ""  # https://dument.example.org: links in e-mails (required in production)


def build_app(test_config: dict | None = None) -> Flask:
    instance = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("DUMENT_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(instance) if instance else None,
        instance_relative_config=True,
        template_folder="templates",
        static_folder=str(config.static_dir()),
        static_url_path="/static",
    )
    app.request_class = DumentRequest
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("DUMENT")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault(
        "DATABASE_URL", os.environ.get("DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'dument.sqlite3'}")
    )
    _secure(app)
    app.extensions["dument_library"] = _library(config.procedures_dir())
    db.init_app(app)
    CSRFProtect(app)
    _login_manager(app)
    if int(app.config["TRUSTED_PROXIES"]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _register(app)
    return app


@functools.lru_cache(maxsize=4)
def _library(folder: Path) -> Library:
    """The procedure library of a folder, parsed once per process (it is immutable)."""
    return load_library(folder)


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def _secure(app: Flask) -> None:
    """Production needs its secret from the environment and HTTPS cookies; locally a key is kept."""
    if app.config["PRODUCTION"]:
        if len(str(app.config.get("SECRET_KEY") or "")) < 32:
            raise ConfigurationError(
                "DUMENT_SECRET_KEY is required in production (DUMENT_PRODUCTION=true), 32 characters or more: a random "
                "value, the same on every server, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if not str(app.config.get("BASE_URL") or "").startswith("https://"):
            raise ConfigurationError(
                "DUMENT_BASE_URL is required in production (DUMENT_PRODUCTION=true): the https:// address of this "
                "instance, used for the links in e-mails (never taken from a request's Host header)"
            )
        app.config["SESSION_COOKIE_SECURE"] = True
    elif not app.config.get("SECRET_KEY"):  # Flask's own default is None, so setdefault would not do
        app.config["SECRET_KEY"] = _local_secret_key(Path(app.instance_path))


def _login_manager(app: Flask) -> None:
    from flask_login import LoginManager

    from .store.models import Account

    manager = LoginManager(app)
    manager.login_view = "accounts.login"
    manager.login_message = "Connectez-vous pour continuer."
    manager.login_message_category = "status"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_account(session_id: str):
        """The account of a session cookie, unless it signed out (or was deleted) since."""
        account_id, _, token = session_id.partition(":")
        account = db.session().get(Account, int(account_id)) if account_id.isdigit() else None
        if account is None or not token or not hmac.compare_digest(account.session_token, token):
            return None
        return account


def _local_secret_key(instance: Path) -> str:
    """A secret kept in the instance folder, generated on first run, for local use."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    """No inline script, no framing, no sniffing, no resume link leaked in a Referer, nothing cached.

    Pages and downloads hold someone's debts: a shared computer's cache must not keep them.
    Over HTTPS in production, browsers are told to use nothing else (HSTS).
    """
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if current_app.config["PRODUCTION"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


ERROR_PAGES = {
    404: ("Page introuvable", "Cette page n'existe pas, ou ce dossier n'est pas accessible avec ce lien."),
    413: (
        "Fichier trop volumineux",
        "Le fichier envoyé dépasse la taille autorisée (20 Mo). Réduisez-le ou numérisez-le en résolution plus basse.",
    ),
    500: (
        "Erreur du serveur",
        "Une erreur imprévue est survenue : rien n'a été enregistré de la dernière action. "
        "Réessayez ; si l'erreur revient, signalez-la en indiquant l'heure.",
    ),
}


def _error_page(status: int, title: str, message: str):
    """A handler that answers ``status`` with a French page saying what happened."""

    def handler(_error):
        return render_template("error.html", title=title, message=message), status

    return handler


def _register(app: Flask) -> None:
    app.after_request(_security_headers)
    from .web import (
        account_mails,
        accounts,
        calendar,
        checklist,
        dashboard,
        einvoices,
        filters,
        followup,
        followups,
        home,
        ledger_import,
        mail_views,
        ownership,
        profile,
        results,
        wizard,
    )

    app.register_blueprint(home.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(account_mails.bp)
    app.register_blueprint(mail_views.bp)
    app.register_blueprint(followups.bp)
    app.register_blueprint(ownership.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(ledger_import.bp)
    app.register_blueprint(profile.bp)
    app.register_blueprint(einvoices.bp)
    app.register_blueprint(followup.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(checklist.bp)
    filters.register(app)

    for status, (title, message) in ERROR_PAGES.items():
        app.register_error_handler(status, _error_page(status, title, message))

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        """A form without its security token (or from another site): say so in French, nothing saved."""
        message = (
            "Ce formulaire n'a pas pu être vérifié (page ouverte depuis trop longtemps, cookies refusés, ou "
            "envoyée depuis un autre site) : rien n'a été enregistré. Revenez en arrière, rechargez la page, "
            "puis recommencez."
        )
        return render_template("error.html", title="Formulaire expiré", message=message), 400

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(_error):
        """Someone saved the same dossier between our reading and our writing: nothing written."""
        from .web.common import conflict

        db.session().rollback()
        return conflict()

    @app.cli.command("purge")
    def purge():
        """Delete for good the dossiers past their retention period (personal data are not kept forever)."""
        from .store.retention import purge_expired

        with app.app_context():
            closed, abandoned = purge_expired(db.session(), app.config["RETENTION_DAYS"], app.config["ABANDONED_DAYS"])
        click.echo(f"{closed} dossier(s) clos et {abandoned} dossier(s) abandonné(s) supprimé(s).")

    from .web.followups_cli import followups as followups_command

    app.cli.add_command(followups_command)

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (Alembic migrations)."""
        db.upgrade(app)
        click.echo(f"Base de données prête : {app.config['DATABASE_URL']}")
