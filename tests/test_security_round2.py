"""Trust, round 2 (issue 12), through HTTP: each finding of the attack test, as a test that failed before.

The files and ZIP corpus are in test_security_round2_files.py, the command line in
test_security_round2_cli.py, the browser checks (axe, the size check) in
test_security_round2_browser.py.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import pikepdf
import pytest
import yaml
from sqlalchemy import select, update

from tests.awkward_corpus import pdf
from tests.conftest import BASE_CLAIM
from tests.mailbox import sign_up_only
from tests.test_accounts import PASSWORD, error_next_to, sign_in, sign_up, team_with_volunteer
from tests.test_web import CREDITOR, csrf, csrf_fields, fill, new_dossier, post, stored, url
from webapp.config import static_dir
from webapp.domain.claim_file import claim_from_data
from webapp.domain.errors import ClaimError
from webapp.store import accounts, dossiers
from webapp.store.models import Dossier, LoginFailure
from webapp.web import db


@pytest.fixture
def token(client):
    """A new anonymous dossier started by ``client``."""
    return new_dossier(client)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def add_invoice(client, token, number: str, content: bytes, name: str = "facture.pdf", **fields):
    data = {"number": number, "issued": "01/03/2025", "amount": "100", **fields, "file": (io.BytesIO(content), name)}
    return post(client, url(token, "factures"), data, content_type="multipart/form-data")


def download(client, token, path: str) -> bytes:
    response = client.get(f"/dossier/{token}/fichiers/{path}")
    assert response.status_code == 200, path
    return response.data


# --- 1. Uploads never overwrite each other ------------------------------------------------------
def test_invoices_f_space_1_and_f_dash_1_keep_their_own_files(app, client, token):
    first, second = pdf(1), pdf(2)
    assert add_invoice(client, token, "F 1", first, "premiere.pdf").status_code == 302
    assert add_invoice(client, token, "F-1", second, "seconde.pdf").status_code == 302
    invoices = stored(app, token)["invoices"]
    paths = [inv["file"] for inv in invoices]
    assert len(set(paths)) == 2  # both used to be factures/F-1.pdf: the first file was lost
    assert download(client, token, paths[0]) == first and download(client, token, paths[1]) == second
    fields = csrf_fields(client, url(token, "factures"))
    client.post(f"/dossier/{token}/factures/1/supprimer", data=fields)  # delete "F-1"
    left = stored(app, token)["invoices"]
    assert [inv["number"] for inv in left] == ["F 1"]
    assert download(client, token, left[0]["file"]) == first  # "F 1" still has its file


def test_evidence_added_twice_deleted_and_added_again_never_shares_a_file(app, client, token):
    contents = [pdf(1), pdf(2), pdf(3)]
    for content in contents[:2]:
        data = {"piece-kind": "other", "piece-title": "x", "piece-file": (io.BytesIO(content), "x.pdf")}
        assert post(client, url(token, "preuves"), data, content_type="multipart/form-data").status_code == 302
    client.post(f"/dossier/{token}/preuves/0/supprimer", data=csrf_fields(client, url(token, "preuves")))
    data = {"piece-kind": "other", "piece-title": "x", "piece-file": (io.BytesIO(contents[2]), "x.pdf")}
    assert post(client, url(token, "preuves"), data, content_type="multipart/form-data").status_code == 302
    items = stored(app, token)["evidence"]
    assert len({item["file"] for item in items}) == 2
    assert [download(client, token, item["file"]) for item in items] == contents[1:]


def test_a_file_is_downloaded_under_the_name_it_was_given(app, client, token):
    add_invoice(client, token, "F-1", pdf(), "Facture mars « Dupont ».pdf")
    path = stored(app, token)["invoices"][0]["file"]
    disposition = client.get(f"/dossier/{token}/fichiers/{path}").headers["Content-Disposition"]
    assert (
        "attachment" in disposition and "filename*=UTF-8''Facture%20mars%20%C2%AB%20Dupont%20%C2%BB.pdf" in disposition
    )


def test_storing_a_second_file_at_the_same_path_is_refused(app, token):
    with app.app_context():
        session = db.session()
        dossier = dossiers.by_token(session, token)
        dossiers.put_file(session, dossier, "factures/a.pdf", "a.pdf", "application/pdf", b"%PDF-1")
        with pytest.raises(ValueError, match="already stored"):
            dossiers.put_file(session, dossier, "factures/a.pdf", "b.pdf", "application/pdf", b"%PDF-2")


# --- 3. Sign-in slows guesses down and never locks the owner out ------------------------------------
@pytest.fixture
def owner(app):
    """Sophie's own browser, where she signed in once (it holds her device cookie), now signed out."""
    browser = app.test_client()
    sign_up(browser, "sophie@example.org")
    browser.post("/compte/deconnexion", data={"csrf_token": csrf(browser, "/compte")})
    return browser


def test_five_wrong_passwords_from_a_stranger_do_not_block_the_owner(app, owner):
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        sign_in(stranger, "sophie@example.org", "une tentative au hasard")
    assert sign_in(owner, "sophie@example.org").status_code == 302  # used to be 15 minutes of 429
    assert owner.get("/compte").status_code == 200


def test_the_owner_on_a_new_device_waits_seconds_not_a_quarter_of_an_hour(app, owner):
    stranger, new_device = app.test_client(), app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 2):
        sign_in(stranger, "sophie@example.org", "une tentative au hasard")
    with app.app_context():  # the stranger's last failure: just now
        db.session().execute(update(LoginFailure).values(at=datetime.now(UTC)))
        db.session().commit()
    refused = sign_in(new_device, "sophie@example.org")
    assert refused.status_code == 429
    seconds = int(re.search(r"patientez (\d+) seconde", text_of(refused)).group(1))
    assert 0 < seconds <= app.config["LOGIN_MAX_DELAY_SECONDS"]
    with app.app_context():  # that many seconds later (the failures are still in the 15-minute window)
        earlier = datetime.now(UTC) - timedelta(seconds=seconds + 1)
        db.session().execute(update(LoginFailure).values(at=earlier))
        db.session().commit()
    assert sign_in(new_device, "sophie@example.org").status_code == 302


def test_twenty_failures_from_an_office_do_not_block_a_colleague_with_her_device(app, owner):
    office = app.test_client()
    for i in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] + 2):
        sign_in(office, f"quelquun{i}@example.org", "faute de frappe")
    assert sign_in(owner, "sophie@example.org").status_code == 302  # same address (the test client's)


def test_the_delays_grow_with_each_failure_up_to_the_cap(app):
    throttle = accounts.Throttle(free_per_account=2, free_per_address=100, max_delay=8)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    waits = []
    with app.app_context():
        session = db.session()
        for _ in range(7):
            waits.append(accounts.wait_seconds(session, "x@example.org", "192.0.2.1", now, throttle))
            accounts.record_failure(session, "x@example.org", "192.0.2.1", now, throttle.window)
            session.commit()
    assert waits == [0, 0, 1, 2, 4, 8, 8]


# --- 4. An anonymous dossier is taken only from the browser that started it -------------------------
def test_someone_holding_the_link_cannot_take_an_anonymous_dossier(app):
    author, holder = app.test_client(), app.test_client()
    token = new_dossier(author)
    sign_up(holder, "karim@example.org", name="Karim Benali")
    review = url(token, "recapitulatif")
    assert "Rattacher" not in holder.get(review).get_data(as_text=True)
    fields = csrf_fields(holder, review)
    holder.post(f"/dossier/{token}/rattacher", data={**fields, "owner": "moi"})
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier.owner_id is None and dossier.organisation_id is None
    assert author.get(review).status_code == 200  # the author still opens it (it used to be a 404)
    sign_up(author, "sophie@example.org")
    fields = csrf_fields(author, review)
    assert author.post(f"/dossier/{token}/rattacher", data={**fields, "owner": "moi"}).status_code == 302
    with app.app_context():
        assert dossiers.by_token(db.session(), token).owner_id is not None


# --- 5. Values that gave a server error --------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"amount": "1e28"}, "amount", "9 999 999 999,99"),
        ({"amount": "9" * 5000}, "amount", "9 999 999 999,99"),
        ({"issued": "31/12/9999"}, "issued", "entre 1900 et 2100"),
        ({"issued": "01/01/1899"}, "issued", "entre 1900 et 2100"),
        ({"due": "31/12/9999"}, "due", "entre 1900 et 2100"),
    ],
)
def test_out_of_range_values_are_refused_next_to_the_field(app, client, token, fields, field, words):
    data = {"number": "F-1", "issued": "01/03/2025", "amount": "100", **fields}
    response = post(client, url(token, "factures"), data)
    assert response.status_code == 200
    assert words in error_next_to(text_of(response), field)
    assert "invoices" not in stored(app, token)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issued": "9999-12-31"}, "invoices[0].issued"),
        ({"amount": "1" * 5000}, "invoices[0].amount"),
        ({"amount": "10000000000.00"}, "invoices[0].amount"),
    ],
)
def test_the_claim_format_bounds_dates_and_amounts(change, field):
    data = {**BASE_CLAIM, "invoices": [{**BASE_CLAIM["invoices"][0], **change}]}
    with pytest.raises(ClaimError) as error:
        claim_from_data(data)
    assert [path for path, _ in error.value.problems] == [field]


def test_the_largest_amount_is_accepted():
    data = {**BASE_CLAIM, "invoices": [{**BASE_CLAIM["invoices"][0], "amount": "9999999999.99"}]}
    assert str(claim_from_data(data).invoices[0].amount) == "9999999999.99"


def test_an_analysis_date_out_of_range_is_said_and_ignored(client, token):
    fill(client, token)
    response = client.get(f"/dossier/{token}/analyse?le=31/12/9999")
    assert response.status_code == 200
    page = text_of(response)
    assert "Date d'analyse ignorée" in page and "entre 1900 et 2100" in page


@pytest.mark.parametrize("delai", ["1000000000000000000000000000000", "-5", "0", "91", "huit"])
def test_a_letter_deadline_out_of_range_is_said_and_ignored(client, token, delai):
    fill(client, token)
    page = text_of(client.get(f"/dossier/{token}/documents?delai={delai}"))
    assert "Délai ignoré : un délai de 1 à 90 jours est attendu" in page and 'value="8"' in page


# --- 9. Passwords ----------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["a" * 12, "1" * 12, "\x00" * 12, "azertyuiop12", "motdepasse2026"])
def test_trivial_passwords_are_refused(app, client, password):
    page = text_of(sign_up_only(client, "sophie@example.org", password=password))
    assert "mot de passe" in error_next_to(page, "password")
    with app.app_context():
        assert accounts.by_email(db.session(), "sophie@example.org") is None


def test_a_long_passphrase_is_accepted(app, client):
    assert sign_up_only(client, "sophie@example.org", password="cheval lampe nuage dix-sept").status_code == 200


# --- 10. Smaller ones ------------------------------------------------------------------------------
def test_export_then_import_keeps_max_instalments_as_it_was(app, client, token):
    fill(client, token)
    post(client, url(token, "conditions"), {"penalty": "", "indemnity": "yes", "max_instalments": "6"})
    exported = client.get(f"/dossier/{token}/export.zip").data
    response = client.post(
        "/importer",
        data={"csrf_token": csrf(client, "/"), "archive": (io.BytesIO(exported), "d.zip")},
        content_type="multipart/form-data",
    )
    copy = response.headers["Location"].split("/")[2]
    assert stored(app, copy)["negotiation"] == stored(app, token)["negotiation"] == {"max_instalments": "6"}


def test_a_form_without_its_token_gets_a_french_page(client, token):
    response = client.post(url(token, "creancier"), data=CREDITOR)
    assert response.status_code == 400
    page = text_of(response)
    assert "Formulaire expiré" in page and "rien n'a été enregistré" in page and "CSRF" not in page


def test_sign_up_answers_alike_whether_or_not_the_address_has_an_account(app):
    """The page after sign-up is the same for a taken address and a new one (the owner of the
    taken one gets a mail instead): nobody learns from the form who has an account."""
    sign_up(app.test_client(), "sophie@example.org")
    answers = []
    for email in ("sophie@example.org", "nouvelle@example.org"):
        response = sign_up_only(app.test_client(), email, name="X", password=PASSWORD)
        answers.append((response.status_code, text_of(response).replace(email, "ADRESSE")))
    assert answers[0] == answers[1] and answers[0][0] == 200
    assert "existe déjà" not in answers[0][1]


# --- 11. A file too large: the step again, with everything typed -------------------------------------
def test_a_file_too_large_shows_the_step_again_with_every_typed_value(app, client, token):
    app.config.update(MAX_CONTENT_LENGTH=2000, UPLOAD_MAX_BYTES=1000)
    fields = {"issued": "03/02/2025", "amount": "1 234,56", "description": "Vitrine du magasin"}
    response = add_invoice(client, token, "F-2026-17", b"%PDF-1.4" + b"x" * 50_000, **fields)
    fields["number"] = "F-2026-17"
    assert response.status_code == 200  # it was a 413 page with only "Retour à l'accueil"
    page = text_of(response)
    assert "dépasse" in error_next_to(page, "file")
    for value in fields.values():
        assert f'value="{value}"' in page
    assert "invoices" not in stored(app, token)


def test_every_file_field_carries_the_limit_the_browser_checks(client, token):
    page = client.get(url(token, "factures")).get_data(as_text=True)
    assert 'data-upload-max="20971520"' in page and 'type="file"' in page
    script = (static_dir() / "js" / "app.js").read_text(encoding="utf-8")
    assert "uploadMax" in script and "dépasse" in script and "event.preventDefault()" in script


# --- 12. The court copy holds only what goes to the court ------------------------------------------
def pdf_text(data: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.mark.usefixtures("poppler")
def test_the_court_copy_has_no_to_do_box_and_no_placeholder_page(client, token):
    fill(client, token)  # a mise en demeure and a contractual rate: pieces without a file
    text = pdf_text(client.get(f"/dossier/{token}/dossier-injonction.pdf?le=23/11/2026").data)
    assert "REQUÊTE EN INJONCTION DE PAYER" in text.upper()
    assert "À compléter avant de déposer" not in text and "Document à joindre" not in text
    assert "Conditions générales ou contrat" not in text  # listed nowhere in the court copy without its file


@pytest.mark.usefixtures("poppler")
def test_what_is_missing_is_on_the_documents_page_with_its_upload_and_in_a_checklist(app, client, token):
    fill(client, token)
    page = text_of(client.get(f"/dossier/{token}/documents?le=23/11/2026"))
    assert "À compléter avant de déposer la requête" in page
    assert "Lettre de mise en demeure du 15/05/2025" in page  # recorded in the history, no file yet
    checklist = text_of(client.get(f"/dossier/{token}/a-completer"))
    assert "Lettre de mise en demeure du 15/05/2025" in checklist and "☐" in checklist
    key = re.findall(r"/a-completer/(joindre-\d+)", page)[0]
    fields = csrf_fields(client, f"/dossier/{token}/documents")
    response = client.post(
        f"/dossier/{token}/a-completer/{key}",
        data={**fields, "file": (io.BytesIO(pdf()), "mise-en-demeure.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    evidence = stored(app, token)["evidence"]
    assert evidence[-1]["kind"] == "formal_notice_receipt" and evidence[-1]["file"].startswith("pieces/")
    text = pdf_text(client.get(f"/dossier/{token}/dossier-injonction.pdf?le=23/11/2026").data)
    assert "Lettre de mise en demeure du 15/05/2025" in text  # now in the bordereau, with its file
    assert "☐ Lettre de mise en demeure" not in text_of(client.get(f"/dossier/{token}/a-completer"))


def test_a_bad_file_for_a_missing_piece_is_said_next_to_it(client, token):
    fill(client, token)
    page = client.get(f"/dossier/{token}/documents").get_data(as_text=True)
    key = re.findall(r"/a-completer/(joindre-\d+)", page)[0]
    fields = csrf_fields(client, f"/dossier/{token}/documents")
    response = client.post(
        f"/dossier/{token}/a-completer/{key}",
        data={**fields, "file": (io.BytesIO(b"not a document"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "ni un PDF" in error_next_to(text_of(response), f"fichier-{key}")


# --- 13. Values the wizard should have caught ------------------------------------------------------
def test_a_zero_invoice_a_future_invoice_and_a_payment_above_what_is_due_are_refused_on_their_step(app, client, token):
    response = post(client, url(token, "factures"), {"number": "F-0", "issued": "01/03/2025", "amount": "0"})
    assert "supérieur à 0" in error_next_to(text_of(response), "amount")
    next_year = f"01/01/{date.today().year + 1}"
    response = post(client, url(token, "factures"), {"number": "F-9", "issued": next_year, "amount": "10"})
    assert "dans le futur" in error_next_to(text_of(response), "issued")
    assert "invoices" not in stored(app, token)
    post(client, url(token, "factures"), {"number": "F-1", "issued": "01/03/2025", "amount": "1 000"})
    response = post(client, url(token, "paiements"), {"date": "10/05/2025", "amount": "999 999", "invoice": "F-1"})
    assert "dépasse ce qui reste dû sur la facture F-1 (1 000,00 €)" in error_next_to(text_of(response), "amount")
    response = post(client, url(token, "paiements"), {"date": "10/05/2025", "amount": "0"})
    assert "supérieur à 0" in error_next_to(text_of(response), "amount")
    assert "payments" not in stored(app, token)


# --- 14. A sole trader is asked for first and last name ---------------------------------------------
SOLE_TRADER = {**CREDITOR, "kind": "sole_trader", "name": "", "legal_form": "", "signatory": ""}


def test_a_sole_trader_gives_first_and_last_name_which_the_requete_prints(app, client, token):
    response = post(client, url(token, "creancier"), SOLE_TRADER)
    page = text_of(response)
    assert "Indiquez votre prénom" in error_next_to(page, "first_name")
    assert "Indiquez votre nom de famille" in error_next_to(page, "last_name")
    data = {**SOLE_TRADER, "first_name": "Marie", "last_name": "Dupont", "name": "Électricité Dupont"}
    assert post(client, url(token, "creancier"), data).status_code == 302
    creditor = stored(app, token)["creditor"]
    assert (creditor["first_name"], creditor["last_name"], creditor["name"]) == (
        "Marie",
        "Dupont",
        "Électricité Dupont",
    )
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        dossiers.save_claim(db.session(), dossier, {**BASE_CLAIM, "creditor": creditor})
    requete = pdf_text(client.get(f"/dossier/{token}/documents/requete-injonction-de-payer.pdf?le=23/11/2026").data)
    assert "Marie DUPONT, entrepreneur individuel" in " ".join(requete.split())
    assert "exerçant sous le nom « Électricité Dupont »" in " ".join(requete.split())


def test_a_sole_trader_without_trade_name_is_named_by_first_and_last_name(app, client, token):
    data = {**SOLE_TRADER, "first_name": "Marie", "last_name": "Dupont"}
    assert post(client, url(token, "creancier"), data).status_code == 302
    assert stored(app, token)["creditor"]["name"] == "Marie DUPONT"


def test_the_fields_the_requete_needs_are_not_called_optional(client, token):
    page = client.get(url(token, "creancier")).get_data(as_text=True)
    for field in ("birth_date", "birth_place", "nationality", "profession", "signatory"):
        label = re.search(rf'<label for="{field}">(.*?)</label>', page, re.S).group(1)
        assert "facultatif" not in label, field
        assert "requête" in re.search(rf'id="{field}-aide">(.*?)</p>', page, re.S).group(1), field


def test_a_company_still_needs_its_name(client, token):
    response = post(client, url(token, "creancier"), {**CREDITOR, "name": ""})
    assert "obligatoire" in error_next_to(text_of(response), "name")


# --- 15. A team member chooses the team when creating the dossier ----------------------------------
def test_a_team_member_chooses_whose_the_new_dossier_is(app):
    supervisor, volunteer = app.test_client(), app.test_client()
    assert team_with_volunteer(app, supervisor, volunteer) == 1
    home = volunteer.get("/").get_data(as_text=True)
    assert '<option value="">Choisissez…</option><option value="moi">' in home  # nothing chosen in advance
    response = volunteer.post("/nouveau", data={"csrf_token": csrf(volunteer, "/")})
    assert response.status_code == 400  # no silent "moi": the team's case would sit outside the team
    assert "Choisissez pour qui est ce dossier" in text_of(response)
    with app.app_context():
        assert db.session().scalar(select(Dossier)) is None
    token = new_dossier(volunteer, owner="equipe-1")
    with app.app_context():
        assert dossiers.by_token(db.session(), token).organisation_id == 1


def test_someone_without_a_team_starts_a_dossier_of_their_own_without_choosing(app, client):
    sign_up(client, "sophie@example.org")
    token = new_dossier(client)
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier.owner_id is not None and dossier.organisation_id is None


# --- 16. Contrast of the "possible" badge ----------------------------------------------------------
def test_the_possible_badge_has_enough_contrast():
    css = (static_dir() / "css" / "app.css").read_text(encoding="utf-8")
    rule = re.search(r"\.badge\.ok \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css)
    assert rule and contrast(rule.group(1), rule.group(2)) >= 4.5


def contrast(background: str, ink: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(background), luminance(ink)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- The ZIP export is read back the way it was written ----------------------------------------------
def test_an_export_holds_the_files_under_their_ids_and_imports_back_identically(app, client, token):
    fill(client, token)
    exported = client.get(f"/dossier/{token}/export.zip").data
    names = zipfile.ZipFile(io.BytesIO(exported)).namelist()
    assert all(re.fullmatch(r"creance\.yaml|factures/[0-9a-f]{16}\.pdf", name) for name in names)
    claim = yaml.safe_load(zipfile.ZipFile(io.BytesIO(exported)).read("creance.yaml"))
    assert claim == stored(app, token)
    with pikepdf.open(io.BytesIO(zipfile.ZipFile(io.BytesIO(exported)).read(names[-1]))) as document:
        assert len(document.pages) == 1
