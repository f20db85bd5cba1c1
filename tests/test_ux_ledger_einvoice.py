"""What a new user tripped over: dossiers made twice from the ledger, the books vs. the law, e-invoice review."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests import einvoice_samples as s
from tests.fec_sample import fec
from tests.test_accounts import sign_up
from tests.test_einvoice_web import FNFE, _start
from tests.test_followup_web import complete_claim, put_claim, text_of
from tests.test_portfolio_web import _import
from tests.test_web import csrf, new_dossier
from webapp.store.models import Dossier
from webapp.web import db
from webapp.web.field_labels import claim_label


def _dossiers(app) -> list[Dossier]:
    with app.app_context():
        return list(db.session().scalars(select(Dossier).order_by(Dossier.created_at)))


def _create(client, choose: str, ticked: list[str]):
    return client.post(f"{choose}/dossiers", data={"csrf_token": csrf(client, choose), "facture": ticked})


def test_invoices_already_in_a_dossier_cannot_be_ticked_again_and_link_to_it(app, client):
    sign_up(client, "marie@example.org")
    choose = _import(client, fec()).headers["Location"]
    _create(client, choose, ["0:F-2026-010", "1:F-2026-005"])
    page = client.get(choose).get_data(as_text=True)
    assert 'value="0:F-2026-010"' not in page and 'value="1:F-2026-005"' not in page  # no box to tick again
    assert 'value="0:F-2026-020"' in page and 'value="1:F-2026-006"' in page  # the others still can be
    tokens = {d.ledger_account: d.token for d in _dossiers(app)}
    held = re.findall(r'<a href="/reprendre/([^"]+)">Déjà dans le dossier', page)
    assert sorted(held) == sorted(tokens.values())
    assert page.count("Dossier déjà créé") == 2  # one per client, not one per creation


def test_ticking_again_adds_to_the_clients_dossier_instead_of_a_second_one(app, client):
    sign_up(client, "marie@example.org")
    choose = _import(client, fec()).headers["Location"]
    _create(client, choose, ["0:F-2026-010"])
    response = _create(client, choose, ["0:F-2026-010", "0:F-2026-020"])  # a stale page ticks one already taken
    assert response.status_code == 302
    (martin,) = _dossiers(app)
    assert [i["number"] for i in martin.claim["invoices"]] == ["F-2026-010", "F-2026-020"]
    assert martin.claim["payments"] == [{"date": "2026-11-10", "amount": "200.00", "invoice": "F-2026-020"}]
    page = client.get(choose).get_data(as_text=True)
    assert "F-2026-020 ajoutée à ce dossier" in page
    assert page.count("Dossier déjà créé") == 1
    _create(client, choose, ["0:F-2026-010"])
    assert len(_dossiers(app)) == 1
    assert "déjà dans son dossier, rien n&#39;a été ajouté" in client.get(choose).get_data(as_text=True)
    dashboard = client.get("/tableau-de-bord/?au=2026-11-23").get_data(as_text=True)
    assert "dossier 2" not in dashboard


def test_where_ledger_and_dossier_figures_meet_a_line_says_why_they_differ(app, client):
    sign_up(client, "marie@example.org")
    choose = _import(client, fec()).headers["Location"]
    assert "imputé" not in client.get(choose).get_data(as_text=True)
    assert "d'abord sur les intérêts" not in client.get("/tableau-de-bord/").get_data(as_text=True)
    _create(client, choose, ["1:F-2026-005"])
    for url in (choose, "/tableau-de-bord/"):
        page = client.get(url).get_data(as_text=True).replace("&#39;", "'")
        assert "d'abord sur les intérêts de retard, puis sur la facture (art. 1343-1 du code civil)" in page


def _dossier_with(app, client, **changes) -> str:
    token = new_dossier(client)
    put_claim(app, token, complete_claim(**changes))
    return token


def test_the_analysis_shows_how_each_payment_was_imputed_interest_first(app, client):
    payment = {"date": "2025-06-30", "amount": "300.00", "invoice": "F-1"}
    token = _dossier_with(app, client, payments=[payment])
    page = text_of(client.get(f"/dossier/{token}/analyse?le=23/11/2026"))
    imputed = r"Paiement du 30/06/2025 : 300,00 €, dont ([\d,]+) € sur les intérêts et ([\d,]+) € sur la facture"
    found = re.search(imputed, page)
    assert found, page
    to_interest, to_principal = (Decimal(x.replace(",", ".")) for x in found.groups())
    assert to_interest > 0 and to_interest + to_principal == Decimal("300.00")
    assert "règle d'abord les intérêts de retard, puis la facture (art. 1343-1 du code civil)" in page
    plain = text_of(client.get(f"/dossier/{_dossier_with(app, client)}/analyse?le=23/11/2026"))
    assert "Paiement du" not in plain and "règle d'abord les intérêts" not in plain


def test_a_time_barred_claim_gives_its_shared_reason_once_not_under_every_document(app, client):
    old = [{"number": "F-1", "issued": "2017-11-13", "due": "2017-12-13", "amount": "1000.00"}]
    token = _dossier_with(app, client, invoices=old)
    response = client.get(f"/dossier/{token}/documents?le=23/11/2026")
    page = response.get_data(as_text=True)
    reasons = re.findall(r"<li>([^<]*prescri[^<]*)</li>", page)
    assert reasons, text_of(response)
    assert all(page.count(f"<li>{r}</li>") == 1 for r in reasons)  # each said once
    assert "raison commune ci-dessus" in page
    assert "dossier-complet" not in page  # no complete dossier for a time-barred claim…
    assert "comprise dans le dossier complet ci-dessus" not in page  # …so the request card does not point to it


def test_the_request_card_points_to_the_complete_dossier_when_it_is_shown(app, client):
    page = client.get(f"/dossier/{_dossier_with(app, client)}/documents?le=23/11/2026").get_data(as_text=True)
    assert 'id="dossier-complet"' in page and "Elle est comprise dans le dossier complet ci-dessus" in page


def _review(client, *files) -> str:
    response = _start(client, *files)
    assert response.status_code == 200
    return text_of(response)


def test_the_e_invoice_review_warns_a_time_barred_claim_before_creating_it(client):
    page = _review(client, FNFE)  # FA-2017-0010 of 13/11/2017: more than five years ago
    warning = page.index("Cette créance est prescrite")
    assert warning < page.index("Créer le dossier avec ces factures")
    assert "Prescription de 5 ans entre professionnels" in page[warning:]


def test_a_recent_e_invoice_gets_no_prescription_warning(client):
    recent = ("r.xml", s.cii(issued=date.today() - timedelta(days=60)))
    assert "prescrite" not in _review(client, recent)


def test_the_e_invoice_review_names_fields_in_french_never_by_their_path(client):
    page = _review(client, ("471102.xml", s.CII.read_bytes()))
    assert "Votre SIREN : absent de la facture 471102, à compléter" in page
    assert "Vous : type (société) ; Votre client : type (société) — valeur retenue" in page
    for path in ("creditor.", "debtor.", "« company »"):
        assert path not in page, path


def test_a_claim_path_reads_in_french_wherever_it_is_shown():
    assert claim_label("creditor.siren") == "Votre SIREN"
    assert claim_label("debtor.address") == "Adresse de votre client"
    assert claim_label("invoices[1].due") == "Facture 2 : échéance"
    assert claim_label("creditor.address.postcode") == "Votre adresse : code postal"
    assert claim_label("(fichier)") == "(fichier)"  # not a claim path: as it is


def test_two_sellers_are_refused_naming_the_sellers_not_the_clients(client, app):
    other = {**s.SELLER, "name": "Menuiserie Roux", "legal_identifier": "552100554"}
    response = _start(client, ("a.xml", s.cii()), ("b.xml", s.cii(number="FA-2", seller=other)))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "plusieurs vendeurs" in page and "émises par chaque vendeur" in page
    assert "chaque client" not in page
