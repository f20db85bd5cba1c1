"""The web application through HTTP: every step valid, invalid and without CSRF token."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
import yaml
from weasyprint import HTML

from webapp.store import dossiers
from webapp.store.models import AuditEvent, Dossier

CREDITOR = {
    "name": "Atelier Dupont SARL",
    "kind": "company",
    "siren": "732829320",
    "legal_form": "SARL",
    "line1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country": "FR",
    "signatory": "Marie Dupont, gérante",
    "iban": "FR7630006000011234567890189",
}
DEBTOR = {
    "name": "Boulangerie Martin SAS",
    "kind": "company",
    "legal_form": "SAS",
    "activity": "",
    "line1": "3 place du Marché",
    "postcode": "69002",
    "city": "Lyon",
    "country": "FR",
    "proceedings": "none",
}


def csrf_fields(client, url: str) -> dict[str, str]:
    """Every CSRF token field of the page (forms with a prefix name theirs "prefix-csrf_token")."""
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"', page))
    fields.update(re.findall(r'name="(version)" value="(\d+)"', page)[:1])
    return fields


def csrf(client, url: str) -> str:
    return next(iter(csrf_fields(client, url).values()))


def post(client, url: str, data: dict, **kwargs):
    """POST with the CSRF tokens the page itself gives, as a browser would."""
    return client.post(url, data={**csrf_fields(client, url), **data}, **kwargs)


def new_dossier(client, **data) -> str:
    """Start a dossier from the home page, as the visitor of ``client``; its link's token."""
    response = client.post("/nouveau", data={"csrf_token": csrf(client, "/"), **data})
    assert response.status_code == 302
    return response.headers["Location"].split("/")[2]


@pytest.fixture
def token(client):
    return new_dossier(client)


def url(token: str, slug: str) -> str:
    return f"/dossier/{token}/etape/{slug}"


def stored(app, token: str) -> dict:
    from webapp.web import db

    with app.app_context():
        return dossiers.by_token(db.session(), token).claim


def pdf_file() -> bytes:
    return HTML(string="<h1>FACTURE F-1</h1>").write_pdf()


def fill(client, token):
    """A complete business-to-business dossier, step by step."""
    assert post(client, url(token, "creancier"), CREDITOR).status_code == 302
    assert post(client, url(token, "client"), DEBTOR).status_code == 302
    r = post(
        client,
        url(token, "factures"),
        {
            "number": "F-1",
            "issued": "01/03/2025",
            "due": "31/03/2025",
            "amount": "1 200,00",
            "description": "Vitrine",
            "file": (io.BytesIO(pdf_file()), "facture.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    assert (
        post(client, url(token, "paiements"), {"date": "10/05/2025", "amount": "200", "invoice": "F-1"}).status_code
        == 302
    )
    assert (
        post(client, url(token, "conditions"), {"penalty": "custom", "rate": "12", "indemnity": "yes"}).status_code
        == 302
    )
    assert (
        post(
            client,
            url(token, "demarches"),
            {"action": "med", "med-sent": "15/05/2025", "med-registered": "y", "med-received": "17/05/2025"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            url(token, "demarches"),
            {"action": "reconnaissance", "rec-date": "02/06/2025", "rec-invoices": "F-1"},
        ).status_code
        == 302
    )


def test_home_page_invites_to_start(client):
    page = client.get("/").get_data(as_text=True)
    assert "Commencer un dossier" in page and 'lang="fr"' in page


def test_complete_walk_gives_the_contract_figures(client, app, token):
    fill(client, token)
    # The 12 % is claimed only with a piece the debtor accepted that fixes it (issue 13, item 3).
    post(client, url(token, "preuves"), {"piece-kind": "signed_quote", "piece-title": "Devis signé (pénalités 12 %)"})
    claim = stored(app, token)
    assert claim["invoices"][0]["amount"] == "1200.00"
    assert claim["invoices"][0]["issued"] == "2025-03-01"
    assert re.fullmatch(r"factures/[0-9a-f]{16}\.pdf", claim["invoices"][0]["file"])  # an id: names never collide
    assert claim["terms"]["late_penalty_rate"] == "12"
    page = client.get(f"/dossier/{token}/analyse?le=23/11/2026").get_data(as_text=True)
    page = page.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 243,46 €" in page and "tribunal des activités économiques" in page
    assert "Prochaine étape conseillée : Injonction de payer" in page


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        ("creancier", {**CREDITOR, "siren": "732829321"}, "siren", "SIREN n'est pas valide"),
        ("creancier", {**CREDITOR, "name": ""}, "name", "obligatoire"),
        ("creancier", {**CREDITOR, "iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban", "IBAN n'est pas valide"),
        ("creancier", {**CREDITOR, "postcode": "750"}, "postcode", "5 chiffres"),
        ("creancier", {**CREDITOR, "email": "pas-une-adresse"}, "email", "adresse e-mail n'est pas valide"),
        ("creancier", {**CREDITOR, "siren": ""}, "siren", "obligatoire pour une entreprise"),
        ("conditions", {"penalty": "custom", "rate": "", "indemnity": "yes"}, "rate", "taux annuel"),
        ("client", {**DEBTOR, "kind": ""}, "kind", "Choisissez une réponse"),
        ("client", {**DEBTOR, "proceedings": "liquidation"}, "opened", "jugement d'ouverture"),
        ("factures", {"number": "F-9", "issued": "30/02/2025", "amount": "100"}, "issued", "n'existe pas"),
        ("factures", {"number": "F-9", "issued": "01/02/2025", "amount": "12,345"}, "amount", "deux chiffres"),
        ("factures", {"number": "F-9", "issued": "01/02/2025", "amount": "-3"}, "amount", "négatif"),
        ("factures", {"number": "F-9", "issued": "01/02/2025", "due": "01/01/2025", "amount": "3"}, "due", "précéder"),
        ("paiements", {"date": "", "amount": "10"}, "date", "obligatoire"),
        ("conditions", {"penalty": "custom", "rate": "beaucoup", "indemnity": "yes"}, "rate", "taux annuel"),
    ],
)
def test_invalid_input_is_refused_next_to_the_field_and_kept(client, app, token, slug, data, field, message):
    before = stored(app, token)
    response = post(client, url(token, slug), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    error = re.search(rf'id="{field}-erreur">.*?</p>', page, re.S)
    assert error and message in html.unescape(error.group(0)), page[:2000]
    typed = data.get(field)
    if typed and field not in ("kind",):
        assert f'value="{typed}"' in page
    assert stored(app, token) == before


def test_every_post_without_csrf_token_is_refused(client, app, token):
    fill(client, token)
    before = stored(app, token)
    targets = [
        url(token, s) for s in ("creancier", "client", "factures", "paiements", "conditions", "preuves", "demarches")
    ]
    targets += [
        f"/dossier/{token}/factures/0/supprimer",
        f"/dossier/{token}/paiements/0/supprimer",
        "/nouveau",
        "/importer",
    ]
    for target in targets:
        assert client.post(target, data={"name": "X"}).status_code == 400, target
    assert stored(app, token) == before


def test_uploaded_file_is_checked_by_content(client, app, token):
    post(client, url(token, "creancier"), CREDITOR)
    response = post(
        client,
        url(token, "factures"),
        {
            "number": "F-1",
            "issued": "01/03/2025",
            "amount": "10",
            "file": (io.BytesIO(b"GIF89a not a pdf"), "facture.pdf"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "ni un PDF, ni une image JPEG ou PNG" in page
    assert "invoices" not in stored(app, token)
    truncated = pdf_file()[:200]
    response = post(
        client,
        url(token, "factures"),
        {"number": "F-1", "issued": "01/03/2025", "amount": "10", "file": (io.BytesIO(truncated), "facture.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "invoices" not in stored(app, token)


def test_removing_an_invoice_removes_its_file_and_references(client, app, token):
    fill(client, token)
    fields = csrf_fields(client, url(token, "factures"))
    assert client.post(f"/dossier/{token}/factures/0/supprimer", data=fields).status_code == 302
    claim = stored(app, token)
    assert "invoices" not in claim
    assert all("invoice" not in p for p in claim.get("payments", []))
    from webapp.web import db

    with app.app_context():
        assert dossiers.by_token(db.session(), token).files == []


def test_review_lists_what_is_missing_with_links(client, token):
    post(client, url(token, "creancier"), CREDITOR)
    page = client.get(url(token, "recapitulatif")).get_data(as_text=True)
    assert "Le dossier est incomplet" in page
    assert f'href="/dossier/{token}/etape/client"' in page and f'href="/dossier/{token}/etape/factures"' in page
    assert f"/reprendre/{token}" in page
    assert client.get(f"/dossier/{token}/analyse").status_code == 302


def test_unknown_link_is_a_404(client):
    assert client.get("/dossier/" + "x" * 43 + "/etape/creancier").status_code == 404
    assert client.get("/reprendre/not-a-token").status_code == 404


def test_resume_link_adds_the_dossier_to_my_dossiers(app, token, client):
    post(client, url(token, "client"), DEBTOR)
    other = app.test_client()
    assert "Boulangerie Martin SAS" not in other.get("/").get_data(as_text=True)
    assert other.get(f"/reprendre/{token}").status_code == 302
    assert "Boulangerie Martin SAS" in other.get("/").get_data(as_text=True)


def test_documents_page_and_downloads(client, token):
    fill(client, token)
    page = client.get(f"/dossier/{token}/documents").get_data(as_text=True)
    assert "Le dossier complet d'injonction de payer" in page
    assert "Déclaration de créance" in page and "procédure collective" in page  # listed, with why not
    med = client.get(f"/dossier/{token}/documents/mise-en-demeure.pdf?telecharger=1")
    assert med.status_code == 200 and med.data.startswith(b"%PDF")
    assert med.headers["Content-Disposition"].startswith("attachment")
    refused = client.get(f"/dossier/{token}/documents/declaration-de-creance.pdf")
    assert refused.status_code == 409 and "impossible pour cette créance" in refused.get_data(as_text=True)
    full = client.get(f"/dossier/{token}/dossier-injonction.pdf")
    assert full.status_code == 200 and full.data.startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/dossier/{token}/documents.zip").data))
    names = set(archive.namelist())
    assert {"mise-en-demeure.pdf", "requete-injonction-de-payer.pdf", "dossier-injonction-de-payer.pdf"} <= names
    assert "declaration-de-creance.pdf" not in names


def test_export_then_import_changes_nothing(client, app, token):
    fill(client, token)
    exported = client.get(f"/dossier/{token}/export.zip").data
    archive = zipfile.ZipFile(io.BytesIO(exported))
    path = stored(app, token)["invoices"][0]["file"]
    assert set(archive.namelist()) == {"creance.yaml", path}
    claim = yaml.safe_load(archive.read("creance.yaml"))
    assert claim["invoices"][0]["file"] == path
    response = client.post(
        "/importer",
        data={"csrf_token": csrf(client, "/"), "archive": (io.BytesIO(exported), "dossier.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    new_token = response.headers["Location"].split("/")[2]
    assert new_token != token
    assert stored(app, new_token) == stored(app, token)
    again = client.get(f"/dossier/{new_token}/export.zip").data
    second = zipfile.ZipFile(io.BytesIO(again))
    assert second.read("creance.yaml") == archive.read("creance.yaml")
    assert second.read(path) == archive.read(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"not a zip", "archive ZIP"), (None, "faute de frappe")],
)
def test_bad_import_is_explained(client, app, content, words):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("creance.yaml", "creditor: {nom: x}\ndebtor: {}\ninvoices: []\n")
        content = buffer.getvalue()
    response = client.post(
        "/importer",
        data={"csrf_token": csrf(client, "/"), "archive": (io.BytesIO(content), "x.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    from webapp.web import db

    with app.app_context():
        assert db.session().query(Dossier).count() == 0


def test_user_text_is_escaped_in_pages(client, token):
    post(client, url(token, "creancier"), {**CREDITOR, "name": '<script>alert("x")</script>'})
    page = client.get(url(token, "recapitulatif")).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    from webapp import create_app

    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    first = create_app(config).config["SECRET_KEY"]
    assert first and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app(config).config["SECRET_KEY"] == first


def test_pages_carry_security_headers(client, token):
    response = client.get(url(token, "creancier"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.get_data(as_text=True)


def test_a_payment_above_what_was_due_is_explained_on_the_step(client, app, token):
    fill(client, token)
    response = post(client, url(token, "paiements"), {"date": "11/05/2025", "amount": "5 000"})
    assert response.status_code == 200  # the step again: refused where it is typed, not on the review page
    assert "dépasse ce qui reste dû" in html.unescape(response.get_data(as_text=True))
    assert len(stored(app, token)["payments"]) == 1


def _upload(client, token, content: bytes, name: str):
    return post(
        client,
        url(token, "factures"),
        {"number": "F-9", "issued": "01/03/2025", "amount": "10", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _awkward_files() -> dict[str, tuple[bytes, str]]:
    import pikepdf
    from PIL import Image

    good = pdf_file()
    encrypted = io.BytesIO()
    with pikepdf.open(io.BytesIO(good)) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    many = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(101):
            pdf.add_blank_page()
        pdf.save(many)
    png = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(png, "PNG")
    return {
        "zero bytes": (b"", "vide.pdf"),
        "truncated": (good[: len(good) // 2], "coupe.pdf"),
        "encrypted": (encrypted.getvalue(), "protege.pdf"),
        "too many pages": (many.getvalue(), "long.pdf"),
        "html polyglot": (b"<html><script>alert(1)</script></html>%PDF-1.4 garbage", "piege.pdf"),
        "executable": (b"MZ\x90\x00" + b"\x00" * 200, "facture.pdf"),
    }


@pytest.mark.parametrize(
    "case", ["zero bytes", "truncated", "encrypted", "too many pages", "html polyglot", "executable"]
)
def test_awkward_uploads_are_refused_in_french_and_nothing_is_stored(client, app, token, case):
    post(client, url(token, "creancier"), CREDITOR)
    content, name = _awkward_files()[case]
    response = _upload(client, token, content, name)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and 'class="error-summary"' in page, case
    assert re.search(r'id="file-erreur">.*?(vide|PDF|mot de passe|pages|endommagé|illisible)', page, re.S), page[:500]
    assert "invoices" not in stored(app, token)
    from webapp.web import db

    with app.app_context():
        assert dossiers.by_token(db.session(), token).files == []


def test_image_named_pdf_is_accepted_as_the_image_it_is(client, app, token):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(png, "PNG")
    assert _upload(client, token, png.getvalue(), "facture.pdf").status_code == 302
    claim = stored(app, token)
    assert claim["invoices"][0]["file"].endswith(".png")


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_typed_in_every_text_field_stays_text(client, app, token):
    post(client, url(token, "creancier"), {**CREDITOR, "name": XSS, "line1": XSS, "city": XSS, "signatory": XSS})
    post(client, url(token, "client"), {**DEBTOR, "name": XSS, "line1": XSS, "legal_form": "SAS"})
    post(
        client,
        url(token, "factures"),
        {"number": "F-1", "issued": "01/03/2025", "due": "31/03/2025", "amount": "100", "description": XSS},
    )
    post(client, url(token, "preuves"), {"piece-kind": "other", "piece-title": XSS})
    post(client, url(token, "preuves"), {"litige-contested": "no", "litige-details": XSS})
    for page_url in [url(token, s) for s in ("creancier", "client", "factures", "preuves", "recapitulatif")] + [
        f"/dossier/{token}/analyse",
        f"/dossier/{token}/documents",
        "/",
    ]:
        page = client.get(page_url, follow_redirects=True).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, page_url
    med = client.get(f"/dossier/{token}/documents/mise-en-demeure.pdf").data
    assert med.startswith(b"%PDF")
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=med, capture_output=True, check=True).stdout.decode()
    assert '<script>alert("x")</script>' in text


def test_deleting_a_dossier_erases_it_and_its_files(client, app, token):
    fill(client, token)
    assert "Supprimer ce dossier" in client.get(url(token, "recapitulatif")).get_data(as_text=True)
    confirm_url = f"/dossier/{token}/supprimer"
    assert "Supprimer définitivement" in client.get(confirm_url).get_data(as_text=True)
    assert client.post(confirm_url, data={}).status_code == 400  # no CSRF token: nothing happens
    response = post(client, confirm_url, {})
    assert response.status_code == 302
    from webapp.store.models import EvidenceFile
    from webapp.web import db

    with app.app_context():
        assert dossiers.by_token(db.session(), token) is None
        assert db.session().query(EvidenceFile).count() == 0
    assert client.get(url(token, "creancier")).status_code == 404
    assert "Boulangerie Martin SAS" not in client.get("/").get_data(as_text=True)


def test_a_change_made_on_an_outdated_page_is_refused_not_lost(client, app, token):
    fill(client, token)
    stale = csrf_fields(client, url(token, "paiements"))  # this tab shows the dossier as it is now
    assert post(client, url(token, "paiements"), {"date": "12/05/2025", "amount": "1"}).status_code == 302  # other tab
    before = stored(app, token)
    response = client.post(
        url(token, "paiements"),
        data={**stale, "date": "13/05/2025", "amount": "2"},
        headers={"Referer": url(token, "paiements")},
    )
    assert response.status_code == 302
    assert stored(app, token) == before  # the outdated change was not written
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "modifié entre-temps" in page
    # deleting a line by its position on an outdated list is refused too
    response = client.post(f"/dossier/{token}/paiements/0/supprimer", data=stale)
    assert response.status_code == 302 and stored(app, token) == before


def test_audit_trail_records_what_was_done_and_survives_deletion(client, app, token):
    from sqlalchemy import select

    from webapp.store.models import AuditEvent
    from webapp.web import db

    fill(client, token)
    client.get(f"/dossier/{token}/documents/mise-en-demeure.pdf?telecharger=1")
    page = html.unescape(client.get(url(token, "recapitulatif")).get_data(as_text=True))
    assert "Historique du dossier" in page and "téléchargé : mise-en-demeure" in page
    with app.app_context():
        dossier_id = dossiers.by_token(db.session(), token).id
    post(client, f"/dossier/{token}/supprimer", {})
    with app.app_context():
        events = db.session().scalars(select(AuditEvent).where(AuditEvent.dossier_id == dossier_id)).all()
        actions = [(e.action, e.detail) for e in events]
    assert ("créé", "") in actions and ("modifié", "creancier") in actions
    added = next(d for a, d in actions if a == "pièce ajoutée")
    assert re.fullmatch(r"factures/[0-9a-f]{16}\.pdf \(facture\.pdf\)", added), added
    assert ("téléchargé", "mise-en-demeure") in actions
    assert actions[-1][0] == "supprimé"
    assert all(token not in (e.detail or "") for e in events)
    assert len({e.actor for e in events}) == 1 and events[0].actor.startswith("navigateur ")


def test_retention_purge_deletes_closed_and_abandoned_dossiers_and_records_it(app, client, token):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from webapp.store.models import AuditEvent
    from webapp.web import db

    post(client, url(token, "creancier"), CREDITOR)
    closed, recent_closed, open_ = (new_dossier(client) for _ in range(3))
    for t in (closed, recent_closed):
        assert client.post(f"/dossier/{t}/clore", data=csrf_fields(client, url(t, "recapitulatif"))).status_code == 302
    now = datetime.now(UTC)
    with app.app_context():
        abandoned = dossiers.by_token(db.session(), token)
        abandoned.updated_at = now - timedelta(days=app.config["ABANDONED_DAYS"] + 1)
        dossiers.by_token(db.session(), closed).closed_at = now - timedelta(days=app.config["RETENTION_DAYS"] + 1)
        dossiers.by_token(db.session(), recent_closed).closed_at = now - timedelta(
            days=app.config["RETENTION_DAYS"] - 1
        )
        gone = [abandoned.id, dossiers.by_token(db.session(), closed).id]
        db.session().commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert "1 dossier(s) clos et 1 dossier(s) abandonné(s) supprimé(s)" in result.output
    with app.app_context():
        assert dossiers.by_token(db.session(), token) is None and dossiers.by_token(db.session(), closed) is None
        assert dossiers.by_token(db.session(), recent_closed) is not None
        assert dossiers.by_token(db.session(), open_) is not None
        for dossier_id in gone:
            events = db.session().scalars(select(AuditEvent).where(AuditEvent.dossier_id == dossier_id)).all()
            assert events[-1].action == "supprimé" and events[-1].actor == "conservation"


def test_an_upload_interrupted_before_the_claim_is_saved_leaves_nothing_half_stored(app, client, token, monkeypatch):
    """The file, its audit line and the new invoice are one transaction: a crash in between keeps none."""
    post(client, url(token, "creancier"), CREDITOR)
    before = stored(app, token)

    def crash(*_args, **_kwargs):
        raise RuntimeError("the server stopped here")

    monkeypatch.setattr(dossiers, "save_claim", crash)
    invoice = {"number": "F-9", "issued": "01/03/2025", "due": "31/03/2025", "amount": "120,00"}
    with pytest.raises(RuntimeError):
        post(client, url(token, "factures"), {**invoice, "file": (io.BytesIO(pdf_file()), "F-9.pdf")})
    from webapp.web import db

    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier.claim == before and dossier.files == []
        events = db.session().query(AuditEvent).filter_by(dossier_id=dossier.id)
        assert all(e.action != "pièce ajoutée" for e in events)


def test_an_import_interrupted_half_way_creates_no_dossier(app, client, token, monkeypatch):
    fill(client, token)
    archive = client.get(f"/dossier/{token}/export.zip").data
    from webapp.web import db

    with app.app_context():
        count = db.session().query(Dossier).count()
    monkeypatch.setattr(dossiers, "put_file", lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("stopped")))
    assert any(name.startswith("factures/") for name in zipfile.ZipFile(io.BytesIO(archive)).namelist())
    with pytest.raises(RuntimeError):
        client.post("/importer", data={"csrf_token": csrf(client, "/"), "archive": (io.BytesIO(archive), "d.zip")})
    with app.app_context():
        assert db.session().query(Dossier).count() == count


def test_a_save_racing_another_is_refused_not_lost(app, client, token, monkeypatch):
    """Two requests read the same version; the one that writes second is told, and writes nothing."""
    from sqlalchemy import text

    from webapp.web import db

    fill(client, token)
    before = stored(app, token)
    original = dossiers.save_claim

    def someone_else_saves_first(session, dossier, claim):
        with db.engine(app).begin() as other:  # another request commits in between
            other.execute(text("UPDATE dossiers SET version = version + 1 WHERE token = :t"), {"t": token})
        original(session, dossier, claim)

    monkeypatch.setattr(dossiers, "save_claim", someone_else_saves_first)
    response = post(client, url(token, "paiements"), {"date": "13/05/2025", "amount": "5"})
    assert response.status_code == 302
    assert "modifié entre-temps" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored(app, token) == before


def test_journal_names_deleted_lines_and_downloaded_evidence(app, client, token):
    from webapp.web import db

    fill(client, token)
    path = stored(app, token)["invoices"][0]["file"]
    assert client.get(f"/dossier/{token}/fichiers/{path}").status_code == 200
    post(client, url(token, "paiements"), {"date": "13/05/2025", "amount": "5"})
    client.post(f"/dossier/{token}/paiements/0/supprimer", data=csrf_fields(client, url(token, "paiements")))
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        events = [(e.action, e.detail) for e in db.session().query(AuditEvent).filter_by(dossier_id=dossier.id)]
    assert ("pièce téléchargée", path) in events
    assert any(
        action == "modifié" and "supprimée" in detail and "13/05/2025" not in detail for action, detail in events
    )


def test_error_pages_say_in_french_what_happened(app, client, token, monkeypatch):
    assert "Page introuvable" in client.get("/nulle-part").get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    too_big = client.post("/importer", data={"archive": (io.BytesIO(b"x" * 5000), "f.zip")})
    assert too_big.status_code == 413 and "Fichier trop volumineux" in too_big.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*_args, **_kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(dossiers, "save_claim", broken)
    response = post(client, url(token, "creancier"), CREDITOR)
    assert response.status_code == 500 and "rien n&#39;a été enregistré" in response.get_data(as_text=True)
