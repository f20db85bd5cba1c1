"""Accounts and teams in a real browser: several people, each in a browser context of their own.

Same set-up as tests/test_browser.py (its live server, Debian's Chromium, screenshots to
/tmp/dument-screens/): a legal-aid team where a volunteer prepares and a supervisor verifies,
an anonymous dossier claimed into a new account, names that try to inject script, and the
sign-in lock after repeated wrong passwords.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import BASE_CLAIM
from tests.mailbox import link as mail_link
from tests.mailbox import mails
from tests.test_browser import (
    Problems,
    _new_page,
    fill_consumer_claim,
    fill_creditor,
    label,
    pdf_text,
    shot,
    start_dossier,
    step_heading,
    submit,
)

# Fixtures: pytest finds them in this module's namespace (« as » marks them re-exported, not unused).
from tests.test_browser import problems as problems
from tests.test_browser import server as server
from webapp.store import accounts, dossiers
from webapp.web import db

pytestmark = pytest.mark.usefixtures("poppler")

PASSWORD = "une phrase facile à retenir"
TEAM = "Permanence juridique"
NOT_FOUND = "Page introuvable"


# --- Fixtures and helpers ----------------------------------------------------------------
@pytest.fixture
def person(browser, problems) -> Iterator[Callable[..., Page]]:
    """A new person: a browser context of their own (own cookies), closed at the end of the test.

    Their page reports to ``problems`` (asserted empty at the end) unless told to report elsewhere,
    for a page that is expected to meet errors (a 404, a refused sign-in).
    """
    pages: list[Page] = []

    def open_page(watch: Problems | None = None) -> Page:
        page = _new_page(browser, watch or problems)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()
    assert problems.items == []


def account_nav(page: Page):
    return page.get_by_role("navigation", name="Compte")


def fill_sign_up(page: Page, name: str, email: str, password: str = PASSWORD) -> None:
    """Fill and send the sign-up form (already open); the page then asks to read one's mail."""
    step_heading(page, "Créer un compte")
    label(page, "Votre nom").fill(name)
    label(page, "Adresse e-mail").fill(email)
    label(page, "Mot de passe").fill(password)
    label(page, "Le même mot de passe, une seconde fois").fill(password)
    page.get_by_role("button", name="Créer mon compte").click()
    step_heading(page, "Regardez vos courriels")


def sign_up(page: Page, server, name: str, email: str, password: str = PASSWORD) -> None:
    """Fill the sign-up form (already open) as a person would, open the link of the mail, and sign in."""
    fill_sign_up(page, name, email, password)
    page.goto(server.url + mail_link(mails(server.app, email)[-1], "/compte/confirmer/"))
    step_heading(page, "Se connecter")
    expect(flash(page)).to_contain_text("Adresse confirmée")
    label(page, "Adresse e-mail").fill(email)
    label(page, "Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def sign_up_from_header(page: Page, server, name: str, email: str) -> None:
    page.goto(server.url + "/")
    account_nav(page).get_by_role("link", name="Créer un compte").click()
    sign_up(page, server, name, email)
    step_heading(page, "Mon compte")
    expect(page.get_by_role("main")).to_contain_text(email)
    expect(account_nav(page).get_by_role("link", name=re.compile("^Mon compte"))).to_be_visible()
    expect(account_nav(page).get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(account_nav(page).get_by_role("link", name="Se connecter")).to_have_count(0)


def flash(page: Page):
    """The message shown at the top of the page after an action."""
    return page.locator("main > p.flash")


def ownership_panel(page: Page):
    return page.get_by_role("region", name="À qui est ce dossier")


def review_url(page_url: str) -> str:
    base = re.match(r"(.*/dossier/[^/]+)/", page_url).group(1)
    return f"{base}/etape/recapitulatif"


DRAFT_MARK = "PROJET—ÀFAIREVÉRIFIER"


def draft_marks(path: Path) -> list[bool]:
    """For each page of a PDF, whether it bears the « PROJET — À FAIRE VÉRIFIER » mark.

    The mark is set diagonally: ``pdftotext -layout`` scatters its letters among the lines,
    so it is read in content order (-raw), where it comes as a few words, spaces removed.
    """
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [DRAFT_MARK in re.sub(r"\s+", "", page) for page in raw.split("\f")[:-1]]


def download_notice(page: Page, tmp_path: Path, name: str) -> Path:
    """Download the mise en demeure from the documents page; where it is saved."""
    step_heading(page, "Vos documents")
    notice = page.locator("ul.documents > li", has=page.get_by_role("heading", name="Mise en demeure de payer"))
    with page.expect_download(timeout=30_000) as info:
        notice.get_by_role("link", name=re.compile("^Télécharger")).click()
    saved = tmp_path / name
    info.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(saved)
    assert "mettons en demeure" in text
    assert "Paul Durand" in text
    return saved


def expect_not_found(page: Page, url: str) -> None:
    """The same « Page introuvable » as for a link that does not exist: nothing of the dossier shows."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 404, f"{url}: HTTP {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    expect(page.get_by_role("main")).not_to_contain_text("Paul Durand")
    expect(page.get_by_role("main")).not_to_contain_text("Atelier Dupont")


# --- 1. A legal-aid team: a volunteer prepares, a supervisor verifies, outsiders see nothing ----
def test_team_volunteer_prepares_supervisor_verifies_outsiders_get_404(person, server, tmp_path):
    sophie, karim = person(), person()
    sign_up_from_header(sophie, server, "Sophie Leroy", "sophie@permanence.example")
    shot(sophie, "acc-1-01-mon-compte-sophie")
    sign_up_from_header(karim, server, "Karim Benali", "karim@permanence.example")

    # Sophie creates the team, of which she is the first supervisor, and adds Karim as a volunteer.
    label(sophie, "Nom de l'équipe").fill(TEAM)
    sophie.get_by_role("button", name="Créer l'équipe").click()
    step_heading(sophie, f"Équipe « {TEAM} »")
    members = sophie.get_by_role("table")
    expect(members).to_contain_text("Sophie Leroy")
    expect(members).to_contain_text("Superviseur")
    label(sophie, "Son adresse e-mail").fill("karim@permanence.example")
    sophie.get_by_role("radio", name="Bénévole (prépare les dossiers)").check()
    sophie.get_by_role("button", name="Inviter").click()
    expect(flash(sophie)).to_contain_text("Invitation enregistrée")
    expect(sophie.get_by_role("table").nth(1)).to_contain_text("karim@permanence.example")  # pending

    # Karim sees the invitation on his account page and accepts it.
    karim.reload()
    karim.get_by_role("button", name=f"Accepter l'invitation de « {TEAM} »").click()
    expect(flash(karim)).to_contain_text(f"Vous avez rejoint l'équipe « {TEAM} »")
    sophie.reload()
    karim_row = members.get_by_role("row", name=re.compile("Karim Benali"))
    expect(karim_row).to_contain_text("karim@permanence.example")
    expect(karim_row).to_contain_text("Bénévole")
    shot(sophie, "acc-1-02-equipe")

    # Karim starts a dossier for the team from the home page and fills it.
    karim.goto(server.url + "/")
    whose = label(karim, "Ce dossier est pour")
    expect(whose.locator("option")).to_have_text(["Choisissez…", "Moi seul", f"L'équipe « {TEAM} »"])
    whose.select_option(label=f"L'équipe « {TEAM} »")
    shot(karim, "acc-1-03-accueil-karim")
    karim.get_by_role("button", name="Commencer un dossier").click()
    fill_consumer_claim(karim)
    url = review_url(karim.url)
    panel = ownership_panel(karim)
    expect(panel).to_contain_text(f"Dossier de l'équipe « {TEAM} »")
    expect(panel).to_contain_text("À vérifier")
    expect(panel.get_by_role("button", name=re.compile("marquer « vérifié »"))).to_have_count(0)
    expect(panel.get_by_role("button", name="Rattacher")).to_have_count(0)  # a team's dossier stays with the team
    shot(karim, "acc-1-04-recapitulatif-karim")
    karim.get_by_role("link", name="Voir l'analyse de ma créance").click()
    karim.get_by_role("link", name="Préparer les documents").first.click()
    expect(ownership_panel(karim)).to_contain_text("À vérifier")
    expect(karim.get_by_role("button", name=re.compile("marquer « vérifié »"))).to_have_count(0)
    shot(karim, "acc-1-05-documents-karim")
    assert draft_marks(download_notice(karim, tmp_path, "mise-en-demeure-projet.pdf")) == [True]

    # Sophie finds it on her account page, reads it and marks it verified.
    account_nav(sophie).get_by_role("link", name=re.compile("^Mon compte")).click()
    row = sophie.get_by_role("row", name=re.compile("Paul Durand"))
    expect(row).to_contain_text(f"Équipe « {TEAM} »")
    expect(row).to_contain_text("à vérifier")
    row.get_by_role("link", name="Paul Durand").click()
    step_heading(sophie, "Récapitulatif")
    assert sophie.url == url
    shot(sophie, "acc-1-06-recapitulatif-sophie")
    sophie.get_by_role("button", name="J'ai relu ce dossier : marquer « vérifié »").click()
    expect(flash(sophie)).to_contain_text("Dossier vérifié")
    expect(ownership_panel(sophie)).to_contain_text("Vérifié par Sophie Leroy")
    expect(sophie.get_by_role("button", name=re.compile("marquer « vérifié »"))).to_have_count(0)
    shot(sophie, "acc-1-07-documents-verifie")
    verified = download_notice(sophie, tmp_path, "mise-en-demeure-verifiee.pdf")
    assert draft_marks(verified) == [False]
    assert "PROJET" not in pdf_text(verified)
    account_nav(sophie).get_by_role("link", name=re.compile("^Mon compte")).click()
    expect(sophie.get_by_role("row", name=re.compile("Paul Durand"))).to_contain_text("vérifié")
    expect(sophie.get_by_role("row", name=re.compile("Paul Durand"))).not_to_contain_text("à vérifier")

    # Karim sees the check; a change of his afterwards needs a new one.
    karim.goto(url)
    expect(ownership_panel(karim)).to_contain_text("Vérifié par Sophie Leroy")
    karim.get_by_role("navigation", name="Étapes du dossier").get_by_role("link", name="Conditions de paiement").click()
    step_heading(karim, "Vos conditions de paiement")
    submit(karim)  # saved again, even unchanged: a new version, not the one Sophie read
    karim.goto(url)
    expect(ownership_panel(karim)).to_contain_text("il a changé depuis sa dernière vérification")
    karim.get_by_role("link", name="Voir l'analyse de ma créance").click()
    karim.get_by_role("link", name="Préparer les documents").first.click()
    assert draft_marks(download_notice(karim, tmp_path, "mise-en-demeure-modifiee.pdf")) == [True]

    # Eve, signed in with her own account, and a visitor without one: the link alone opens nothing.
    # Their pages meet 404s on purpose: they report apart, and only those 404s are allowed.
    outsiders = Problems()
    eve, stranger = person(outsiders), person(outsiders)
    sign_up_from_header(eve, server, "Eve Martin", "eve@example.org")
    expect(eve.get_by_role("main")).to_contain_text("Aucun dossier pour l'instant.")
    base = url.removesuffix("/etape/recapitulatif")
    tried = [
        url,
        f"{base}/documents",
        f"{base}/documents/mise-en-demeure.pdf?telecharger=1",
        base.replace("/dossier/", "/reprendre/"),
    ]
    for outsider in (eve, stranger):
        for address in tried:
            expect_not_found(outsider, address)
    expect(account_nav(eve).get_by_role("link", name=re.compile("^Mon compte"))).to_be_visible()
    shot(eve, "acc-1-08-eve-introuvable")
    assert outsiders.items == [f"HTTP 404 {address}" for address in tried * 2]


# --- 2. An anonymous dossier claimed into a new account: its link alone no longer opens it ----
def test_anonymous_dossier_claimed_after_sign_up_no_longer_opens_by_link(person, server):
    visitor = person()
    start_dossier(visitor, server)
    fill_creditor(visitor)
    submit(visitor)
    step_heading(visitor, "Votre client, le débiteur")
    visitor.get_by_role("navigation", name="Étapes du dossier").get_by_role("link", name="Récapitulatif").click()
    step_heading(visitor, "Récapitulatif")
    url = visitor.url
    assert url == review_url(url)
    panel = ownership_panel(visitor)
    expect(panel).to_contain_text("quiconque a son lien peut l'ouvrir")
    expect(panel.get_by_role("button", name="Rattacher")).to_have_count(0)  # nobody to claim it yet
    shot(visitor, "acc-2-01-recapitulatif-anonyme")

    # The panel's sign-up link brings the new account back to this dossier.
    signup = panel.get_by_role("link", name="créez un compte")
    expect(signup).to_have_attribute("href", "/compte/inscription?suivant=" + url.removeprefix(server.url))
    signup.click()
    step_heading(visitor, "Créer un compte")
    shot(visitor, "acc-2-02-inscription")
    sign_up(visitor, server, "Claire Fontaine", "claire@atelier.example")
    step_heading(visitor, "Récapitulatif")
    assert visitor.url == url
    expect(visitor.get_by_role("main")).to_contain_text("Atelier Dupont SARL")
    panel = ownership_panel(visitor)
    expect(panel).to_contain_text("n'est rattaché à aucun compte")
    owner = panel.get_by_label("Rattacher ce dossier à")
    expect(owner.locator("option")).to_have_text(["Mon compte (moi seul)"])
    shot(visitor, "acc-2-03-recapitulatif-connecte")
    panel.get_by_role("button", name="Rattacher").click()
    expect(flash(visitor)).to_contain_text("Dossier rattaché : Mon compte (moi seul)")
    expect(flash(visitor)).to_contain_text("Le lien seul ne suffit plus pour l'ouvrir.")
    expect(ownership_panel(visitor)).to_contain_text("Dossier rattaché à votre compte")
    expect(visitor.locator(".resume-link")).to_contain_text("il ne s'ouvre que pour vous")
    history = visitor.locator("details.history")
    history.locator("summary").click()
    claimed = history.get_by_role("row", name=re.compile("rattaché"))
    expect(claimed).to_contain_text("claire@atelier.example")
    expect(claimed).to_contain_text("Mon compte (moi seul)")
    expect(history.get_by_role("row", name=re.compile("créé"))).to_contain_text("navigateur ")
    shot(visitor, "acc-2-04-rattache")
    account_nav(visitor).get_by_role("link", name=re.compile("^Mon compte")).click()
    mine = visitor.get_by_role("row", name=re.compile("Dossier sans client"))
    expect(mine).to_contain_text("Moi")
    expect(mine).to_contain_text("en cours")
    expect(visitor.get_by_role("heading", name="Dossiers ouverts sur cet appareil sans compte")).to_have_count(0)

    # Someone else with the link (a fresh browser, no account) gets « Page introuvable ».
    outsiders = Problems()
    stranger = person(outsiders)
    resume = url.removesuffix("/etape/recapitulatif").replace("/dossier/", "/reprendre/")
    for address in (url, resume):
        expect_not_found(stranger, address)
    shot(stranger, "acc-2-05-lien-seul-introuvable")
    assert outsiders.items == [f"HTTP 404 {url}", f"HTTP 404 {resume}"]

    # The owner still opens it; signed out, her own browser no longer does; signed in again, it does.
    visitor.goto(url)
    step_heading(visitor, "Récapitulatif")
    account_nav(visitor).get_by_role("button", name="Se déconnecter").click()
    expect(flash(visitor)).to_contain_text("Vous êtes déconnecté.")
    expect(account_nav(visitor).get_by_role("link", name="Se connecter")).to_be_visible()
    response = visitor.request.get(url)
    assert response.status == 404
    account_nav(visitor).get_by_role("link", name="Se connecter").click()
    step_heading(visitor, "Se connecter")
    label(visitor, "Adresse e-mail").fill("claire@atelier.example")
    label(visitor, "Mot de passe").fill(PASSWORD)
    visitor.get_by_role("button", name="Se connecter").click()
    step_heading(visitor, "Mon compte")
    visitor.get_by_role("row", name=re.compile("Dossier sans client")).get_by_role("link").click()
    step_heading(visitor, "Récapitulatif")
    assert visitor.url == url


# --- 3. Names are text, never markup: no script runs, the literal name shows -----------------
XSS_NAME = '<img src=x onerror="window.__xss=1">'
XSS_TEAM = "<script>window.__xss=2</script>"


def assert_no_injection(page: Page, name: str) -> None:
    """No injected element or handler ran or exists, and the page passes shot()'s checks."""
    assert page.evaluate("() => typeof window.__xss") == "undefined", name
    expect(page.locator("img[src='x']")).to_have_count(0)
    shot(page, name)  # also fails on any inline <script> or on* attribute in the page


def complete_claim(server, page_url: str) -> None:
    """Give the dossier of this page a complete claim, as if its steps had been filled."""
    token = re.search(r"/dossier/([^/]+)/", page_url).group(1)
    with server.app.app_context():
        dossiers.save_claim(db.session(), dossiers.by_token(db.session(), token), BASE_CLAIM)


def test_account_and_team_names_are_shown_as_text_never_run(person, server):
    page = person()
    page.goto(server.url + "/")
    account_nav(page).get_by_role("link", name="Créer un compte").click()
    sign_up(page, server, XSS_NAME, "xss@example.org")
    step_heading(page, "Mon compte")
    expect(page.get_by_role("main")).to_contain_text(f"{XSS_NAME} — xss@example.org")
    expect(account_nav(page).get_by_role("link", name=re.compile("^Mon compte"))).to_contain_text(XSS_NAME)
    assert_no_injection(page, "acc-3-01-mon-compte-xss")

    label(page, "Nom de l'équipe").fill(XSS_TEAM)
    page.get_by_role("button", name="Créer l'équipe").click()
    step_heading(page, f"Équipe « {XSS_TEAM} »")
    assert page.title() == f"Équipe {XSS_TEAM} — Dûment"
    expect(page.get_by_role("table")).to_contain_text(XSS_NAME)
    assert_no_injection(page, "acc-3-02-equipe-xss")

    # A dossier of her own, then claimed into the team: the team name goes into a flash and the history.
    page.goto(server.url + "/")
    whose = label(page, "Ce dossier est pour")
    expect(whose.locator("option")).to_have_text(["Choisissez…", "Moi seul", f"L'équipe « {XSS_TEAM} »"])
    assert_no_injection(page, "acc-3-03-accueil-xss")
    whose.select_option(label="Moi seul")
    page.get_by_role("button", name="Commencer un dossier").click()
    step_heading(page, "Vous, le créancier")
    page.get_by_role("navigation", name="Étapes du dossier").get_by_role("link", name="Récapitulatif").click()
    panel = ownership_panel(page)
    expect(panel).to_contain_text("Dossier rattaché à votre compte")
    panel.get_by_label("Rattacher ce dossier à").select_option(label=f"L'équipe « {XSS_TEAM} »")
    panel.get_by_role("button", name="Rattacher").click()
    expect(flash(page)).to_contain_text(f"Dossier rattaché : L'équipe « {XSS_TEAM} »")
    expect(ownership_panel(page)).to_contain_text(f"Dossier de l'équipe « {XSS_TEAM} »")
    verify = page.get_by_role("button", name="J'ai relu ce dossier : marquer « vérifié »")
    expect(verify).to_have_count(0)  # an empty dossier cannot be verified
    complete_claim(server, page.url)
    page.reload()
    verify.click()
    step_heading(page, "Vos documents")
    page.get_by_role("navigation", name="Étapes du dossier").get_by_role("link", name="Récapitulatif").click()
    expect(ownership_panel(page)).to_contain_text(f"Vérifié par {XSS_NAME} le ")
    history = page.locator("details.history")
    history.locator("summary").click()
    # The history names the account by its e-mail address; the team's name is in the detail.
    claimed = history.get_by_role("row", name=re.compile("rattaché"))
    expect(claimed).to_contain_text("xss@example.org")
    expect(claimed).to_contain_text(f"rattaché : L'équipe « {XSS_TEAM} »")
    expect(history.get_by_role("row", name=re.compile("vérifié"))).to_contain_text("xss@example.org")
    expect(history).not_to_contain_text(XSS_NAME)
    assert_no_injection(page, "acc-3-04-recapitulatif-xss")

    account_nav(page).get_by_role("link", name=re.compile("^Mon compte")).click()
    expect(page.get_by_role("row", name=re.compile("Boulangerie Martin SAS"))).to_contain_text(f"Équipe « {XSS_TEAM} »")
    expect(page.get_by_role("main").get_by_role("link", name=XSS_TEAM)).to_be_visible()
    assert_no_injection(page, "acc-3-05-mon-compte-equipe-xss")
    page.goto(server.url + "/")
    expect(page.get_by_role("main").locator("ul.dossiers")).to_contain_text(f"équipe « {XSS_TEAM} »")
    assert_no_injection(page, "acc-3-06-accueil-mes-dossiers-xss")


# --- 4. Sign-in lock: after 5 wrong passwords, even the right one is refused for a while ------
def test_sign_in_slowed_for_strangers_never_locks_the_owner_out(person, server):
    refused = Problems()  # refused sign-ins answer 400, then 429: expected, and checked below
    page = person(refused)
    page.goto(server.url + "/")
    account_nav(page).get_by_role("link", name="Créer un compte").click()
    sign_up(page, server, "Luc Moreau", "luc@example.org")
    step_heading(page, "Mon compte")
    account_nav(page).get_by_role("button", name="Se déconnecter").click()
    stranger = person(refused)
    stranger.goto(server.url + "/compte/connexion")
    email, password = label(stranger, "Adresse e-mail"), label(stranger, "Mot de passe")
    password_field = stranger.locator(".field", has=password)
    for attempt in range(1, 6):
        email.fill("luc@example.org")
        password.fill(f"pas le bon mot de passe {attempt}")
        stranger.get_by_role("button", name="Se connecter").click()
        expect(password_field.locator(".error")).to_contain_text("Adresse e-mail ou mot de passe incorrect.")
        expect(email).to_have_value("luc@example.org")
    shot(stranger, "acc-4-01-connexion-refusee")
    with server.app.app_context():  # five more failures just now: the next guess waits 32 seconds
        for _ in range(5):
            accounts.record_failure(
                db.session(), "luc@example.org", "127.0.0.1", datetime.now(UTC), timedelta(minutes=15)
            )
        db.session().commit()

    email.fill("luc@example.org")
    password.fill(PASSWORD)  # even the right password waits, from a browser Luc never used
    stranger.get_by_role("button", name="Se connecter").click()
    step_heading(stranger, "Se connecter")
    expect(password_field.locator(".error")).to_contain_text("Trop d'essais infructueux : patientez")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("Trop d'essais infructueux"))
    expect(stranger.locator(".error-summary")).to_contain_text("Trop d'essais infructueux")
    shot(stranger, "acc-4-02-connexion-ralentie")

    account_nav(page).get_by_role("link", name="Se connecter").click()  # Luc's own browser: no wait
    label(page, "Adresse e-mail").fill("luc@example.org")
    label(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    step_heading(page, "Mon compte")
    login = f"{server.url}/compte/connexion"
    assert refused.items == [f"HTTP 400 {login}"] * 5 + [f"HTTP 429 {login}"]
