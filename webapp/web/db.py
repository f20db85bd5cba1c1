"""The database in the web app: one engine per app, one session per request.

The engine and the migrations are ``webapp.store.database``; this module only ties them
to Flask's application and request.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..store import database


def init_app(app: Flask) -> None:
    app.config["DATABASE_URL"] = database.database_url(app.config["DATABASE_URL"])
    engine = database.make_engine(app.config["DATABASE_URL"])
    app.extensions["dument_engine"] = engine
    app.extensions["dument_sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


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
    """Create or upgrade the app's schema to the latest migration (or to ``revision``)."""
    database.upgrade(engine(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    database.downgrade(engine(app), revision)
