"""Legal review, round 2 (issue 13), through the web app: the terms step offers the reading
of a clause below the legal floor (art. L441-10 II C. com.) and the art. 1408 CPC request;
the analysis shows the other ways out and an uncertain ressort (art. 1406 CPC)."""

from __future__ import annotations

import html
import re

import pytest

from tests.test_web import CREDITOR, DEBTOR, fill, new_dossier, post, stored, url


@pytest.fixture
def token(client):
    return new_dossier(client)


def test_terms_step_offers_the_reading_and_the_1408_request_off_by_default(client, app):
    """Art. L441-10 II C. com. and 1408 CPC: both choices offered, the request unchecked."""
    token = new_dossier(client)
    page = client.get(url(token, "conditions")).get_data(as_text=True)
    assert 'value="raise_to_floor"' in page and 'value="default_rate"' in page
    assert "1408" in page
    box = next(tag for tag in page.split("<input") if 'name="refer_on_opposition"' in tag)
    assert "checked" not in box


def test_terms_step_saves_the_reading_and_the_1408_request(client, app):
    """The choices are kept in the claim (terms.below_floor, filing.refer_on_opposition)."""
    token = new_dossier(client)
    data = {
        "penalty": "custom",
        "rate": "5",
        "indemnity": "yes",
        "below_floor": "raise_to_floor",
        "refer_on_opposition": "y",
    }
    assert post(client, url(token, "conditions"), data).status_code == 302
    claim = stored(app, token)
    assert claim["terms"]["below_floor"] == "raise_to_floor"
    assert claim["filing"] == {"refer_on_opposition": True}
    page = client.get(url(token, "conditions")).get_data(as_text=True)
    box = next(tag for tag in page.split("<input") if 'name="refer_on_opposition"' in tag)
    assert "checked" in box

    data.pop("refer_on_opposition")
    data["below_floor"] = ""
    assert post(client, url(token, "conditions"), data).status_code == 302
    claim = stored(app, token)
    assert "filing" not in claim and "below_floor" not in claim["terms"]


def test_analysis_shows_the_other_ways_out_with_their_date(client, token):
    """Art. L124-1 CPCE, 2286 C. civ.…: the other ways out, beside the routes, dated."""
    fill(client, token)
    page = client.get(f"/dossier/{token}/analyse?le=23/11/2026").get_data(as_text=True)
    assert "Les autres solutions" in page
    assert "société de recouvrement" in page and "conciliateur de justice" in page
    assert "Informations vérifiées le 6 décembre 2026" in page
    assert page.index("Toutes les voies de recouvrement") < page.index("Les autres solutions")


def test_analysis_explains_an_unproven_rate(client, token):
    """Art. 1353 C. civ.: the 12 % of the walk has no piece behind it: the analysis says so."""
    fill(client, token)
    page = client.get(f"/dossier/{token}/analyse?le=23/11/2026").get_data(as_text=True)
    visible = html.unescape(re.sub(r"<[^>]+>", "", page))  # « pièce » links to the page's glossary
    assert "n'est prouvé par aucune pièce" in visible


def test_analysis_names_both_courts_when_the_commune_is_not_a_seat(client, token):
    """Art. 1406 CPC: Villeurbanne is not a seat; both candidate courts, and the directory."""
    post(client, url(token, "creancier"), CREDITOR)
    post(client, url(token, "client"), {**DEBTOR, "postcode": "69100", "city": "Villeurbanne"})
    post(
        client,
        url(token, "factures"),
        {"number": "F-1", "issued": "01/03/2025", "due": "31/03/2025", "amount": "1 200,00"},
    )
    page = client.get(f"/dossier/{token}/analyse?le=23/11/2026").get_data(as_text=True)
    visible = html.unescape(re.sub(r"<[^>]+>", "", page))  # the court's words link to the page's glossary
    assert "tribunal de commerce ou tribunal des activités économiques de Lyon" in visible
    assert "annuaires.justice.gouv.fr" in page
