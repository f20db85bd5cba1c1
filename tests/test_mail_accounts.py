"""Accounts by mail: confirmed addresses, "mot de passe oublié", invitations that only the address's owner accepts."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from tests.mailbox import PASSWORD, confirm, csrf, link, mails, sign_in, sign_up_only, text, verified_sign_up
from tests.smtp_server import free_port
from webapp.store import accounts
from webapp.store.models import Account, Invitation, OutboxMessage
from webapp.web import db


def stored(app, email: str) -> Account | None:
    with app.app_context():
        return accounts.by_email(db.session(), email)


def flash_of(page: str) -> str:
    return html.unescape(page.split('class="flash', 1)[1].split("</p>", 1)[0])


def test_sign_up_mails_a_confirmation_link_and_signs_nobody_in(app, client):
    page = sign_up_only(client, "Sophie@Example.org ").get_data(as_text=True)
    assert "Un courriel vient d'être envoyé à <strong>sophie@example.org</strong>" in page
    assert client.get("/compte").status_code == 302  # not signed in: the address is not proven yet
    [message] = mails(app, "sophie@example.org")
    assert message["From"] == app.config["MAIL_FROM"] and message["Subject"].startswith("Confirmez votre adresse")
    assert "Bonjour Sophie Leroy" in text(message) and "valable 48 heures" in text(message)
    html = message.get_body(("html",)).get_content()
    assert 'href="http://localhost/compte/confirmer/' in html and message["Message-ID"]
    assert stored(app, "sophie@example.org").email_verified_at is None
    response = confirm(client, "sophie@example.org")
    assert response.status_code == 302 and response.headers["Location"].startswith("/compte/connexion")
    assert stored(app, "sophie@example.org").email_verified_at is not None
    assert sign_in(client, "sophie@example.org").headers["Location"] == "/compte"
    again = client.get(link(message, "/compte/confirmer/"), follow_redirects=True).get_data(as_text=True)
    assert "Cette adresse était déjà confirmée." in again


def test_sign_up_answers_the_same_for_a_known_address_and_mails_its_owner_instead(app):
    verified_sign_up(app.test_client(), "sophie@example.org")
    first = sign_up_only(app.test_client(), "nouvelle@example.org", name="Nina").get_data(as_text=True)
    second = sign_up_only(app.test_client(), "SOPHIE@example.org", name="Intrus", password="autre mot de passe long")
    normalise = lambda page, email: page.replace(email, "ADRESSE")  # noqa: E731
    assert normalise(first, "nouvelle@example.org") == normalise(second.get_data(as_text=True), "sophie@example.org")
    owner_mail = mails(app, "sophie@example.org")[-1]
    assert owner_mail["Subject"] == "Vous avez déjà un compte sur Dûment"
    assert "/compte/mot-de-passe-oublie" in text(owner_mail) and "aucun nouveau compte" in text(owner_mail)
    with app.app_context():
        assert db.session().query(Account).filter_by(email="sophie@example.org").count() == 1
    assert sign_in(app.test_client(), "sophie@example.org", "autre mot de passe long").status_code == 400
    sign_up_only(app.test_client(), "sophie@example.org")  # a second try within minutes: no second mail
    assert len(mails(app, "sophie@example.org")) == 2


def test_signing_up_again_on_an_unconfirmed_address_lets_only_its_owner_choose_the_password(app):
    intruder = app.test_client()
    sign_up_only(intruder, "victime@example.org", name="Intrus", password="le mot de passe de l'intrus")
    sign_up_only(app.test_client(), "victime@example.org", name="Victime", password="le mot de passe choisi")
    finish = mails(app, "victime@example.org")[-1]
    assert finish["Subject"] == "Terminez la création de votre compte Dûment"
    owner = app.test_client()
    form_url = link(finish, "/compte/nouveau-mot-de-passe/")
    data = {
        "csrf_token": csrf(owner, form_url),
        "password": "ma vraie phrase secrète",
        "confirm": "ma vraie phrase secrète",
    }
    assert owner.post(form_url, data=data).status_code == 302
    assert stored(app, "victime@example.org").email_verified_at is not None  # the mail proved the address
    assert sign_in(app.test_client(), "victime@example.org", "le mot de passe de l'intrus").status_code == 400
    first_link = link(mails(app, "victime@example.org")[0], "/compte/confirmer/")  # the intruder's sign-up's
    page = app.test_client().get(first_link, follow_redirects=True).get_data(as_text=True)
    assert "Cette adresse était déjà confirmée." in page  # it changes nothing: the owner's password stays
    assert sign_in(owner, "victime@example.org", "ma vraie phrase secrète").status_code == 302


def test_an_expired_or_forged_confirmation_link_gets_a_french_page_not_an_error(app, client, monkeypatch):
    sign_up_only(client, "sophie@example.org")
    url = link(mails(app, "sophie@example.org")[-1], "/compte/confirmer/")
    monkeypatch.setattr(accounts, "VERIFY_MAX_AGE", timedelta(seconds=-1))
    expired = client.get(url)
    assert expired.status_code == 400 and "Ce lien a expiré." in expired.get_data(as_text=True)
    assert "Recevoir un nouveau lien" in expired.get_data(as_text=True)
    monkeypatch.undo()
    forged = client.get(url[:-3] + "abc")
    assert forged.status_code == 400 and "pas valable (il a peut-être été mal copié)" in forged.get_data(as_text=True)
    assert stored(app, "sophie@example.org").email_verified_at is None


def test_a_forgotten_password_is_reset_once_by_mail_and_every_session_ends(app):
    laptop, phone = app.test_client(), app.test_client()
    verified_sign_up(laptop, "sophie@example.org")
    sign_in(phone, "sophie@example.org")
    assert phone.get("/compte").status_code == 200
    anonymous = app.test_client()
    url = "/compte/mot-de-passe-oublie"
    data = {"csrf_token": csrf(anonymous, url), "email": "sophie@example.org"}
    known = anonymous.post(url, data=data, follow_redirects=True)
    data = {"csrf_token": csrf(anonymous, url), "email": "personne@example.org"}
    unknown = anonymous.post(url, data=data, follow_redirects=True)
    assert known.get_data(as_text=True).replace("sophie@", "X@") == unknown.get_data(as_text=True).replace(
        "personne@", "X@"
    )
    assert mails(app, "personne@example.org") == []  # nobody is mailed about an address with no account
    reset_mail = mails(app, "sophie@example.org")[-1]
    assert reset_mail["Subject"] == "Choisir un nouveau mot de passe Dûment" and "60 minutes" in text(reset_mail)
    form_url = link(reset_mail, "/compte/nouveau-mot-de-passe/")
    short = {"csrf_token": csrf(anonymous, form_url), "password": "court", "confirm": "court"}
    assert "12 caractères" in anonymous.post(form_url, data=short).get_data(as_text=True)
    data = {
        "csrf_token": csrf(anonymous, form_url),
        "password": "une toute nouvelle phrase",
        "confirm": "une toute nouvelle phrase",
    }
    done = anonymous.post(form_url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Mot de passe changé. Vous êtes déconnecté de tous vos appareils" in done
    assert laptop.get("/compte").status_code == 302 and phone.get("/compte").status_code == 302
    assert sign_in(app.test_client(), "sophie@example.org", PASSWORD).status_code == 400
    assert sign_in(app.test_client(), "sophie@example.org", "une toute nouvelle phrase").status_code == 302
    reused = anonymous.get(form_url)
    assert reused.status_code == 400 and "Ce lien a déjà servi" in reused.get_data(as_text=True)


def test_an_expired_reset_link_is_refused_in_french(app, client, monkeypatch):
    verified_sign_up(app.test_client(), "sophie@example.org")
    url = "/compte/mot-de-passe-oublie"
    client.post(url, data={"csrf_token": csrf(client, url), "email": "sophie@example.org"})
    monkeypatch.setattr(accounts, "RESET_MAX_AGE", timedelta(seconds=-1))
    page = client.get(link(mails(app, "sophie@example.org")[-1], "/compte/nouveau-mot-de-passe/"))
    assert page.status_code == 400 and "Ce lien a expiré." in page.get_data(as_text=True)


def test_an_invitation_goes_by_mail_and_only_the_confirmed_owner_of_the_address_accepts_it(app):
    supervisor, karim, eve = app.test_client(), app.test_client(), app.test_client()
    verified_sign_up(supervisor, "sophie@example.org")
    supervisor.post("/equipes/nouvelle", data={"csrf_token": csrf(supervisor, "/compte"), "name": "Permanence"})
    data = {"csrf_token": csrf(supervisor, "/equipes/1"), "email": "karim@example.org", "role": accounts.VOLUNTEER}
    supervisor.post("/equipes/1", data=data)
    [invitation_mail] = mails(app, "karim@example.org")
    assert invitation_mail["Subject"] == "Sophie Leroy vous invite à rejoindre l'équipe « Permanence » sur Dûment"
    assert "comme bénévole" in text(invitation_mail) and "/compte" in text(invitation_mail)
    with app.app_context():
        invitation_id = db.session().query(Invitation).one().id
    accept = f"/invitations/{invitation_id}/accepter"
    verified_sign_up(eve, "eve@example.org")  # Eve is confirmed, but not at the invited address
    assert eve.post(accept, data={"csrf_token": csrf(eve, "/compte")}).status_code == 404
    sign_up_only(karim, "karim@example.org", name="Karim Benali")
    sign_in(karim, "karim@example.org")  # signed in, address not yet confirmed
    refused = karim.post(accept, data={"csrf_token": csrf(karim, "/compte")}, follow_redirects=True)
    assert "Confirmez d'abord votre adresse e-mail" in flash_of(refused.get_data(as_text=True))
    assert karim.get("/equipes/1").status_code == 404
    overview = karim.get("/compte").get_data(as_text=True)
    assert "Votre adresse n'est pas encore confirmée" in overview and "Renvoyer le lien de confirmation" in overview
    confirm(karim, "karim@example.org")
    assert karim.post(accept, data={"csrf_token": csrf(karim, "/compte")}).status_code == 302
    assert karim.get("/equipes/1").status_code == 200


def test_an_unconfirmed_account_cannot_take_a_dossier_into_its_account(app, client):
    from tests.test_web import new_dossier

    token = new_dossier(client)
    sign_up_only(client, "sophie@example.org")
    sign_in(client, "sophie@example.org")
    review = f"/dossier/{token}/etape/recapitulatif"
    data = {"csrf_token": csrf(client, "/"), "version": "1", "owner": "moi"}
    response = client.post(f"/dossier/{token}/rattacher", data=data)
    assert response.status_code == 302
    assert "Confirmez d'abord votre adresse" in flash_of(client.get(review).get_data(as_text=True))
    with app.app_context():
        from webapp.store import dossiers

        assert dossiers.by_token(db.session(), token).owner_id is None


def test_mail_links_use_the_configured_address_never_the_requests_host(app):
    app.config["BASE_URL"] = "https://dument.example.org"
    verified_sign_up(app.test_client(), "sophie@example.org")
    attacker, url, evil = app.test_client(), "/compte/mot-de-passe-oublie", "http://evil.example"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', attacker.get(url, base_url=evil).text)[1]
    attacker.post(url, data={"csrf_token": token, "email": "sophie@example.org"}, base_url=evil)
    body = text(mails(app, "sophie@example.org")[-1])
    assert "https://dument.example.org/compte/nouveau-mot-de-passe/" in body and "evil.example" not in body


def test_with_the_mail_server_down_the_sign_up_still_answers_and_the_mail_waits_in_the_outbox(app, client):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"
    page = sign_up_only(client, "sophie@example.org")
    assert page.status_code == 200 and "Un courriel vient d'être envoyé" in page.get_data(as_text=True)
    with app.app_context():
        [row] = db.session().query(OutboxMessage).all()
        assert row.status == "pending" and row.attempts == 1 and "injoignable" in row.last_error
        assert row.to_address == "sophie@example.org" and row.kind == "verification"
