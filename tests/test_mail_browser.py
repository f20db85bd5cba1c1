"""In a browser, as people would: sign up, confirm from the mail, sign in, forget the password, accept
an invitation — and a stranger cannot take someone else's invitation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.mailbox import link as mail_link
from tests.mailbox import mails, text

# Fixtures: pytest finds them in this module's namespace.
from tests.test_browser import label, step_heading
from tests.test_browser import problems as problems
from tests.test_browser import server as server
from tests.test_browser_accounts import account_nav, fill_sign_up, flash
from tests.test_browser_accounts import person as person

pytestmark = pytest.mark.usefixtures("poppler")
PASSWORD = "une phrase facile à retenir"
NEW_PASSWORD = "un tout autre mot de passe"


def sign_in(page: Page, email: str, password: str) -> None:
    step_heading(page, "Se connecter")
    label(page, "Adresse e-mail").fill(email)
    label(page, "Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def open_mail_link(page: Page, server, email: str, contains: str) -> None:
    """Open, in this browser, the link of the latest mail to ``email``."""
    page.goto(server.url + mail_link(mails(server.app, email)[-1], contains))


def sign_up(page: Page, server, name: str, email: str) -> None:
    page.goto(server.url + "/")
    account_nav(page).get_by_role("link", name="Créer un compte").click()
    fill_sign_up(page, name, email)
    expect(page.get_by_role("main")).to_contain_text(f"Un courriel vient d'être envoyé à {email}")


def test_sign_up_confirm_sign_in_and_reset_the_password_from_the_mails(person, server):
    page = person()
    sign_up(page, server, "Claire Fontaine", "claire@atelier.example")
    expect(account_nav(page).get_by_role("link", name="Se connecter")).to_be_visible()  # not signed in yet
    message = mails(server.app, "claire@atelier.example")[-1]
    assert message["Subject"] == "Confirmez votre adresse e-mail sur Dûment"
    open_mail_link(page, server, "claire@atelier.example", "/compte/confirmer/")
    expect(flash(page)).to_contain_text("Adresse confirmée : votre compte est actif.")
    sign_in(page, "claire@atelier.example", PASSWORD)
    step_heading(page, "Mon compte")
    expect(page.get_by_role("main")).not_to_contain_text("pas encore confirmée")
    account_nav(page).get_by_role("button", name="Se déconnecter").click()

    account_nav(page).get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    step_heading(page, "Mot de passe oublié")
    label(page, "Adresse e-mail").fill("claire@atelier.example")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("main")).to_contain_text("Si un compte Dûment existe pour l'adresse claire@atelier.example")
    reset_mail = mails(server.app, "claire@atelier.example")[-1]
    assert reset_mail["Subject"] == "Choisir un nouveau mot de passe Dûment" and "une fois" in text(reset_mail)
    open_mail_link(page, server, "claire@atelier.example", "/compte/nouveau-mot-de-passe/")
    step_heading(page, "Choisir un nouveau mot de passe")
    label(page, "Mot de passe").fill(NEW_PASSWORD)
    label(page, "Le même mot de passe, une seconde fois").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(flash(page)).to_contain_text("Mot de passe changé. Vous êtes déconnecté de tous vos appareils")
    sign_in(page, "claire@atelier.example", NEW_PASSWORD)
    step_heading(page, "Mon compte")


def test_an_invitation_is_refused_to_an_account_whose_address_is_not_the_invited_one(person, server):
    sophie, eve, karim = person(), person(), person()
    for page, name, email in (
        (sophie, "Sophie Leroy", "sophie@permanence.example"),
        (eve, "Eve Martin", "eve@ailleurs.example"),
    ):
        sign_up(page, server, name, email)
        open_mail_link(page, server, email, "/compte/confirmer/")
        sign_in(page, email, PASSWORD)
        step_heading(page, "Mon compte")
    label(sophie, "Nom de l'équipe").fill("Permanence du mardi")
    sophie.get_by_role("button", name="Créer l'équipe").click()
    step_heading(sophie, "Permanence du mardi")
    label(sophie, "Son adresse e-mail").fill("karim@permanence.example")
    sophie.get_by_label("Bénévole (prépare les dossiers)").check()
    sophie.get_by_role("button", name=re.compile("Inviter")).click()
    expect(flash(sophie)).to_contain_text("Invitation enregistrée et envoyée par courriel")
    invitation = mails(server.app, "karim@permanence.example")[-1]
    assert "Sophie Leroy vous invite à rejoindre l'équipe « Permanence du mardi »" in invitation["Subject"]

    # Eve, confirmed but at another address, follows the invitation's link: nothing to accept.
    eve.goto(server.url + mail_link(invitation, "/compte"))
    step_heading(eve, "Mon compte")
    expect(eve.get_by_role("main")).not_to_contain_text("Permanence du mardi")
    expect(eve.get_by_role("button", name=re.compile("^Accepter"))).to_have_count(0)

    # Karim, at the invited address, accepts once his address is confirmed.
    sign_up(karim, server, "Karim Benali", "karim@permanence.example")
    open_mail_link(karim, server, "karim@permanence.example", "/compte/confirmer/")
    sign_in(karim, "karim@permanence.example", PASSWORD)
    expect(karim.get_by_role("main")).to_contain_text(
        "Sophie Leroy vous invite à rejoindre l'équipe « Permanence du mardi »"
    )
    karim.get_by_role("button", name=re.compile("^Accepter")).click()
    expect(flash(karim)).to_contain_text("Vous avez rejoint l'équipe « Permanence du mardi »")
