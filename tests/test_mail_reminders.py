"""The "Relances automatiques" and "Courriels" pages of a dossier: preview, turning on, plan, failures."""

from __future__ import annotations

import html
import re

from tests.mailbox import PASSWORD, sign_in
from tests.test_followups_run import CLAIM, DEBTOR_EMAIL
from tests.test_followups_run import smtp as smtp  # the fixture: a real SMTP server on 127.0.0.1
from webapp.store import dossiers
from webapp.store.models import AuditEvent, Dossier, FollowUp, OwnerPlan
from webapp.web import db


def signed_in(app, client, email: str = "sophie@example.org") -> None:
    """A confirmed account, signed in (its confirmation is tested in test_mail_accounts.py)."""
    from datetime import UTC, datetime

    from webapp.store import accounts

    with app.app_context():
        account = accounts.create_account(db.session(), email, "Sophie Leroy", PASSWORD)
        account.email_verified_at = datetime.now(UTC)
        db.session().commit()
    assert sign_in(client, email).status_code == 302


def token_of(client, url: str) -> str:
    """A CSRF token from the page (any form's: they are all the session's token)."""
    return re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', client.get(url).text).group(1)


def own_dossier(app, client, claim=CLAIM) -> tuple[str, str]:
    """A confirmed account's dossier with a complete claim: (token, id)."""
    from tests.test_web import new_dossier

    token = new_dossier(client)
    with app.app_context():
        stored = dossiers.by_token(db.session(), token)
        dossiers.save_claim(db.session(), stored, dict(claim))
        return token, stored.id


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def version(app, token: str) -> str:
    with app.app_context():
        return str(dossiers.by_token(db.session(), token).version)


def post(client, app, url: str, token: str, **data):
    fields = {"csrf_token": token_of(client, f"/dossier/{token}/relances"), "version": version(app, token)}
    return client.post(url, data={**fields, **data})


def enable(client, app, token: str, email: str = DEBTOR_EMAIL, confirm: bool = True):
    data = {"relances-csrf_token": token_of(client, f"/dossier/{token}/relances"), "version": version(app, token)}
    data["relances-debtor_email"] = email
    if confirm:
        data["relances-confirm"] = "y"
    return client.post(f"/dossier/{token}/relances", data=data)


def test_each_message_is_previewed_and_reminders_go_only_once_turned_on(app, client, smtp):
    signed_in(app, client)
    token, dossier_id = own_dossier(app, client)
    page = page_text(client.get(f"/dossier/{token}/relances"))
    for subject in ("Rappel — facture n° F-2026-031", "Deuxième rappel", "Dernier rappel avant mise en demeure"):
        assert subject in page
    assert "Il s'agit sans doute d'un simple oubli" in page and "relance.pdf" in page
    assert app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-11-05"]).exit_code == 0
    assert smtp.messages == []  # not turned on: nothing goes
    unconfirmed = enable(client, app, token, confirm=False)
    assert unconfirmed.status_code == 400 and "Cochez cette case" in page_text(unconfirmed)
    invalid = enable(client, app, token, email="compta@")
    assert invalid.status_code == 400 and 'id="relances-debtor_email-erreur"' in invalid.get_data(as_text=True)
    assert enable(client, app, token).status_code == 302
    with app.app_context():
        follow_up = db.session().get(FollowUp, dossier_id)
        assert follow_up.enabled and follow_up.debtor_email == DEBTOR_EMAIL
        actions = [e.action for e in db.session().query(AuditEvent).filter_by(dossier_id=dossier_id)]
        assert "relances activées" in actions
    app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-11-05"])
    [message] = smtp.messages
    assert message["To"] == DEBTOR_EMAIL
    mails_page = page_text(client.get(f"/dossier/{token}/courriels"))
    assert (
        "envoyé" in mails_page and DEBTOR_EMAIL in mails_page and "Il s'agit sans doute d'un simple oubli" in mails_page
    )
    assert "relance n° 1" in mails_page
    post(client, app, f"/dossier/{token}/relances/desactiver", token)
    app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-11-12"])
    assert len(smtp.messages) == 1


def test_reminders_need_a_confirmed_account_that_holds_the_dossier(app, client):
    from tests.test_web import new_dossier

    token = new_dossier(client)
    with app.app_context():
        dossiers.save_claim(db.session(), dossiers.by_token(db.session(), token), dict(CLAIM))
    page = page_text(client.get(f"/dossier/{token}/relances"))
    assert "Connectez-vous et rattachez ce dossier à votre compte" in page and "Activer les relances" not in page
    enable(client, app, token)
    with app.app_context():
        assert db.session().query(FollowUp).count() == 0


def test_a_plan_per_dossier_and_per_account(app, client, smtp):
    signed_in(app, client)
    token, dossier_id = own_dossier(app, client)
    other_token, _ = own_dossier(app, client)
    post(client, app, f"/dossier/{token}/relances/calendrier", token, **{"plan-days": "5, 15", "plan-scope": "dossier"})
    with app.app_context():
        assert db.session().get(Dossier, dossier_id).claim["follow_up"]["plan"] == [
            {"days": 5, "channel": "email"},
            {"days": 15, "channel": "email"},
        ]
    wrong = post(
        client, app, f"/dossier/{token}/relances/calendrier", token, **{"plan-days": "10, 3", "plan-scope": "dossier"}
    )
    assert wrong.status_code == 400 and "croissants" in page_text(wrong)
    data = {"plan-days": "7, 14, 21, 28", "plan-scope": "compte"}
    post(client, app, f"/dossier/{other_token}/relances/calendrier", other_token, **data)
    with app.app_context():
        assert db.session().query(OwnerPlan).one().days == "7, 14, 21, 28"
    page = page_text(client.get(f"/dossier/{other_token}/relances"))
    assert "Relance n° 4" in page  # the account's plan, four steps
    assert "Relance n° 3" not in page_text(client.get(f"/dossier/{token}/relances"))  # its own plan wins


def test_a_refused_address_shows_on_the_dossier_and_is_sent_again_once_corrected(app, client, smtp):
    signed_in(app, client)
    token, dossier_id = own_dossier(app, client)
    enable(client, app, token, email="refuse@boulangerie-martin.fr")
    app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-11-05"])
    page = page_text(client.get(f"/dossier/{token}/relances"))
    assert "n'a pas pu être envoyée à refuse@boulangerie-martin.fr" in page and "Les relances sont suspendues" in page
    mails_page = page_text(client.get(f"/dossier/{token}/courriels"))
    assert "échec" in mails_page and "adresse refusée par le serveur (550" in mails_page
    enable(client, app, token, email=DEBTOR_EMAIL)  # corrected
    app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-11-05"])
    assert [m["To"] for m in smtp.messages] == [DEBTOR_EMAIL]
    with app.app_context():
        assert db.session().get(FollowUp, dossier_id).problem == ""
