"""E-invoices in the web app: start a dossier from them (reviewed before saving), import into one."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from tests import einvoice_samples as s
from tests.test_web import csrf, csrf_fields
from webapp.domain.claim_file import claim_from_data
from webapp.store import dossiers
from webapp.store.models import Dossier, EvidenceFile
from webapp.web import db


def _error(page: str) -> str:
    """The French message shown next to the e-invoice field, unescaped."""
    found = re.search(r'<p class="error" id="factures-erreur">(.*?)</p>', page, re.S)
    assert found, "no error next to the field"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def _files(*files):
    return [(io.BytesIO(data), name) for name, data in files]


def _start(client, *files):
    """POST the home page's e-invoice box, as a browser would."""
    return client.post(
        "/factures-electroniques",
        data={"csrf_token": csrf(client, "/"), "factures": _files(*files)},
        content_type="multipart/form-data",
    )


def _confirm(client, review_page: str):
    """Submit the review page's form, with the fields it carries."""
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', review_page)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post("/factures-electroniques/creer", data=data)


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def _dossier(app, token):
    with app.app_context():
        d = dossiers.by_token(db.session(), token)
        return dict(d.claim), {f.path: (f.content_type, f.data) for f in d.files}


FNFE = ("Facture_FR_BASICWL.pdf", s.FNFE_PDF.read_bytes())


@pytest.fixture(scope="module")
def credit_note():
    return ("AV-2017-0005.xml", s.credit_note_fnfe())


def test_home_offers_to_start_from_e_invoices(client):
    page = client.get("/").get_data(as_text=True)
    assert "Démarrer avec mes factures électroniques" in page
    assert 'name="factures"' in page and "multiple" in page


def test_start_shows_a_review_and_saves_nothing(client, app, credit_note):
    response = _start(client, FNFE, credit_note)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("Au bon moulin", "Ma jolie boutique", "FA-2017-0010", "AV-2017-0005", "201,00", "233,47", "L441-9"):
        assert text in page, text
    assert "Bon de commande n° PO445" in page
    assert _count(app, Dossier) == 0 and _count(app, EvidenceFile) == 0


def test_confirming_creates_the_dossier_with_its_files(client, app, credit_note):
    review = _start(client, FNFE, credit_note).get_data(as_text=True)
    response = _confirm(client, review)
    assert response.status_code == 302 and response.headers["Location"].endswith("/etape/recapitulatif")
    token = response.headers["Location"].split("/")[2]
    claim, files = _dossier(app, token)
    invoice_file, note = claim["invoices"][0]["file"], dict(claim["credit_notes"][0])
    note_file = note.pop("file")
    assert re.fullmatch(r"factures/[0-9a-f]{16}\.pdf", invoice_file) and re.fullmatch(
        r"factures/[0-9a-f]{16}\.xml", note_file
    )
    assert note == {"number": "AV-2017-0005", "date": "2017-11-16", "amount": "233.47", "invoice": "FA-2017-0010"}
    assert files[invoice_file] == ("application/pdf", FNFE[1])
    assert files[note_file] == ("application/xml", credit_note[1])
    claim_from_data(claim)  # valid as it stands
    analysis = client.get(f"/dossier/{token}/analyse").get_data(as_text=True)
    assert "Avoir n° AV-2017-0005" in analysis
    review = client.get(f"/dossier/{token}/etape/recapitulatif").get_data(as_text=True)
    assert "Avoirs accordés" in review and "AV-2017-0005" in review


def test_an_xml_exhibit_is_downloaded_never_displayed(client, app, credit_note):
    token = _confirm(client, _start(client, FNFE, credit_note).get_data(as_text=True)).headers["Location"].split("/")[2]
    claim, _ = _dossier(app, token)
    response = client.get(f"/dossier/{token}/fichiers/{claim['credit_notes'][0]['file']}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, content, message",
    [
        *s.NOT_EINVOICES,
        ("photo.png", lambda: b"\x89PNG\r\n\x1a\n" + b"0" * 100, "ni un PDF Factur-X"),
        ("vide.xml", lambda: b"", "vide"),
    ],
)
def test_awkward_files_are_refused_next_to_the_field(client, app, name, content, message):
    response = _start(client, ("FA-2026-0101.xml", s.cii()), (name, content()))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = _error(page)
    assert name in error and message in error
    assert _count(app, Dossier) == 0 and _count(app, EvidenceFile) == 0


def test_huge_files_are_refused_by_their_bounds(client, app, monkeypatch):
    from webapp.domain import einvoice

    monkeypatch.setattr(einvoice, "MAX_XML_BYTES", 64 * 1024)  # small bounds keep the test request small
    response = _start(client, ("FA-2026-0101.xml", s.cii()), ("enorme.xml", s.huge_xml(100 * 1024)))
    assert response.status_code == 400 and _error(response.get_data(as_text=True)) == (
        "Erreur\xa0: enorme.xml : le XML dépasse 64 Ko : ce n'est pas une facture."
    )
    app.config["UPLOAD_MAX_BYTES"] = 10 * 1024
    response = _start(client, ("gros.pdf", s.facturx_pdf()))
    assert response.status_code == 400 and "gros.pdf : le fichier dépasse 10 Ko." in response.get_data(as_text=True)
    assert _count(app, Dossier) == 0


def test_no_file_chosen_is_said_next_to_the_field(client):
    response = client.post("/factures-electroniques", data={"csrf_token": csrf(client, "/")})
    assert response.status_code == 400
    assert "Choisissez une ou plusieurs factures électroniques" in response.get_data(as_text=True)


def test_two_buyers_are_refused_naming_them(client, app):
    other = {**s.BUYER, "name": "Pâtisserie Durand", "legal_identifier": "732829320"}
    response = _start(client, ("a.xml", s.cii()), ("b.xml", s.cii(number="FA-2", buyer=other)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Boulangerie Martin SAS" in page and "Pâtisserie Durand" in page and "plusieurs acheteurs" in page
    assert _count(app, Dossier) == 0


def test_a_tampered_review_form_is_checked_again(client, app):
    review = _start(client, ("a.xml", s.cii())).get_data(as_text=True)
    forged = review.replace('name="contenu" value="', 'name="contenu" value="!!')
    assert _confirm(client, forged).status_code == 400
    other = review.replace('name="contenu" value="', 'name="contenu" value="PGE+')  # "<a>" + garbage
    assert _confirm(client, other).status_code == 400
    assert _count(app, Dossier) == 0


def _invoices_import(client, token, *files):
    url = f"/dossier/{token}/etape/factures"
    return client.post(
        f"/dossier/{token}/factures/importer",
        data={**csrf_fields(client, url), "factures": _files(*files)},
        content_type="multipart/form-data",
    )


def test_import_in_the_invoices_step_adds_to_this_dossier(client, app):
    token = (
        _confirm(client, _start(client, ("a.xml", s.cii())).get_data(as_text=True)).headers["Location"].split("/")[2]
    )
    page = client.get(f"/dossier/{token}/etape/factures").get_data(as_text=True)
    assert "Importer des factures électroniques" in page
    second = ("FA-2026-0102.pdf", s.facturx_pdf(number="FA-2026-0102", prepaid="150.00"))
    response = _invoices_import(client, token, second, ("again.xml", s.cii()))
    assert response.status_code == 302
    claim, files = _dossier(app, token)
    assert [i["number"] for i in claim["invoices"]] == ["FA-2026-0101", "FA-2026-0102"]
    assert claim["payments"] == [{"date": "2026-09-01", "amount": "150.00", "invoice": "FA-2026-0102"}]
    assert sorted(kind for kind, _ in files.values()) == ["application/pdf", "application/xml"]
    assert {i["file"] for i in claim["invoices"]} == set(files)  # each invoice names its own stored file
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "déjà dans ce dossier" in shown and "FA-2026-0102" in shown


def test_import_of_another_clients_invoice_is_refused_and_nothing_stored(client, app):
    token = (
        _confirm(client, _start(client, ("a.xml", s.cii())).get_data(as_text=True)).headers["Location"].split("/")[2]
    )
    before = _dossier(app, token)
    stranger = s.cii(number="X-1", buyer={**s.BUYER, "name": "Autre SA", "legal_identifier": "732829320"})
    response = _invoices_import(client, token, ("autre.xml", stranger))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = _error(page)
    assert "Autre SA" in error and "Boulangerie Martin SAS" in error
    assert _dossier(app, token) == before
    bad = _invoices_import(client, token, ("casse.xml", s.MALFORMED_XML))
    assert bad.status_code == 400 and "casse.xml" in bad.get_data(as_text=True)
    assert _dossier(app, token) == before


def test_a_manual_dossier_can_import_into_an_empty_invoices_step(client, app):
    from tests.test_web import new_dossier

    token = new_dossier(client)
    assert _invoices_import(client, token, FNFE).status_code == 302
    claim, _ = _dossier(app, token)
    assert claim["debtor"]["name"] == "Ma jolie boutique" and claim["creditor"]["name"] == "Au bon moulin"


def test_export_then_import_keeps_the_xml_e_invoices(client, app, credit_note):
    token = _confirm(client, _start(client, FNFE, credit_note).get_data(as_text=True)).headers["Location"].split("/")[2]
    exported = client.get(f"/dossier/{token}/export.zip").data
    response = client.post(
        "/importer",
        data={"csrf_token": csrf(client, "/"), "archive": (io.BytesIO(exported), "dossier.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    again = response.headers["Location"].split("/")[2]
    assert _dossier(app, again) == _dossier(app, token)


def test_the_court_dossier_shows_the_xml_credit_note_as_a_readable_exhibit(client, app, credit_note, poppler):
    import subprocess
    from datetime import date

    late = ("FA-2026-0101.xml", s.cii())  # an invoice still unpaid, and its credit note as XML
    note = (
        "AV-2026-0001.xml",
        s.cii(
            number="AV-2026-0001",
            type_code="381",
            refers_to="FA-2026-0101",
            due=None,
            total="200.00",
            issued=date(2026, 10, 5),
            order=None,
            notes=[],
        ),
    )
    token = _confirm(client, _start(client, late, note).get_data(as_text=True)).headers["Location"].split("/")[2]
    response = client.get(f"/dossier/{token}/dossier-injonction.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout
    flat = " ".join(text.decode().split())
    assert "Facture électronique n° FA-2026-0101" in flat and "Avoir électronique n° AV-2026-0001" in flat
    assert re.search(r"Reproduction lisible des données du fichier factures/[0-9a-f]{16}\.xml", flat)
