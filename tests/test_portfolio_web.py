"""The web side of the portfolio: ledger import, dossiers from the ledger, dashboard, CSV, creditor profile."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

from sqlalchemy import func, select

from tests.conftest import BASE_CLAIM, CREDITOR
from tests.fec_sample import fec
from tests.test_accounts import sign_up, team_dossier
from tests.test_web import csrf, new_dossier
from webapp.domain.ledger_claims import CREDIT_NOTES
from webapp.store import dossiers
from webapp.store.models import Dossier, LedgerImport
from webapp.web import db

ON = "2026-11-23"


def _import(client, data: bytes, name: str = "FEC.txt", url: str = "/portefeuille/importer", terms: str = "30"):
    form = {"csrf_token": csrf(client, url), "terms": terms, "as_of": "23/11/2026", "file": (io.BytesIO(data), name)}
    return client.post(url, data=form, content_type="multipart/form-data")


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def _dossiers(app) -> list[Dossier]:
    with app.app_context():
        return list(db.session().scalars(select(Dossier).order_by(Dossier.ledger_account)))


def _figure(page: str, ident: str) -> str:
    return re.search(rf'id="{ident}">([^<]+)<', page).group(1)


def test_the_dashboard_needs_an_account(client):
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_a_malformed_fec_is_refused_next_to_the_field_and_nothing_is_kept(app, client):
    sign_up(client, "marie@example.org")
    response = _import(client, fec().replace(b"|3000,00|0,00|", b"|3000,00|0,0x|", 1))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "FEC.txt : ligne 7, colonne Credit : montant invalide « 0,0x »" in page
    assert 'class="error" id="file-erreur"' in page
    assert _count(app, LedgerImport) == 0


def test_a_file_that_is_not_a_ledger_is_refused(app, client):
    sign_up(client, "marie@example.org")
    page = _import(client, b"%PDF-1.7\n\x00\x01binary", "facture.pdf").get_data(as_text=True)
    assert "pas un fichier texte" in page
    page = _import(client, b"nom;prenom\nDupont;Marie\n", "contacts.csv").get_data(as_text=True)
    assert "ni un FEC" in page and _count(app, LedgerImport) == 0


def test_from_the_ledger_to_one_dossier_per_client_with_payments_and_lettering(app, client):
    sign_up(client, "marie@example.org")
    response = _import(client, fec())
    assert response.status_code == 302
    choose = response.headers["Location"]
    page = client.get(choose).get_data(as_text=True)
    assert "Boulangerie Martin SAS" in page and "Garage Durand" in page
    assert 'value="0:F-2026-001"' not in page  # paid: nothing to pursue
    ticked = ["0:F-2026-010", "0:F-2026-020", "1:F-2026-005"]
    response = client.post(f"{choose}/dossiers", data={"csrf_token": csrf(client, choose), "facture": ticked})
    assert response.status_code == 302
    martin, durand = sorted(_dossiers(app), key=lambda d: d.ledger_account, reverse=True)
    assert martin.ledger_account == "411MARTIN" and durand.ledger_account == "411DURAND"
    assert martin.claim["debtor"] == {"name": "Boulangerie Martin SAS"}
    assert [i["number"] for i in martin.claim["invoices"]] == ["F-2026-010", "F-2026-020"]
    assert martin.claim["invoices"][0]["due"] == "2026-07-01"  # the terms given on import
    assert martin.claim["payments"] == [{"date": "2026-11-10", "amount": "200.00", "invoice": "F-2026-020"}]
    if CREDIT_NOTES:  # the claim format knows avoirs: the credit note goes in as one
        assert martin.claim["credit_notes"] == [
            {"number": "AV-2026-001", "date": "2026-11-05", "amount": "100.00", "invoice": "F-2026-020"}
        ]
    else:  # otherwise the amount claimed is net of it, and the invoice says so
        assert martin.claim["invoices"][1]["amount"] == "400.00"
        assert "avoir AV-2026-001 du 05/11/2026" in martin.claim["invoices"][1]["description"]
    assert durand.claim["payments"] == [
        {"date": "2026-10-15", "amount": "300.00"},  # not lettered: imputed by law, oldest first
        {"date": "2026-11-20", "amount": "400.00"},
    ]
    assert martin.summary["complete"] is False  # the debtor's address is still to be completed
    page = client.get(choose).get_data(as_text=True)
    assert "Dossier déjà créé" in page


def test_the_dashboard_shows_the_ledger_once_even_with_dossiers_made_from_it(app, client):
    sign_up(client, "marie@example.org")
    choose = _import(client, fec()).headers["Location"]
    page = client.get(f"/tableau-de-bord/?au={ON}").get_data(as_text=True)
    before = {k: _figure(page, k) for k in ("encours", "echu", "encaisse", "payees", "retard")}
    assert before == {
        "encours": "3\u202f700,00\u00a0€",
        "echu": "3\u202f500,00\u00a0€",
        "encaisse": "2\u202f100,00\u00a0€",
        "payees": "1",
        "retard": "15,0 j",
    }
    client.post(
        f"{choose}/dossiers",
        data={"csrf_token": csrf(client, choose), "facture": ["0:F-2026-010", "1:F-2026-005", "1:F-2026-006"]},
    )
    page = client.get(f"/tableau-de-bord/?au={ON}").get_data(as_text=True)
    assert {k: _figure(page, k) for k in before} == before
    assert "3\u202f000,00\u00a0€ impayés depuis plus de 90 jours" in page
    assert "2 dossiers à compléter" in page
    links = re.findall(r'<a href="/reprendre/[^"]+">dossier<span class="visually-hidden"> de ([^<]+)</span>', page)
    assert sorted(links) == ["Boulangerie Martin SAS", "Garage Durand"]  # each client links to its dossier


def test_plots_are_server_side_svg_images_with_the_same_figures_in_a_table(app, client):
    sign_up(client, "marie@example.org")
    _import(client, fec())
    response = client.get(f"/tableau-de-bord/?au={ON}")
    page = response.get_data(as_text=True)
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', page)
    assert len(images) == 2 and all(alt for _, alt in images)
    svg = base64.b64decode(images[0][0]).decode()
    assert svg.startswith("<svg") and "Encours par ancienneté du retard" in svg
    assert not re.search(r'(?:href|src)="https?://', svg)  # nothing fetched from elsewhere
    assert "<script" not in svg and "<script" not in page.split("<main")[1]  # no JavaScript needed
    table = re.search(r'id="table-anciennete">(.*?)</table>', page, re.S).group(1)
    assert 'Plus de 90 jours</th><td class="num">3\u202f000,00\u00a0€' in table
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]


def test_client_list_as_csv_for_a_spreadsheet(app, client):
    sign_up(client, "marie@example.org")
    _import(client, fec().replace(b"Garage Durand", b"=HYPERLINK(1)"))
    response = client.get(f"/tableau-de-bord/clients.csv?au={ON}")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Client", "Compte", "Encours (€)", "Échu (€)"]
    assert rows[1][:6] == ["Boulangerie Martin SAS", "411MARTIN", "3200,00", "3000,00", "2", "01/07/2026"]
    assert rows[1][8] == "élevé"
    assert rows[2][0] == "'=HYPERLINK(1)"  # never run as a formula


def test_a_team_dashboard_is_for_its_members_only(app, client):
    sign_up(client, "marie@example.org")
    client.post("/equipes/nouvelle", data={"csrf_token": csrf(client, "/compte"), "name": "Permanence"})
    assert client.get("/tableau-de-bord/equipe/1").status_code == 200
    other = app.test_client()
    sign_up(other, "intrus@example.org")
    assert other.get("/tableau-de-bord/equipe/1").status_code == 404
    assert other.get("/tableau-de-bord/equipe/1/clients.csv").status_code == 404
    assert other.get("/portefeuille/equipe/1/importer").status_code == 404
    choose = _import(client, fec(), url="/portefeuille/equipe/1/importer").headers["Location"]
    assert other.get(choose).status_code == 404


def test_the_summary_follows_every_save(app, client):
    with app.app_context():
        session = db.session()
        dossier = dossiers.create(session, BASE_CLAIM)
        session.commit()
        assert dossier.summary["complete"] is True
        assert dossier.summary["client"]["invoices"][0][4] == "1000.00"
        dossiers.save_claim(session, dossier, {**BASE_CLAIM, "payments": [{"date": "2025-01-15", "amount": "250.00"}]})
        assert session.get(Dossier, dossier.id).summary["client"]["invoices"][0][4] == "750.00"


def test_the_creditor_profile_prefills_every_new_dossier(app, client):
    sign_up(client, "marie@example.org")
    url = "/compte/creancier"
    form = {"csrf_token": csrf(client, url), "name": "Atelier Dupont SARL", "kind": "company", "siren": "732829320"}
    form |= {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris", "country": "fr", "iban": ""}
    assert client.post(url, data={**form, "siren": "123"}).status_code == 400
    assert client.post(url, data=form).status_code == 302
    token = new_dossier(client)
    with app.app_context():
        creditor = dossiers.by_token(db.session(), token).claim["creditor"]
    assert creditor == {k: v for k, v in CREDITOR.items()} | {"address": {**CREDITOR["address"], "country": "FR"}}
    page = client.get(f"/dossier/{token}/etape/creancier").get_data(as_text=True)
    assert 'value="Atelier Dupont SARL"' in page


def test_only_a_supervisor_changes_a_team_profile_which_prefills_the_team_dossiers(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    _, team = team_dossier(app, supervisor, volunteer)
    url = f"/equipe/{team}/creancier"
    assert volunteer.get(url).status_code == 302
    form = {"csrf_token": csrf(supervisor, url), "name": "Association Entraide", "kind": "association"}
    form |= {"line1": "1 place de la Mairie", "postcode": "69002", "city": "Lyon", "country": "FR"}
    assert supervisor.post(url, data=form).status_code == 302
    token = new_dossier(volunteer, owner=f"equipe-{team}")
    mine = new_dossier(volunteer, owner="moi")
    with app.app_context():
        assert dossiers.by_token(db.session(), token).claim["creditor"]["name"] == "Association Entraide"
        assert "creditor" not in dossiers.by_token(db.session(), mine).claim  # Karim has no profile of his own


def test_only_the_latest_imports_are_kept(app, client):
    sign_up(client, "marie@example.org")
    for _ in range(5):
        assert _import(client, fec()).status_code == 302
    with app.app_context():
        ids = list(db.session().scalars(select(LedgerImport.id).order_by(LedgerImport.id)))
    assert ids == [3, 4, 5]


def test_the_portfolio_is_in_the_export_of_ones_data_and_goes_with_the_account(app, client):
    import zipfile

    from tests.test_accounts import PASSWORD
    from webapp.store.models import CreditorProfile

    sign_up(client, "marie@example.org")
    _import(client, fec())
    url = "/compte/creancier"
    form = {"csrf_token": csrf(client, url), "name": "Atelier Dupont SARL", "kind": "company", "siren": "732829320"}
    client.post(url, data=form | {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris", "country": "FR"})
    archive = zipfile.ZipFile(io.BytesIO(client.get("/compte/mes-donnees.zip").data))
    exported = json.loads(archive.read("portefeuille.json"))
    assert exported["coordonnees_de_creancier"]["name"] == "Atelier Dupont SARL"
    clients = exported["comptabilites_importees"][0]["clients"]
    assert {c["name"] for c in clients} == {"Boulangerie Martin SAS", "Garage Durand"}
    data = {"csrf_token": csrf(client, "/compte/supprimer"), "password": PASSWORD}
    assert client.post("/compte/supprimer", data=data).status_code == 302
    assert _count(app, LedgerImport) == 0 and _count(app, CreditorProfile) == 0


def test_an_invoice_csv_is_imported_like_a_fec(app, client):
    sign_up(client, "marie@example.org")
    data = (
        "Client;Numéro;Date;Échéance;Montant TTC;Payé;Date de paiement\r\n"
        "Boulangerie Martin SAS;F-1;01/06/2026;01/07/2026;3 000,00;;\r\n"
        "Garage Durand;F-3;01/09/2026;01/10/2026;800,00;300,00;15/10/2026\r\n"
    ).encode("cp1252")
    choose = _import(client, data, "factures.csv").headers["Location"]
    assert 'value="1:F-3"' in client.get(choose).get_data(as_text=True)
    page = client.get(f"/tableau-de-bord/?au={ON}").get_data(as_text=True)
    assert _figure(page, "encours") == "3\u202f500,00\u00a0€"


def test_the_ten_clients_most_at_risk_are_listed_the_others_in_the_table(app, client):
    sign_up(client, "marie@example.org")
    rows = "".join(f"Client {n:02d};F-{n};01/06/2026;01/07/2026;{100 + n},00;;\r\n" for n in range(12))
    _import(client, ("Client;Numéro;Date;Échéance;Montant TTC\r\n" + rows).encode(), "factures.csv")
    page = client.get(f"/tableau-de-bord/?au={ON}").get_data(as_text=True)
    risks = re.search(r'<ul class="risks">(.*?)</section>', page, re.S).group(1)
    assert risks.count("<strong>") == 10 and "<strong>Client 11</strong>" in risks  # the largest first
    assert "<strong>Client 01</strong>" not in risks and "Et 2 autres clients à risque" in risks
    assert page.count('<td class="reasons">') == 12
