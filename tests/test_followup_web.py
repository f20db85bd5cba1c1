"""The Suivi page, the home page's week, the .ics of a dossier and the calendar subscription."""

from __future__ import annotations

import copy
import html
import re
from datetime import date, timedelta

import icalendar
import pytest

from tests.conftest import BASE_CLAIM
from tests.test_web import csrf_fields, new_dossier, stored
from webapp.store import accounts, dossiers
from webapp.store.models import CalendarToken
from webapp.web import db

PASSWORD = "un mot de passe assez long"


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def put_claim(app, token: str, claim: dict) -> None:
    with app.app_context():
        dossiers.save_claim(db.session(), dossiers.by_token(db.session(), token), claim)


def complete_claim(**changes) -> dict:
    claim = copy.deepcopy(BASE_CLAIM)
    claim["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    claim.update(changes)
    return claim


@pytest.fixture
def dossier(app, client):
    token = new_dossier(client)
    put_claim(app, token, complete_claim())
    return token


def suivi(token: str, on: str = "10/03/2025") -> str:
    return f"/dossier/{token}/suivi?le={on}"


def record(client, token, action, on="10/03/2025", **fields):
    """Open an event's form (its date already today's) and save it: what a person does in two clicks."""
    url = suivi(token, on)
    page = client.get(f"{url}&noter={action}").get_data(as_text=True)
    prefilled = dict(re.findall(rf'name="({action}-[\w]+)" [^>]*?value="([^"]*)"', page))
    data = {**csrf_fields(client, url), **prefilled, "action": action}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(url, data=data)


def test_the_page_shows_the_next_step_the_deadlines_and_the_timeline(client, dossier):
    page = text_of(client.get(suivi(dossier)))
    assert "Que faire : Relance amiable" in page
    assert "Relance 1, par e-mail : à envoyer dès maintenant (le plan la prévoyait le 3 février 2025)" in page
    assert "Prescription de la facture F-1" in page and "1er janvier 2030" in page
    assert "1er janvier 2025 — Facture F-1 émise (1 000,00 € TTC)" in page.replace("\u202f", " ")


def test_event_dates_are_today_by_default_and_only_the_chosen_form_is_shown(client, dossier):
    page = client.get(suivi(dossier)).get_data(as_text=True)
    assert 'name="relance-date"' not in page and "noter=relance" in page  # a link opens it
    page = client.get(suivi(dossier) + "&noter=relance").get_data(as_text=True)
    assert re.search(r'name="relance-date"[^>]*value="10/03/2025"', page)
    assert 'name="paiement-date"' not in page


def test_a_mise_en_demeure_recorded_in_two_clicks_makes_the_analysis_wait(app, client, dossier):
    response = record(client, dossier, "med", registered="y", received="12/03/2025")
    assert response.status_code == 302
    assert stored(app, dossier)["history"]["formal_notice"] == {
        "sent": "2025-03-10",
        "registered": True,
        "received": "2025-03-12",
    }
    page = text_of(client.get(suivi(dossier, "13/03/2025")))
    assert "Mise en demeure enregistrée." in page  # said once, after the save
    assert "Que faire : Injonction de payer, à partir du 21 mars 2025" in page
    assert "Attendez le 21 mars 2025" in page
    assert "restée sans effet" not in page
    analysis = text_of(client.get(f"/dossier/{dossier}/analyse?le=13/03/2025"))
    assert "Attendez le 21 mars 2025" in analysis


def test_the_delai_written_in_the_letter_is_kept(app, client, dossier):
    record(client, dossier, "med", received="12/03/2025", deadline_days="15")
    assert stored(app, dossier)["history"]["formal_notice"]["deadline_days"] == 15
    assert "à partir du 28 mars 2025" in text_of(client.get(suivi(dossier, "13/03/2025")))


def test_wizard_messages_next_to_the_field_and_nothing_saved(app, client, dossier):
    before = stored(app, dossier)
    response = record(client, dossier, "promesse", made="20/03/2025", pay_by="15/03/2025")
    page = text_of(response)
    assert response.status_code == 200
    assert "La date promise pour payer ne peut pas précéder la promesse." in page
    response = record(client, dossier, "relance", date="31/02/2025")
    assert "Cette date n'existe pas : 31/02/2025." in text_of(response)
    response = record(client, dossier, "med", sent="")
    assert "Ce champ est obligatoire." in text_of(response)
    assert stored(app, dossier) == before


def test_the_engine_refuses_a_payment_above_what_is_due(app, client, dossier):
    before = stored(app, dossier)
    response = record(client, dossier, "paiement", amount="5 000,00")
    assert "dépasse" in text_of(response)
    assert stored(app, dossier) == before


def test_a_receipt_needs_the_mise_en_demeure_first(app, client, dossier):
    response = record(client, dossier, "reception")
    assert "Enregistrez d'abord l'envoi de la mise en demeure." in text_of(response)


def test_promise_plan_and_ordonnance_are_saved_into_the_claim(app, client, dossier):
    record(client, dossier, "promesse", pay_by="25/03/2025", amount="400")
    record(client, dossier, "echeancier", total="1 000,00", count="3", first="31/03/2025", signed="y")
    history = stored(app, dossier)["history"]
    assert history["promises"] == [{"made": "2025-03-10", "pay_by": "2025-03-25", "amount": "400.00"}]
    assert history["payment_plan"]["signed_by_debtor"] is True
    assert history["payment_plan"]["instalments"] == [
        {"due": "2025-03-31", "amount": "333.33"},
        {"due": "2025-04-30", "amount": "333.33"},
        {"due": "2025-05-31", "amount": "333.34"},
    ]
    assert record(client, dossier, "ordonnance").status_code == 200  # no requête filed yet
    record(client, dossier, "requete", on="01/06/2025")
    record(client, dossier, "ordonnance", on="15/06/2025", outcome="granted")
    record(client, dossier, "signification", on="01/07/2025", in_person="y")
    order = stored(app, dossier)["history"]["order"]
    assert order == {
        "filed": "2025-06-01",
        "rendered": "2025-06-15",
        "outcome": "granted",
        "served": "2025-07-01",
        "served_in_person": True,
    }
    page = text_of(client.get(suivi(dossier, "02/07/2025")))
    assert "Dernier jour pour l'opposition du débiteur" in page and "1er août 2025" in page


def test_pausing_the_reminders(app, client, dossier):
    record(client, dossier, "pause")
    assert stored(app, dossier)["follow_up"] == {"paused": True}
    assert "Relances arrêtées : Les relances de ce dossier sont suspendues." in text_of(client.get(suivi(dossier)))
    record(client, dossier, "reprise")
    assert stored(app, dossier)["follow_up"] == {"paused": False}


def test_an_unknown_action_is_a_404(client, dossier):
    url = suivi(dossier)
    assert client.post(url, data={**csrf_fields(client, url), "action": "nope"}).status_code == 404


def test_the_dossier_calendar_parses_back_with_icalendar(app, client, dossier):
    today = date.today()
    put_claim(
        app,
        dossier,
        complete_claim(
            history={
                "formal_notice": {
                    "sent": (today - timedelta(days=3)).isoformat(),
                    "received": (today - timedelta(days=1)).isoformat(),
                }
            }
        ),
    )
    response = client.get(f"/dossier/{dossier}/suivi/echeances.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.get_data())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    expiry = next(e for s, e in events.items() if "Fin du délai de paiement laissé par la mise en demeure" in s)
    assert expiry.decoded("dtstart") >= today - timedelta(days=1) + timedelta(days=8)
    assert any("Prescription de la facture F-1" in s for s in events)
    assert any(s.startswith("Boulangerie Martin SAS — Prochaine étape possible : Injonction de payer") for s in events)
    assert len({str(e["uid"]) for e in events.values()}) == len(events)


def test_the_home_page_lists_what_falls_due_this_week(app, client, dossier):
    today = date.today()
    received = today - timedelta(days=5)
    put_claim(
        app,
        dossier,
        complete_claim(history={"formal_notice": {"sent": received.isoformat(), "received": received.isoformat()}}),
    )
    page = text_of(client.get("/"))
    assert "Cette semaine" in page
    assert "Boulangerie Martin SAS : Fin du délai de paiement laissé par la mise en demeure" in page


# --- the subscription address ------------------------------------------------------------


def sign_up(app, client, email):
    with app.app_context():
        account = accounts.create_account(db.session(), email, "Sophie Leroy", PASSWORD)
        db.session().commit()
        account_id = account.id
    page = client.get("/compte/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/compte/connexion", data={"csrf_token": token, "email": email, "password": PASSWORD})
    return account_id


def manage(client, **data):
    page = client.get("/calendrier").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/calendrier", data={"csrf_token": token, **data})


def test_one_unguessable_revocable_address_per_account(app, client):
    sign_up(app, client, "sophie@example.fr")
    token = new_dossier(client)
    put_claim(app, token, complete_claim())
    first = re.search(
        r'value="(http://localhost/calendrier/([\w-]+)\.ics)"', manage(client, do="renew").get_data(as_text=True)
    )
    address, secret = first.groups()
    assert len(secret) >= 43  # 32 random bytes
    with app.app_context():
        stored_hashes = [t.token_hash for t in db.session().query(CalendarToken).all()]
    assert secret not in stored_hashes and len(stored_hashes) == 1  # only its hash is kept
    feed = app.test_client().get(address.removeprefix("http://localhost"))  # a calendar app: no session
    assert feed.status_code == 200
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(feed.get_data()).walk("VEVENT")]
    assert any("Prescription de la facture F-1" in s for s in summaries)
    second = re.search(r"calendrier/([\w-]+)\.ics", manage(client, do="renew").get_data(as_text=True)).group(1)
    assert app.test_client().get(f"/calendrier/{secret}.ics").status_code == 404  # the old one is revoked
    assert app.test_client().get(f"/calendrier/{second}.ics").status_code == 200
    manage(client, do="revoke")
    assert app.test_client().get(f"/calendrier/{second}.ics").status_code == 404
    assert app.test_client().get("/calendrier/not-a-token.ics").status_code == 404


def test_only_a_supervisor_manages_the_team_address(app, client):
    account_id = sign_up(app, client, "sophie@example.fr")
    with app.app_context():
        session = db.session()
        account = session.get(accounts.Account, account_id)
        team = accounts.create_organisation(session, account, "Association d'aide")
        other = accounts.create_organisation(
            session, accounts.create_account(session, "b@example.fr", "B", PASSWORD), "Autre"
        )
        session.commit()
        team_id, other_id = team.id, other.id
    with app.app_context():
        session = db.session()
        dossiers.create(session, complete_claim(), organisation_id=team_id)
        dossiers.create(
            session, complete_claim(debtor={**BASE_CLAIM["debtor"], "name": "Autre SAS"}), organisation_id=other_id
        )
        session.commit()
    made = manage(client, do="renew", team=str(team_id)).get_data(as_text=True)
    secret = re.search(r"calendrier/([\w-]+)\.ics", made).group(1)
    feed = icalendar.Calendar.from_ical(app.test_client().get(f"/calendrier/{secret}.ics").get_data())
    summaries = {str(e["summary"]).split(" — ")[0] for e in feed.walk("VEVENT")}
    assert summaries == {"Boulangerie Martin SAS"}  # the team's dossier, not another team's
    assert manage(client, do="renew", team=str(other_id)).status_code == 403


def test_the_calendar_page_needs_an_account(client):
    assert client.get("/calendrier").status_code == 302


def test_the_reminder_plan_of_the_dossier_can_be_changed(app, client, dossier):
    page = client.get(suivi(dossier) + "&noter=plan").get_data(as_text=True)
    assert re.search(r'name="plan-days"[^>]*value="3, 10, 20"', page)
    assert "Les relances doivent se suivre" in text_of(record(client, dossier, "plan", days="10, 5"))
    record(client, dossier, "plan", days="7, 14", channel="letter")
    assert stored(app, dossier)["follow_up"]["plan"] == [
        {"days": 7, "channel": "letter"},
        {"days": 14, "channel": "letter"},
    ]
    assert "Relance 1, par courrier : à envoyer dès maintenant (le plan la prévoyait le 7 février 2025)" in text_of(
        client.get(suivi(dossier))
    )


def test_analysis_and_documents_show_the_coming_deadlines(app, client, dossier):
    put_claim(app, dossier, complete_claim(history={"formal_notice": {"sent": "2025-03-01", "received": "2025-03-03"}}))
    for page in ("analyse", "documents"):
        text = text_of(client.get(f"/dossier/{dossier}/{page}?le=05/03/2025"))
        assert "Échéances à venir" in text and "11 mars 2025 (6 j) : Fin du délai de paiement" in text
    assert "Attendez le 12 mars 2025" in text_of(client.get(f"/dossier/{dossier}/documents?le=05/03/2025"))


def test_analysis_and_documents_say_from_when_the_advised_step_may_be_taken(app, client, dossier):
    put_claim(app, dossier, complete_claim(history={"formal_notice": {"sent": "2025-03-01", "received": "2025-03-03"}}))
    analysis = text_of(client.get(f"/dossier/{dossier}/analyse?le=05/03/2025"))
    assert "Prochaine étape conseillée : Injonction de payer, à partir du 12 mars 2025" in analysis
    documents = text_of(client.get(f"/dossier/{dossier}/documents?le=05/03/2025"))
    assert "conseillé à partir du 12 mars 2025" in documents and "conseillé maintenant" not in documents
    assert "conseillé maintenant" in text_of(client.get(f"/dossier/{dossier}/documents?le=12/03/2025"))
