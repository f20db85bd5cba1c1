"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright's sync API.

The application runs on a live werkzeug server (a thread, a temporary SQLite database,
CSRF enabled) and the browser goes through the pages as a user would: labels, buttons,
uploads and downloads. Every page is photographed to /tmp/dument-screens/ for a human
look. A missing /usr/bin/chromium is a failure, never a skip.
"""

from __future__ import annotations

import io
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.axe import violations
from tests.conftest import LYON, fresh_database_url, parties
from webapp import create_app
from webapp.store import dossiers
from webapp.web import db

SCREENS = Path("/tmp/dument-screens")
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.usefixtures("poppler")


# --- Fixtures --------------------------------------------------------------------------
@dataclass
class Server:
    url: str
    app: Flask

    def seed(self, claim: dict) -> str:
        """A dossier created directly in the database; its wizard URL."""
        with self.app.app_context():
            dossier = dossiers.create(db.session(), claim)
            db.session().commit()
            return f"{self.url}/dossier/{dossier.token}"

    def saved_claim(self, page_url: str) -> dict:
        """What the database holds for the dossier of a page."""
        token = re.search(r"/dossier/([^/]+)/", page_url).group(1)
        with self.app.app_context():
            return dict(dossiers.by_token(db.session(), token).claim)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    database_url = fresh_database_url(folder)
    config = {"SECRET_KEY": "browser-tests", "WTF_CSRF_ENABLED": True, "DATABASE_URL": database_url}
    app = create_app({**config, "MAIL_DIR": str(folder / "mail")})  # captured mail: tests/mailbox.py
    db.upgrade(app)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{httpd.server_port}", app)
    httpd.shutdown()
    thread.join(timeout=5)
    httpd.server_close()
    db.engine(app).dispose()


class Problems:
    """JavaScript errors and failed requests seen by a page: a test ends with none."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.items.append(f"JS error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed load is reported by _response, with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.items.append(f"console: {message.text}")

    def _response(self, response) -> None:
        # No favicon yet: browsers ask for one on their own.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.items.append(f"HTTP {response.status} {response.url}")


@pytest.fixture
def problems() -> Problems:
    return Problems()


def _new_page(browser, problems: Problems, **options):
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        accept_downloads=True,
        **{"viewport": {"width": 1280, "height": 900}, **options},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.without_javascript = options.get("java_script_enabled") is False
    problems.watch(page)
    return page


@pytest.fixture
def page(browser, problems):
    page = _new_page(browser, problems)
    yield page
    page.context.close()
    assert problems.items == []


# --- Helpers ---------------------------------------------------------------------------
def shot(page, name: str) -> None:
    """A full-page screenshot to look at, and the checks every page must pass."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    # A Content-Security-Policy without 'unsafe-inline' will be added: no inline script or handler.
    inline = page.evaluate("""() => [
        ...[...document.querySelectorAll('script:not([src])')].map(() => 'inline <script>'),
        ...[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]
            .filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
    ]""")
    assert inline == [], f"{name}: {inline}"
    # Accessibility: axe-core finds no WCAG 2.1 A/AA violation (contrast included) on the page as shown.
    # axe needs JavaScript: a page shown without it is the same HTML, checked where it runs.
    if not getattr(page, "without_javascript", False):
        assert (found := violations(page)) == [], f"{name}: {found}"


def step_heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)


def label(page, text: str):
    """The field of this label, whether or not it is marked « (facultatif) »."""
    return page.get_by_label(re.compile(rf"^{re.escape(text)}( \(facultatif\))?$"))


def continue_link(page):
    return page.get_by_role("link", name=re.compile(r"^Continuer"))


def submit(page, name: str = "Enregistrer et continuer") -> None:
    page.get_by_role("button", name=name).click()


def download_document(page, title: str, folder: Path) -> Path:
    """Click « Télécharger » on the Documents page for the document ``title``; the saved file."""
    card = page.locator("ul.documents > li", has=page.get_by_role("heading", name=title))
    with page.expect_download(timeout=30_000) as info:
        card.get_by_role("link", name=re.compile("^Télécharger")).click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def invoice_pdf(tmp_path: Path) -> Path:
    """A one-page invoice, as a creditor's accounting software would produce it."""
    from weasyprint import HTML

    path = tmp_path / "facture-F-2025-031.pdf"
    HTML(
        string="<html lang='fr'><body><h1>Facture F-2025-031</h1><p>Atelier Dupont SARL</p>"
        "<p>Réfection de la vitrine : 1 234,56 € TTC</p></body></html>"
    ).write_pdf(path)
    return path


def quote_png(tmp_path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "DEVIS D-2025-012 - Bon pour accord", fill="black")
    path = tmp_path / "devis-signe.png"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def fill_creditor(page) -> None:
    label(page, "Raison sociale ou nom commercial").fill("Atelier Dupont SARL")
    label(page, "Une société (SARL, SAS, EURL…)").check()
    label(page, "Forme juridique").fill("SARL")
    label(page, "Numéro SIREN").fill("732 829 320")
    label(page, "Numéro et rue").fill("12 rue des Lilas")
    label(page, "Code postal").fill("75011")
    label(page, "Ville").fill("Paris")
    label(page, "Signataire des courriers").fill("Marie Dupont, gérante")


def fill_debtor(page, name: str, kind_label: str, line1: str, postcode: str, city: str, legal_form: str = "") -> None:
    label(page, "Nom ou raison sociale du client").fill(name)
    label(page, kind_label).check()
    if legal_form:
        label(page, "Forme juridique").fill(legal_form)
    label(page, "Numéro et rue").fill(line1)
    label(page, "Code postal").fill(postcode)
    label(page, "Ville").fill(city)


def start_dossier(page, server: Server) -> None:
    page.goto(server.url + "/")
    page.get_by_role("button", name="Commencer un dossier").click()
    step_heading(page, "Vous, le créancier")


def no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


# --- a. Business to business, from the empty home page to the downloaded dossier --------
def test_business_claim_from_home_page_to_downloaded_dossier(page, server, tmp_path):
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="Mes dossiers sur cet appareil")).to_have_count(0)
    shot(page, "a00-accueil")
    page.get_by_role("button", name="Commencer un dossier").click()

    step_heading(page, "Vous, le créancier")
    expect(page.locator('nav.progress [aria-current="step"]')).to_contain_text("Vous")
    shot(page, "a01-creancier-vide")
    fill_creditor(page)
    shot(page, "a01-creancier-rempli")
    submit(page)

    step_heading(page, "Votre client, le débiteur")
    fill_debtor(
        page,
        "Boulangerie Martin SAS",
        "Une société (SARL, SAS, SCI…)",
        "3 place Bellecour",
        "69002",
        "Lyon",
        legal_form="SAS",
    )
    label(page, "Son activité").select_option("commercial")
    # The collective-proceedings details appear only when they apply.
    opened = label(page, "Date du jugement d'ouverture")
    expect(opened).to_be_hidden()
    label(page, "Oui : redressement judiciaire").check()
    expect(opened).to_be_visible()
    label(page, "Non, pas à ma connaissance").check()
    expect(opened).to_be_hidden()
    shot(page, "a02-client-rempli")
    submit(page)

    step_heading(page, "Les factures impayées")
    expect(page.get_by_text("Aucune facture pour l'instant.")).to_be_visible()
    shot(page, "a03-factures-vide")
    label(page, "Numéro de la facture").fill("F-2025-031")
    label(page, "Montant TTC (€)").fill("1 234,56")
    label(page, "Date de la facture").fill("01/03/2025")
    label(page, "Date d'échéance").fill("31/03/2025")
    label(page, "Objet").fill("Réfection de la vitrine")
    label(page, "Fichier de la facture (PDF, JPEG ou PNG)").set_input_files(invoice_pdf(tmp_path))
    submit(page, "Ajouter cette facture")
    expect(page.get_by_role("status")).to_contain_text("Facture F-2025-031 ajoutée.")
    invoices = page.get_by_role("table", name="Factures de ce dossier")
    expect(invoices).to_contain_text("F-2025-031")
    expect(invoices).to_contain_text("01/03/2025")
    expect(invoices).to_contain_text("1 234,56")
    shot(page, "a03-factures-une")
    continue_link(page).click()

    step_heading(page, "Les paiements reçus")
    label(page, "Date du paiement").fill("15/04/2025")
    label(page, "Montant reçu (€)").fill("234,56")
    label(page, "Facture payée").select_option("F-2025-031")
    submit(page, "Ajouter ce paiement")
    payments = page.get_by_role("table", name="Paiements de ce dossier")
    expect(payments).to_contain_text("234,56")
    shot(page, "a04-paiements")
    # Deleting asks first: "Annuler" keeps the payment.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    payments.get_by_role("button", name=re.compile("^Supprimer")).click()
    assert asked and "234,56" in asked[0]
    expect(payments).to_contain_text("234,56")
    continue_link(page).click()

    step_heading(page, "Vos conditions de paiement")
    expect(label(page, "Taux annuel (%)")).to_be_hidden()
    label(page, "Taux de la BCE majoré de 10 points").check()
    shot(page, "a05-conditions")
    submit(page)

    step_heading(page, "Vos preuves")
    label(page, "Type de pièce").select_option("signed_quote")
    label(page, "Description").fill("Devis D-2025-012 signé le 15 février 2025")
    label(page, "Date").fill("15/02/2025")
    label(page, "Fichier (PDF, JPEG ou PNG)").set_input_files(quote_png(tmp_path))
    submit(page, "Ajouter cette pièce")
    expect(page.get_by_role("table", name="Pièces de ce dossier")).to_contain_text("Devis D-2025-012")
    shot(page, "a06-preuves")
    label(page, "Non").check()
    submit(page)

    step_heading(page, "Ce que vous avez déjà fait")
    label(page, "Date de la relance").fill("10/04/2025")
    label(page, "Envoyée par").select_option("email")
    submit(page, "Ajouter cette relance")
    expect(page.get_by_role("status")).to_contain_text("Relance enregistrée.")
    label(page, "Date d'envoi de la mise en demeure").fill("02/05/2025")
    label(page, "Date de réception (sur l'avis de réception)").fill("05/05/2025")
    label(page, "Envoyée en lettre recommandée avec avis de réception").check()
    submit(page, "Enregistrer la mise en demeure")
    expect(page.get_by_role("status")).to_contain_text("Mise en demeure enregistrée.")
    expect(label(page, "Date d'envoi de la mise en demeure")).to_have_value("02/05/2025")
    shot(page, "a07-demarches")
    continue_link(page).click()

    step_heading(page, "Récapitulatif")
    expect(page.locator(".error-summary")).to_have_count(0)
    review = page.locator("dl.review")
    for text in (
        "Atelier Dupont SARL",
        "Boulangerie Martin SAS",
        "F-2025-031",
        "Devis D-2025-012",
        "mise en demeure du 02/05/2025",
    ):
        expect(review).to_contain_text(text)
    shot(page, "a08-recapitulatif")
    page.get_by_role("link", name="Voir l'analyse de ma créance").click()

    step_heading(page, "Analyse de votre créance")
    expect(page.locator('nav.progress [aria-current="step"]')).to_contain_text("Analyse")
    expect(page.get_by_role("heading", name=re.compile("Prochaine étape conseillée"))).to_contain_text(
        "Injonction de payer"
    )
    expect(
        page.locator("section", has=page.get_by_role("heading", name=re.compile("tribunal compétent")))
    ).to_contain_text("tribunal des activités économiques")
    shot(page, "a09-analyse")
    page.get_by_role("link", name="Préparer les documents").first.click()

    step_heading(page, "Vos documents")
    shot(page, "a10-documents")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Télécharger le dossier complet").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(saved)
    assert "REQUÊTE EN INJONCTION DE PAYER" in text
    assert "Pièce n° 1" in text
    assert "Boulangerie Martin SAS" in text


# --- b. A consumer, up to the mise en demeure -----------------------------------------
def fill_consumer_claim(page) -> None:
    """From the creditor step to the review: a consumer's unpaid invoice, a signed quote, a reminder."""
    step_heading(page, "Vous, le créancier")
    fill_creditor(page)
    submit(page)
    fill_debtor(page, "Paul Durand", "Un particulier (consommateur)", "8 allée des Tilleuls", "33000", "Bordeaux")
    shot(page, "b02-client-particulier")
    submit(page)
    step_heading(page, "Les factures impayées")
    label(page, "Numéro de la facture").fill("F-2026-104")
    label(page, "Montant TTC (€)").fill("850")
    label(page, "Date de la facture").fill("01/09/2026")
    label(page, "Date d'échéance").fill("30/09/2026")
    submit(page, "Ajouter cette facture")
    expect(page.get_by_role("table", name="Factures de ce dossier")).to_contain_text("850,00")
    continue_link(page).click()
    step_heading(page, "Les paiements reçus")
    continue_link(page).click()
    step_heading(page, "Vos conditions de paiement")
    submit(page)
    step_heading(page, "Vos preuves")
    label(page, "Type de pièce").select_option("signed_quote")
    label(page, "Description").fill("Devis signé du 20 août 2026")
    submit(page, "Ajouter cette pièce")
    submit(page)
    step_heading(page, "Ce que vous avez déjà fait")
    label(page, "Date de la relance").fill("15/10/2026")
    label(page, "Envoyée par").select_option("letter")
    submit(page, "Ajouter cette relance")
    continue_link(page).click()
    step_heading(page, "Récapitulatif")
    expect(page.locator(".error-summary")).to_have_count(0)


def test_consumer_claim_to_downloaded_mise_en_demeure(page, server, tmp_path):
    start_dossier(page, server)
    fill_consumer_claim(page)
    page.get_by_role("link", name="Voir l'analyse de ma créance").click()
    # One reminder of the plan's three was sent: the next one comes before the mise en demeure,
    # which the creditor may still download below.
    expect(page.get_by_role("heading", name=re.compile("Prochaine étape conseillée"))).to_contain_text(
        "Relance amiable"
    )
    shot(page, "b09-analyse-particulier")
    page.get_by_role("link", name="Préparer les documents").first.click()
    step_heading(page, "Vos documents")
    shot(page, "b10-documents-particulier")
    saved = download_document(page, "Mise en demeure de payer", tmp_path)
    assert saved.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(saved)
    assert "mettons en demeure" in text
    assert "Paul Durand" in text


# --- c. Errors: French message by the field, summary focused, input kept, nothing saved -
def test_invoice_errors_keep_input_and_save_nothing(page, server):
    page.goto(server.seed({}) + "/etape/factures")
    label(page, "Numéro de la facture").fill("F-9")
    label(page, "Date de la facture").fill("30/02/2025")
    label(page, "Montant TTC (€)").fill("12,345")
    submit(page, "Ajouter cette facture")

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2 erreurs")
    issued = label(page, "Date de la facture")
    amount = label(page, "Montant TTC (€)")
    expect(issued).to_have_value("30/02/2025")
    expect(amount).to_have_value("12,345")
    expect(label(page, "Numéro de la facture")).to_have_value("F-9")
    expect(issued).to_have_attribute("aria-invalid", "true")
    # The message is beside the field, and read with it by a screen reader.
    expect(page.locator(".field", has=issued).locator(".error")).to_contain_text(
        "Cette date n'existe pas : 30/02/2025."
    )
    expect(page.locator(".field", has=amount).locator(".error")).to_contain_text(
        "au plus deux chiffres après la virgule"
    )
    expect(issued).to_have_accessible_description(re.compile("Cette date n'existe pas"))
    expect(page.get_by_text("Aucune facture pour l'instant.")).to_be_visible()
    assert "invoices" not in server.saved_claim(page.url)
    shot(page, "c01-factures-erreurs")
    # A link of the summary takes the user to the field.
    summary.get_by_role("link", name=re.compile("Date de la facture")).click()
    expect(issued).to_be_focused()
    # What was typed is not saved yet: leaving the page asks first, and staying keeps it.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    continue_link(page).click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(issued).to_have_value("30/02/2025")


def test_incomplete_dossier_review_names_the_steps_in_french(page, server):
    page.goto(
        server.seed(
            {
                "creditor": {
                    "name": "Atelier Dupont SARL",
                    "kind": "company",
                    "address": {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris"},
                }
            }
        )
        + "/etape/recapitulatif"
    )
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Étape 2, Votre client")).to_be_visible()
    expect(summary).to_contain_text("pas encore remplie")
    expect(summary).to_contain_text("SIREN")
    expect(summary).not_to_contain_text("debtor")
    expect(page.get_by_role("link", name="Voir l'analyse de ma créance")).to_have_count(0)
    shot(page, "c02-recapitulatif-incomplet")


# --- d. Without JavaScript ------------------------------------------------------------
def test_creditor_step_works_without_javascript(browser, server, problems):
    page = _new_page(browser, problems, java_script_enabled=False)
    try:
        start_dossier(page, server)
        fill_creditor(page)
        submit(page)
        step_heading(page, "Votre client, le débiteur")
        # The collective-proceedings dates stay reachable without the script.
        expect(label(page, "Date du jugement d'ouverture")).to_be_visible()
        shot(page, "d02-client-sans-js")
        page.goto(page.url.replace("/etape/client", "/etape/conditions"))
        expect(label(page, "Taux annuel (%)")).to_be_visible()
        page.goto(page.url.replace("/etape/conditions", "/etape/creancier"))
        expect(label(page, "Raison sociale ou nom commercial")).to_have_value("Atelier Dupont SARL")
    finally:
        page.context.close()
    assert problems.items == []


# --- e. Keyboard only -------------------------------------------------------------------
def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus indicator"
            return
    pytest.fail(f"{selector} not reached with {limit} presses of Tab")


def test_keyboard_only_steps_and_current_step_indicator(page, server):
    start_dossier(page, server)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    tab_to(page, "#name")
    page.keyboard.type("Atelier Dupont SARL")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")
    expect(label(page, "Une société (SARL, SAS, EURL…)")).to_be_checked()
    for selector, text in (
        ("#siren", "732829320"),
        ("#line1", "12 rue des Lilas"),
        ("#postcode", "75011"),
        ("#city", "Paris"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    step_heading(page, "Votre client, le débiteur")
    current = page.locator('nav.progress [aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Votre client")

    page.goto(page.url.replace("/etape/client", "/etape/paiements"))
    expect(page.locator('nav.progress [aria-current="step"]')).to_contain_text("Paiements reçus")
    tab_to(page, "#date")
    page.keyboard.type("15/04/2025")
    tab_to(page, "#amount")
    page.keyboard.type("100")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Paiement enregistré.")
    expect(page.get_by_role("table", name="Paiements de ce dossier")).to_contain_text("100,00")
    # The "continue" link is reachable and followed with Enter.
    tab_to(page, "a.button.primary")
    page.keyboard.press("Enter")
    step_heading(page, "Vos conditions de paiement")
    shot(page, "e05-conditions-clavier")


# --- f. A phone -------------------------------------------------------------------------
PHONE_CLAIM = {
    **parties(debtor={"address": LYON}),
    "invoices": [
        {
            "number": "F-2025-031",
            "issued": "2025-03-01",
            "due": "2025-03-31",
            "amount": "1234.56",
            "description": "Réfection de la vitrine",
        }
    ],
    "payments": [{"date": "2025-04-15", "amount": "234.56", "invoice": "F-2025-031"}],
    "evidence": [{"kind": "signed_quote", "title": "Devis D-2025-012 signé le 15 février 2025"}],
    "history": {
        "reminders": [{"date": "2025-04-10", "channel": "email"}],
        "formal_notice": {"sent": "2025-05-02", "received": "2025-05-05", "registered": True},
    },
}
PHONE_PAGES = [
    "etape/creancier",
    "etape/client",
    "etape/factures",
    "etape/paiements",
    "etape/conditions",
    "etape/preuves",
    "etape/demarches",
    "etape/recapitulatif",
    "analyse",
    "documents",
]


def test_phone_viewport_never_scrolls_sideways(browser, server, problems):
    page = _new_page(
        browser, problems, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        base = server.seed(PHONE_CLAIM)
        overflowing = {}
        page.goto(server.url + "/")
        shot(page, "f00-telephone-accueil")
        scroll, width = no_horizontal_scroll(page)
        if scroll > width:
            overflowing["accueil"] = scroll
        for number, path in enumerate(PHONE_PAGES, start=1):
            page.goto(f"{base}/{path}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shot(page, f"f{number:02d}-telephone-{path.rsplit('/', 1)[-1]}")
            scroll, width = no_horizontal_scroll(page)
            if scroll > width:
                overflowing[path] = scroll
        # An error state too: long messages must wrap.
        page.goto(f"{base}/etape/factures")
        label(page, "Date de la facture").fill("30/02/2025")
        submit(page, "Ajouter cette facture")
        expect(page.locator(".error-summary")).to_be_visible()
        shot(page, "f11-telephone-factures-erreurs")
        scroll, width = no_horizontal_scroll(page)
        if scroll > width:
            overflowing["factures (erreurs)"] = scroll
        assert overflowing == {}, f"wider than the 375 px screen: {overflowing}"
    finally:
        page.context.close()
    assert problems.items == []
