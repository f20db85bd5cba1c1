"""Shared fixtures: the real procedure library and a factory of claim data."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from webapp.config import procedures_dir
from webapp.domain.assessment import assess
from webapp.domain.claim_file import claim_from_data
from webapp.domain.procedures import load_library

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

CREDITOR = {
    "name": "Atelier Dupont SARL",
    "kind": "company",
    "siren": "732829320",
    "address": {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris"},
}
DEBTOR = {
    "name": "Boulangerie Martin SAS",
    "kind": "company",
    "legal_form": "SAS",
    "address": {"line1": "3 place du Marché", "postcode": "33000", "city": "Bordeaux"},
}
LYON = {"line1": "3 place Bellecour", "postcode": "69002", "city": "Lyon"}


def parties(creditor: dict | None = None, debtor: dict | None = None) -> dict:
    """The sample creditor and debtor (copies), with any field replaced."""
    return {
        "creditor": {**copy.deepcopy(CREDITOR), **(creditor or {})},
        "debtor": {**copy.deepcopy(DEBTOR), **(debtor or {})},
    }


BASE_CLAIM = {
    **parties(),
    "invoices": [{"number": "F-1", "issued": "2025-01-01", "due": "2025-01-31", "amount": "1000.00"}],
}


def dument(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run the `dument` command as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.fixture(scope="session")
def library():
    return load_library(procedures_dir())


@pytest.fixture
def claim_data():
    """A fresh copy of a minimal business-to-business claim, to modify in a test."""
    return copy.deepcopy(BASE_CLAIM)


@pytest.fixture
def run(library):
    """Assess plain claim data on a date (ISO string or date)."""

    def _run(data, on):
        on = date.fromisoformat(on) if isinstance(on, str) else on
        return assess(claim_from_data(data), library, on)

    return _run


@pytest.fixture(scope="session")
def poppler():
    """pdftotext and pdftoppm read generated PDFs back; their absence is a failure, not a skip."""
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install Debian's poppler-utils (scripts/setup.sh does)")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (each test opens its own context)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium); "
            "the browser tests never download a browser"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


TEST_DATABASE_URL = os.environ.get("DUMENT_TEST_DATABASE_URL")  # e.g. postgresql://… (see .ci/run)


def fresh_database_url(tmp_path) -> str:
    """An empty database for one test: a new SQLite file, or the test PostgreSQL schema emptied.

    On PostgreSQL each pytest-xdist worker has a schema of its own (its name on the
    connection's search_path), so the suite runs on both cores there too.
    """
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    from sqlalchemy import create_engine, text

    from webapp.store.database import database_url

    schema = os.environ.get("PYTEST_XDIST_WORKER", "public")
    url = TEST_DATABASE_URL + ("&" if "?" in TEST_DATABASE_URL else "?") + f"options=-csearch_path%3D{schema}"
    engine = create_engine(database_url(TEST_DATABASE_URL))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path):
    """The web application on a fresh database, schema made by the migrations."""
    from webapp import create_app
    from webapp.web import db

    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": fresh_database_url(tmp_path),
            "MAIL_DIR": str(tmp_path / "mail"),  # captured mail (tests/mailbox.py reads it), never the repo's instance/
        }
    )
    db.upgrade(application)
    yield application
    db.engine(application).dispose()


@pytest.fixture
def client(app):
    return app.test_client()
