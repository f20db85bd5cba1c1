"""Trust, round 2, in a real browser: axe-core on every page, and the file-size check before sending.

axe-core (vendored in tests/data/axe/, MPL-2.0, run by tests/axe.py) is evaluated in each page
with Playwright and must find no WCAG 2.1 A or AA violation, colour contrast included (the
other browser tests run it too, on every page they photograph). The browser is
Debian's Chromium; a missing one is a failure, never a skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.axe import violations
from tests.conftest import BASE_CLAIM, fresh_database_url
from tests.test_accounts import PASSWORD
from tests.test_browser import TIMEOUT_MS
from webapp import create_app
from webapp.store import accounts, dossiers
from webapp.web import db

UPLOAD_LIMIT = 4000  # bytes: small, so that the test sends nothing big


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    """A live server with a complete dossier, an account with a team, and the URLs of every page."""
    app = create_app(
        {
            "SECRET_KEY": "axe-tests",
            "WTF_CSRF_ENABLED": True,
            "DATABASE_URL": fresh_database_url(tmp_path_factory.mktemp("axe")),
            "UPLOAD_MAX_BYTES": UPLOAD_LIMIT,
        }
    )
    db.upgrade(app)
    claim = {**BASE_CLAIM, "terms": {"late_penalty_rate": "12"}, "history": {"formal_notice": {"sent": "2025-03-15"}}}
    with app.app_context():
        session = db.session()
        account = accounts.create_account(session, "sophie@example.org", "Sophie Leroy", PASSWORD)
        team = accounts.create_organisation(session, account, "Permanence juridique")
        dossier = dossiers.create(session, claim)
        session.commit()
        token, team_id = dossier.token, team.id
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    steps = ["creancier", "client", "factures", "paiements", "conditions", "preuves", "demarches", "recapitulatif"]
    yield {
        "base": base,
        "anonymous": ["/", "/compte/inscription", "/compte/connexion", "/nulle-part"]
        + [f"/dossier/{token}/etape/{slug}" for slug in steps]
        + [f"/dossier/{token}/{page}" for page in ("analyse?le=23/11/2026", "documents", "a-completer", "supprimer")],
        "signed_in": ["/", "/compte", f"/equipes/{team_id}", "/compte/supprimer"],
        "invoices": f"{base}/dossier/{token}/etape/factures",
    }
    httpd.shutdown()
    thread.join(timeout=5)
    httpd.server_close()
    db.engine(app).dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def check_all(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(base + path)
        if problems := violations(page):
            found[path] = problems
    return found


def test_axe_finds_nothing_on_any_page_of_a_visitor(page, site):
    assert check_all(page, site["base"], site["anonymous"]) == {}


def test_axe_finds_nothing_on_any_page_of_a_signed_in_member(page, site):
    page.goto(site["base"] + "/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("sophie@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon compte")
    assert check_all(page, site["base"], site["signed_in"]) == {}


def test_axe_finds_nothing_on_a_step_shown_again_with_errors(page, site):
    page.goto(site["invoices"])
    page.get_by_role("button", name="Ajouter cette facture").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []


def test_a_file_too_large_is_refused_before_sending_and_nothing_typed_is_lost(page, site):
    page.goto(site["invoices"])
    page.get_by_label("Numéro de la facture").fill("F-2026-17")
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    upload = page.get_by_label("Fichier de la facture (PDF, JPEG ou PNG)", exact=False)
    big = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4" + b"x" * (UPLOAD_LIMIT * 2)}
    upload.set_input_files(big)
    alert = page.locator(".error[role=alert]").filter(has_text="dépasse")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("scan.pdf")
    assert page.evaluate("() => document.querySelector('input[type=file]').files.length") == 0
    page.get_by_role("button", name="Ajouter cette facture").click()  # the server says what is missing
    expect(page.get_by_label("Numéro de la facture")).to_have_value("F-2026-17")
    assert all("scan.pdf" not in (request.post_data or "") for request in sent)
