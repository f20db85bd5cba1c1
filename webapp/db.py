"""The database: one engine per app, one session per request, schema by Alembic.

SQLite by default (a file in the instance folder); any SQLAlchemy URL through
DATABASE_URL. The schema is created and upgraded by Alembic migrations
(``flask --app webapp init-db``), never implicitly by the app factory.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(url: str) -> str:
    """``postgresql://…`` names Dûment's driver (psycopg 3) rather than SQLAlchemy's default."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def init_app(app: Flask) -> None:
    app.config["DATABASE_URL"] = database_url(app.config["DATABASE_URL"])
    engine = create_engine(app.config["DATABASE_URL"], future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    app.extensions["dument_engine"] = engine
    app.extensions["dument_sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session() -> Session:
    """The request's database session, opened on first use."""
    if "db" not in g:
        g.db = current_app.extensions["dument_sessions"]()
    return g.db


def _close_session(_exc) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def engine(app: Flask) -> Engine:
    return app.extensions["dument_engine"]


def upgrade(app: Flask, revision: str = "head") -> None:
    """Create or upgrade the schema to the latest migration (or to ``revision``)."""
    _migrate(app, command.upgrade, revision)


def downgrade(app: Flask, revision: str) -> None:
    """Take the schema back to ``revision`` (to undo a release)."""
    _migrate(app, command.downgrade, revision)


def _migrate(app: Flask, action, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    with engine(app).begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)
