"""The Flask application factory: configuration in layers, then wiring only."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, render_template
from flask_wtf.csrf import CSRFProtect

from . import config, db
from .domain.procedures import load_library


class Defaults:
    """Defaults for a local installation; production overrides them with DUMENT_* variables."""

    MAX_CONTENT_LENGTH = 25 * 1024 * 1024  # one request: one upload of at most 20 MB
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_MAX_PAGES = 100
    DOSSIER_MAX_BYTES = 100 * 1024 * 1024
    PERMANENT_SESSION_LIFETIME = timedelta(days=90)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open overnight still submits
    SESSION_COOKIE_SECURE = False  # set DUMENT_SESSION_COOKIE_SECURE=true behind HTTPS
    RETENTION_DAYS = 730  # dossiers untouched this long are deleted by `flask --app webapp purge`


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
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("DUMENT")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault(
        "DATABASE_URL", os.environ.get("DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'dument.sqlite3'}")
    )
    if not app.config.get("SECRET_KEY"):  # Flask's own default is None, so setdefault would not do
        app.config["SECRET_KEY"] = _local_secret_key(Path(app.instance_path))
    app.extensions["dument_library"] = load_library(config.procedures_dir())
    db.init_app(app)
    CSRFProtect(app)
    _register(app)
    return app


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
    """No inline script, no framing, no sniffing, no resume link leaked in a Referer."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def _register(app: Flask) -> None:
    app.after_request(_security_headers)
    from .web import filters, home, results, wizard

    app.register_blueprint(home.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(results.bp)
    filters.register(app)

    @app.errorhandler(404)
    def not_found(_error):
        return render_template(
            "error.html",
            title="Page introuvable",
            message="Cette page n'existe pas, ou ce dossier n'est pas accessible avec ce lien.",
        ), 404

    @app.errorhandler(413)
    def too_large(_error):
        return render_template(
            "error.html",
            title="Fichier trop volumineux",
            message="Le fichier envoyé dépasse la taille autorisée (20 Mo). Réduisez-le ou "
            "numérisez-le en résolution plus basse.",
        ), 413

    @app.cli.command("purge")
    def purge():
        """Delete for good the dossiers untouched for RETENTION_DAYS (personal data are not kept forever)."""
        from datetime import UTC, datetime

        from . import store
        from .models import AuditEvent

        limit = datetime.now(UTC) - timedelta(days=int(app.config["RETENTION_DAYS"]))
        with app.app_context():
            session = db.session()
            old = store.stale(session, limit)
            for dossier in old:
                session.add(
                    AuditEvent(
                        dossier_id=dossier.id,
                        actor="conservation",
                        action="supprimé",
                        detail=f"délai de conservation de {app.config['RETENTION_DAYS']} jours",
                    )
                )
                session.delete(dossier)
            session.commit()
        click.echo(f"{len(old)} dossier(s) supprimé(s), non modifiés depuis le {limit:%d/%m/%Y}.")

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (Alembic migrations)."""
        db.upgrade(app)
        click.echo(f"Base de données prête : {app.config['DATABASE_URL']}")
