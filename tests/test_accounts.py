"""Accounts and teams through HTTP: sign-up, sign-in limits, claiming, verification, personal data."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from tests.conftest import BASE_CLAIM
from tests.mailbox import sign_up_only, verified_sign_up
from tests.test_web import CREDITOR, csrf, csrf_fields, new_dossier, post, url
from webapp import create_app
from webapp.app import ConfigurationError
from webapp.store import accounts, dossiers
from webapp.store.models import Account, AuditEvent, Invitation
from webapp.web import db

PASSWORD = "une phrase de passe solide"


def sign_up(client, email: str, name: str = "Sophie Leroy", password: str = PASSWORD, next_url: str = ""):
    """Sign up, confirm the address from the captured mail, sign in: an account that may join teams."""
    return verified_sign_up(client, email, name, password, next_url)


def sign_in(client, email: str, password: str = PASSWORD, next_url: str = ""):
    url = "/compte/connexion" + (f"?suivant={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": csrf(client, url), "email": email, "password": password})


def error_next_to(page: str, field: str) -> str:
    """The error message shown next to a field (the paragraph the field's aria-describedby names)."""
    marker = f'id="{field}-erreur">'
    assert marker in page, f"no error next to {field}"
    return page.split(marker, 1)[1].split("</p>", 1)[0]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def account(app, email: str) -> Account:
    with app.app_context():
        return accounts.by_email(db.session(), email)


# --- Sign-up and sign-in -------------------------------------------------------------------
def test_sign_up_keeps_only_an_argon2_hash_and_signs_in(app, client):
    response = sign_up(client, "Sophie@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == "/compte"
    stored = account(app, "sophie@example.org")
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    page = client.get("/compte").get_data(as_text=True)
    assert "Sophie Leroy" in page and "sophie@example.org" in page and "Se déconnecter" in page


def test_sign_up_errors_are_shown_next_to_the_field_in_french(app, client):
    sign_up(client, "sophie@example.org")
    other = app.test_client()  # an address already taken: tests/test_mail_accounts.py (same answer, owner mailed)
    page = sign_up_only(other, "karim@example.org", password="court").get_data(as_text=True)
    assert "12 caractères" in error_next_to(page, "password")
    url = "/compte/inscription"
    data = {"csrf_token": csrf(other, url), "name": "K", "email": "karim@example.org"}
    page = other.post(url, data={**data, "password": PASSWORD, "confirm": PASSWORD + "!"}).get_data(as_text=True)
    assert "ne sont pas identiques" in error_next_to(page, "confirm")
    assert account(app, "karim@example.org") is None


def test_sign_in_and_out(app, client):
    sign_up(client, "sophie@example.org")
    client.post("/compte/deconnexion", data={"csrf_token": csrf(client, "/compte")})
    assert client.get("/compte").status_code == 302
    response = sign_in(client, "sophie@example.org", "pas le bon mot de passe")
    assert response.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect" in error_next_to(response.get_data(as_text=True), "password")
    assert sign_in(client, " Sophie@example.org", next_url="/compte").status_code == 302
    assert client.get("/compte").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/%09/evil.example/", "/%0A/evil.example"],
)
def test_sign_in_never_sends_to_another_site(client, target):
    sign_up(client, "sophie@example.org")
    client.post("/compte/deconnexion", data={"csrf_token": csrf(client, "/compte")})
    assert sign_in(client, "sophie@example.org", next_url=target).headers["Location"] == "/compte"


def test_sign_in_is_refused_for_a_while_after_repeated_failures(app, client):
    sign_up(client, "sophie@example.org")
    client.post("/compte/deconnexion", data={"csrf_token": csrf(client, "/compte")})
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert sign_in(client, "sophie@example.org", "mauvais mot de passe").status_code == 400
    response = sign_in(client, "sophie@example.org")  # the right password, too late
    assert response.status_code == 429
    assert "Trop d'essais infructueux" in error_next_to(
        response.get_data(as_text=True).replace("&#39;", "'"), "password"
    )
    assert client.get("/compte").status_code == 302  # not signed in
    sign_up(app.test_client(), "karim@example.org")
    assert sign_in(app.test_client(), "karim@example.org").status_code == 302  # other accounts unaffected


def test_failures_are_counted_per_address_and_forgotten_after_the_window(app):
    throttle = accounts.Throttle(free_per_account=5, free_per_address=3, window=timedelta(minutes=15))
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with app.app_context():
        session = db.session()
        for i in range(3):  # three different e-mails from one address
            accounts.record_failure(session, f"x{i}@example.org", "203.0.113.9", now, throttle.window)
        session.commit()
        assert accounts.wait_seconds(session, "new@example.org", "203.0.113.9", now, throttle) == 1
        assert accounts.wait_seconds(session, "new@example.org", "198.51.100.1", now, throttle) == 0
        later = now + timedelta(minutes=16)
        assert accounts.wait_seconds(session, "new@example.org", "203.0.113.9", later, throttle) == 0


# --- Owning, claiming, verifying -------------------------------------------------------------
def test_an_anonymous_dossier_is_claimed_into_an_account_after_sign_up(app, client):
    token = new_dossier(client)
    review = f"/dossier/{token}/etape/recapitulatif"
    assert "Connectez-vous" in client.get(review).get_data(as_text=True)
    assert sign_up(client, "sophie@example.org", next_url=review).headers["Location"] == review
    response = client.post(f"/dossier/{token}/rattacher", data={**csrf_fields(client, review), "owner": "moi"})
    assert response.status_code == 302
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier.owner_id == account(app, "sophie@example.org").id
        events = [(e.action, e.actor) for e in db.session().query(AuditEvent).filter_by(dossier_id=dossier.id)]
    assert ("rattaché", "sophie@example.org") in events
    assert app.test_client().get(review).status_code == 404  # the link alone no longer opens it
    assert client.get(review).status_code == 200
    assert "Boulangerie" not in app.test_client().get("/").get_data(as_text=True)


def test_a_dossier_cannot_be_claimed_into_a_team_one_is_not_in(app, client):
    sign_up(client, "sophie@example.org")
    token = new_dossier(client)  # signed in: the dossier is Sophie's from the start
    with app.app_context():
        assert dossiers.by_token(db.session(), token).owner_id is not None
        mallory = accounts.create_account(db.session(), "mallory@example.org", "Mallory", PASSWORD)
        team = accounts.create_organisation(db.session(), mallory, "Autre équipe")
        db.session().commit()
        team_id = team.id
    review = f"/dossier/{token}/etape/recapitulatif"
    client.post(f"/dossier/{token}/rattacher", data={**csrf_fields(client, review), "owner": f"equipe-{team_id}"})
    with app.app_context():
        assert dossiers.by_token(db.session(), token).organisation_id is None


def invitation_id(app, email: str) -> int:
    with app.app_context():
        return db.session().query(Invitation).filter_by(email=email).one().id


def accept(app, client, email: str, choice: str = "accepter"):
    url = f"/invitations/{invitation_id(app, email)}/{choice}"
    return client.post(url, data={"csrf_token": csrf(client, "/")})


def team_dossier(app, supervisor, volunteer) -> tuple[str, int]:
    """Sophie (supervisor) makes a team with Karim (volunteer), who starts a complete team dossier."""
    team_id = team_with_volunteer(app, supervisor, volunteer)
    token = new_dossier(volunteer, owner=f"equipe-{team_id}")
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        dossiers.save_claim(db.session(), dossier, BASE_CLAIM)
    return token, team_id


def team_with_volunteer(app, supervisor, volunteer) -> int:
    """Sophie (supervisor) makes the team « Permanence » and Karim joins it as a volunteer; its id."""
    sign_up(supervisor, "sophie@example.org")
    sign_up(volunteer, "karim@example.org", name="Karim Benali")
    supervisor.post("/equipes/nouvelle", data={"csrf_token": csrf(supervisor, "/compte"), "name": "Permanence"})
    with app.app_context():
        team_id = accounts.by_email(db.session(), "sophie@example.org").memberships[0].organisation_id
    team_url = f"/equipes/{team_id}"
    data = {"csrf_token": csrf(supervisor, team_url), "email": "karim@example.org", "role": accounts.VOLUNTEER}
    assert supervisor.post(team_url, data=data).status_code == 302
    accept(app, volunteer, "karim@example.org")
    return team_id


def test_team_documents_say_projet_until_a_supervisor_verifies_the_current_version(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    token, _ = team_dossier(app, supervisor, volunteer)
    pdf_url = f"/dossier/{token}/documents/mise-en-demeure.pdf?le=23/11/2026"
    assert "PROJET" in pdf_text(volunteer.get(pdf_url).data)
    documents = volunteer.get(f"/dossier/{token}/documents").get_data(as_text=True)
    assert "À vérifier" in documents and "marquer « vérifié »" not in documents
    page = supervisor.get(f"/dossier/{token}/documents").get_data(as_text=True)
    assert "marquer « vérifié »" in page
    response = supervisor.post(
        f"/dossier/{token}/verifier", data=csrf_fields(supervisor, f"/dossier/{token}/documents")
    )
    assert response.status_code == 302
    assert "PROJET" not in pdf_text(volunteer.get(pdf_url).data)
    assert "Vérifié par Sophie Leroy" in volunteer.get(f"/dossier/{token}/documents").get_data(as_text=True)
    with app.app_context():  # any change after the check needs a new check
        dossier = dossiers.by_token(db.session(), token)
        dossiers.save_claim(db.session(), dossier, {**BASE_CLAIM, "invoices": [{**BASE_CLAIM["invoices"][0]}]})
    assert "PROJET" in pdf_text(volunteer.get(pdf_url).data)
    dossier_pdf = pdf_text(volunteer.get(f"/dossier/{token}/dossier-injonction.pdf").data)
    assert dossier_pdf.count("PROJET") >= 3  # on the table of contents, the requête, the décompte…


def test_home_page_lists_the_accounts_and_teams_dossiers(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    team_dossier(app, supervisor, volunteer)
    for client in (supervisor, volunteer):
        page = client.get("/").get_data(as_text=True)
        assert "Boulangerie Martin SAS" in page and "équipe « Permanence »" in page
    outsider = app.test_client()
    sign_up(outsider, "eve@example.org")
    assert "Boulangerie" not in outsider.get("/").get_data(as_text=True)
    assert "Boulangerie" not in outsider.get("/compte").get_data(as_text=True)


# --- Personal data -----------------------------------------------------------------------------
def test_a_user_exports_everything_held_about_them(app, client):
    sign_up(client, "sophie@example.org")
    token = new_dossier(client)
    assert post(client, url(token, "creancier"), CREDITOR).status_code == 302
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        dossiers.save_claim(db.session(), dossier, BASE_CLAIM)
        dossiers.put_file(db.session(), dossier, "factures/F-1.pdf", "F-1.pdf", "application/pdf", b"%PDF-1.4 test")
        db.session().commit()
    client.post("/equipes/nouvelle", data={"csrf_token": csrf(client, "/compte"), "name": "Permanence"})
    other = app.test_client()
    sign_up(other, "eve@example.org")
    new_dossier(other)
    response = client.get("/compte/mes-donnees.zip")
    assert response.mimetype == "application/zip" and "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    record = json.loads(archive.read("compte.json"))
    assert record["compte"]["email"] == "sophie@example.org"
    assert record["equipes"] == [{"nom": "Permanence", "role": "Superviseur"}]
    assert {"créé", "modifié"} <= {e["action"] for e in record["journal"]}
    claims = [n for n in archive.namelist() if n.endswith("creance.yaml")]
    assert len(claims) == 1 and yaml.safe_load(archive.read(claims[0])) == BASE_CLAIM
    assert archive.read(claims[0].replace("creance.yaml", "factures/F-1.pdf")) == b"%PDF-1.4 test"
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"$argon2" not in everything and b"eve@example.org" not in everything


def test_closing_and_reopening_a_dossier_is_recorded(app, client):
    token = new_dossier(client)
    review = f"/dossier/{token}/etape/recapitulatif"
    client.post(f"/dossier/{token}/clore", data=csrf_fields(client, review))
    assert "Dossier clos le" in client.get(review).get_data(as_text=True)
    client.post(f"/dossier/{token}/clore", data=csrf_fields(client, review))
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier.closed_at is None
        actions = [e.action for e in db.session().query(AuditEvent).filter_by(dossier_id=dossier.id)]
    assert actions[-2:] == ["clos", "rouvert"]


# --- Configuration ---------------------------------------------------------------------------
def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("DUMENT_PRODUCTION", "true")
    monkeypatch.delenv("DUMENT_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="DUMENT_SECRET_KEY"):
        create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert not (tmp_path / "secret_key").exists()  # never a key made up in production


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path, monkeypatch):
    monkeypatch.setenv("DUMENT_PRODUCTION", "true")
    monkeypatch.setenv("DUMENT_SECRET_KEY", "a-long-random-value-from-the-environment")
    monkeypatch.setenv("DUMENT_BASE_URL", "https://dument.example.org")
    app = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    db.upgrade(app)
    assert app.config["SECRET_KEY"] == "a-long-random-value-from-the-environment"
    cookie = app.test_client().get("/").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    db.engine(app).dispose()


def test_a_second_sign_up_with_the_same_email_at_the_same_moment_is_a_form_error(app):
    """The check before hashing cannot see a sign-up still hashing: the unique index decides."""
    with app.app_context():
        session = db.session()
        accounts.create_account(session, "sophie@example.org", "Sophie", PASSWORD)
        session.commit()
        original = accounts.by_email
        try:
            accounts.by_email = lambda *_: None  # as if the other request had not committed yet
            with pytest.raises(accounts.AccountError, match="existe déjà"):
                accounts.create_account(session, "sophie@example.org", "Sophie bis", PASSWORD)
        finally:
            accounts.by_email = original
        assert session.query(Account).count() == 1


def test_behind_a_trusted_proxy_failures_are_counted_for_the_real_client(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "TRUSTED_PROXIES": 1, "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    )
    db.upgrade(app)
    client = app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.7"}
    page = client.get("/compte/connexion", headers=headers).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": token, "email": "x@example.org", "password": "mauvais"}
    client.post("/compte/connexion", data=data, headers=headers)
    with app.app_context():
        from webapp.store.models import LoginFailure

        assert [f.address for f in db.session().query(LoginFailure)] == ["203.0.113.7"]
    db.engine(app).dispose()


def test_after_sign_in_the_page_asked_for_opens(app, client):
    sign_up(client, "sophie@example.org")
    client.post("/equipes/nouvelle", data={"csrf_token": csrf(client, "/compte"), "name": "Permanence"})
    client.post("/compte/deconnexion", data={"csrf_token": csrf(client, "/compte")})
    asked = client.get("/equipes/1")
    assert asked.status_code == 302 and "/compte/connexion" in asked.headers["Location"]
    login_url = asked.headers["Location"]
    data = {"csrf_token": csrf(client, login_url), "email": "sophie@example.org", "password": PASSWORD}
    assert client.post(login_url, data=data).headers["Location"] == "/equipes/1"


def test_an_own_dossier_offers_only_the_teams_and_an_incomplete_one_cannot_be_verified(app):
    supervisor = app.test_client()
    sign_up(supervisor, "sophie@example.org")
    supervisor.post("/equipes/nouvelle", data={"csrf_token": csrf(supervisor, "/compte"), "name": "Permanence"})
    own = new_dossier(supervisor, owner="moi")
    review = supervisor.get(f"/dossier/{own}/etape/recapitulatif").get_data(as_text=True)
    assert 'value="moi"' not in review and 'value="equipe-1"' in review
    empty = new_dossier(supervisor, owner="equipe-1")
    review_url = f"/dossier/{empty}/etape/recapitulatif"
    assert "marquer « vérifié »" not in supervisor.get(review_url).get_data(as_text=True)
    supervisor.post(f"/dossier/{empty}/verifier", data=csrf_fields(supervisor, review_url))
    with app.app_context():
        assert not dossiers.by_token(db.session(), empty).verified


def test_deleting_an_account_erases_its_own_dossiers_and_keeps_the_teams(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    team_token, _ = team_dossier(app, supervisor, volunteer)  # Karim made the team's dossier
    own = new_dossier(volunteer, owner="moi")
    volunteer.post(
        f"/dossier/{own}/etape/creancier", data={**csrf_fields(volunteer, url(own, "creancier")), **CREDITOR}
    )
    page = volunteer.post("/compte/supprimer", data={"csrf_token": csrf(volunteer, "/compte"), "password": "non"})
    assert page.status_code == 400 and "Ce n&#39;est pas votre mot de passe" in page.get_data(as_text=True)
    with app.app_context():
        karim_id = accounts.by_email(db.session(), "karim@example.org").id
    data = {"csrf_token": csrf(volunteer, "/compte/supprimer"), "password": PASSWORD}
    assert volunteer.post("/compte/supprimer", data=data).status_code == 302
    assert volunteer.get("/compte").status_code == 302  # signed out
    with app.app_context():
        session = db.session()
        assert accounts.by_email(session, "karim@example.org") is None
        assert dossiers.by_token(session, own) is None
        team_dossier_now = dossiers.by_token(session, team_token)
        assert team_dossier_now is not None and team_dossier_now.owner_id is None
        journal = session.query(AuditEvent).filter_by(dossier_id=team_dossier_now.id).all()
        assert all("karim" not in e.actor for e in journal) and f"compte supprimé n° {karim_id}" in {
            e.actor for e in journal
        }
    assert supervisor.get(f"/dossier/{team_token}/etape/recapitulatif").status_code == 200
    assert sign_in(app.test_client(), "karim@example.org").status_code == 400


def test_the_only_supervisor_of_a_team_with_members_cannot_delete_the_account(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    team_dossier(app, supervisor, volunteer)
    page = supervisor.get("/compte/supprimer").get_data(as_text=True)
    assert "Nommez d'abord un autre superviseur" in page and "Permanence" in page
    token = csrf(supervisor, "/compte")
    assert supervisor.post("/compte/supprimer", data={"csrf_token": token, "password": PASSWORD}).status_code == 400
    assert account(app, "sophie@example.org") is not None


def test_signing_out_ends_the_session_cookie_everywhere(app, client):
    sign_up(client, "sophie@example.org")
    stolen = client.get_cookie("session").value  # e.g. the same account open on another device
    client.post("/compte/deconnexion", data={"csrf_token": csrf(client, "/compte")})
    other_device = app.test_client()
    other_device.set_cookie("session", stolen)
    assert other_device.get("/compte").status_code == 302  # back to the sign-in page


def test_a_deleted_accounts_cookie_never_opens_the_next_account(app):
    bob = app.test_client()
    sign_up(bob, "bob@example.org")
    cookie = bob.get_cookie("session").value
    bob.post("/compte/supprimer", data={"csrf_token": csrf(bob, "/compte/supprimer"), "password": PASSWORD})
    sign_up(app.test_client(), "eve@example.org")  # on SQLite, may get Bob's old id
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/compte").status_code == 302


def test_attempts_sent_all_at_once_are_counted_before_any_password_is_checked(app):
    throttle = accounts.Throttle(free_per_account=5, free_per_address=100, window=timedelta(minutes=15))
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with app.app_context():
        session = db.session()
        attempts = [  # ten requests arrive together, each records itself first
            accounts.record_failure(session, "sophie@example.org", "198.51.100.1", now, throttle.window)
            for _ in range(10)
        ]
        session.commit()
        assert accounts.wait_seconds(session, "sophie@example.org", "198.51.100.1", now, throttle, mine=attempts[0])


def test_the_last_supervisor_cannot_step_down_and_a_volunteer_can_leave(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    _, team_id = team_dossier(app, supervisor, volunteer)
    team = f"/equipes/{team_id}"
    data = {"csrf_token": csrf(supervisor, team), "email": "sophie@example.org", "role": accounts.VOLUNTEER}
    page = supervisor.post(team, data=data)
    assert page.status_code == 400 and "au moins un superviseur" in error_next_to(page.get_data(as_text=True), "role")
    with app.app_context():
        karim = accounts.by_email(db.session(), "karim@example.org")
        membership_id = karim.memberships[0].id
    leave = volunteer.post(f"{team}/membres/{membership_id}/retirer", data={"csrf_token": csrf(volunteer, team)})
    assert leave.status_code == 302 and leave.headers["Location"] == "/compte"
    assert volunteer.get(team).status_code == 404
    assert account(app, "sophie@example.org") is not None


def test_the_reminder_email_of_an_unverified_team_dossier_says_projet(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    token, _ = team_dossier(app, supervisor, volunteer)
    page = volunteer.get(f"/dossier/{token}/documents").get_data(as_text=True)
    assert "[PROJET — à faire vérifier] Rappel" in page
    archive = zipfile.ZipFile(io.BytesIO(volunteer.get(f"/dossier/{token}/documents.zip").data))
    assert "PROJET" in archive.read("relance-courriel.txt").decode()


def test_a_removed_member_exports_none_of_the_teams_dossiers(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    team_dossier(app, supervisor, volunteer)  # Karim created the team's dossier
    archive = zipfile.ZipFile(io.BytesIO(volunteer.get("/compte/mes-donnees.zip").data))
    assert not [n for n in archive.namelist() if n.endswith("creance.yaml")]


def test_pages_are_not_cached_and_production_asks_for_https_only(tmp_path, monkeypatch, client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    with client.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setenv("DUMENT_PRODUCTION", "true")
    monkeypatch.setenv("DUMENT_SECRET_KEY", "short")
    monkeypatch.setenv("DUMENT_BASE_URL", "https://dument.example.org")
    with pytest.raises(ConfigurationError, match="32 characters"):
        create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.setenv("DUMENT_SECRET_KEY", "x" * 40)
    production = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    db.upgrade(production)
    assert production.test_client().get("/").headers["Strict-Transport-Security"].startswith("max-age=")
    db.engine(production).dispose()


def test_an_invitation_tells_no_one_who_has_an_account_and_joins_only_when_accepted(app):
    supervisor, karim = app.test_client(), app.test_client()
    sign_up(supervisor, "sophie@example.org")
    sign_up(karim, "karim@example.org", name="Karim Benali")
    supervisor.post("/equipes/nouvelle", data={"csrf_token": csrf(supervisor, "/compte"), "name": "Permanence"})
    team = "/equipes/1"
    answers = []
    for email in ("karim@example.org", "personne@example.org"):
        data = {"csrf_token": csrf(supervisor, team), "email": email, "role": accounts.VOLUNTEER}
        response = supervisor.post(team, data=data, follow_redirects=True)
        answers.append(response.get_data(as_text=True).split('class="flash')[1].split("</p>")[0])
    assert answers[0] == answers[1]  # same answer whether or not the address has an account
    assert karim.get(team).status_code == 404  # invited is not a member
    assert "equipe-1" not in karim.get("/").get_data(as_text=True)
    assert "Sophie Leroy vous invite à rejoindre l'équipe « Permanence »" in karim.get("/compte").get_data(as_text=True)
    assert accept(app, app.test_client(), "karim@example.org").status_code == 302  # anonymous: to sign in
    eve = app.test_client()
    sign_up(eve, "eve@example.org")
    assert accept(app, eve, "karim@example.org").status_code == 404  # not Eve's invitation
    assert accept(app, karim, "karim@example.org").status_code == 302
    assert karim.get(team).status_code == 200
    later = app.test_client()  # an address invited before its account exists
    sign_up(later, "personne@example.org")
    assert accept(app, later, "personne@example.org", "refuser").status_code == 302
    assert later.get(team).status_code == 404
    page = supervisor.get(team).get_data(as_text=True)
    for event in ("équipe créée", "invité", "invitation acceptée", "invitation refusée"):
        assert f"<td>{event}" in page
