"""What a new user reads: the reminder plan in words, the legal terms explained, missing fields
named, and the letters of a sole trader (the issues a first-time user tripped over)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from datetime import date

import pytest

from tests.test_followup_web import complete_claim, put_claim, text_of
from tests.test_web import new_dossier
from webapp.domain.report import to_json

# Due on Friday 23 October 2026: the default plan gives 26 October, 2 November (1 November is a
# Sunday and a holiday) and 12 November (11 November is a holiday). One e-mail went out on 10 November.
LATE = "2026-11-16"


def late_claim(**changes) -> dict:
    invoices = [{"number": "F-7", "issued": "2026-09-23", "due": "2026-10-23", "amount": "1200.00"}]
    history = {"reminders": [{"date": "2026-11-10", "channel": "email"}]}
    return complete_claim(**{"invoices": invoices, "history": history, **changes})


@pytest.fixture
def late(app, client):
    token = new_dossier(client)
    put_claim(app, token, late_claim())
    return token


# --- 1. The reminder plan -------------------------------------------------------------------------
def test_the_json_plan_keeps_the_contracts_dates_and_statuses(run):
    plan = json.loads(json.dumps(to_json(run(late_claim(), LATE))))["reminders"]["plan"]
    assert plan == [
        {"step": 1, "date": "2026-10-26", "channel": "email", "status": "done"},
        {"step": 2, "date": "2026-11-02", "channel": "email", "status": "due"},
        {"step": 3, "date": "2026-11-12", "channel": "email", "status": "planned"},
    ]


def test_suivi_shows_when_a_step_was_done_and_that_a_late_one_goes_now(client, late):
    page = text_of(client.get(f"/dossier/{late}/suivi?le=16/11/2026"))
    assert "Relance 1, par e-mail : faite le 10 novembre 2026" in page
    assert "26 octobre 2026 : faite" not in page
    assert "Relance 2, par e-mail : à envoyer dès maintenant (le plan la prévoyait le 2 novembre 2026)" in page
    assert "Relance 3, par e-mail : à envoyer après la relance 2 (le plan la prévoyait le 12 novembre 2026)" in page
    assert "12 novembre 2026 : prévue" not in page


def test_a_step_still_ahead_keeps_its_date(client, late):
    page = text_of(client.get(f"/dossier/{late}/suivi?le=05/11/2026"))
    assert "Relance 3, par e-mail : prévue le 12 novembre 2026" in page


def test_analyse_says_to_send_the_late_reminder_now(client, late):
    page = text_of(client.get(f"/dossier/{late}/analyse?le=16/11/2026"))
    assert "Envoyez la deuxième relance du plan dès maintenant (le plan la prévoyait le 2 novembre 2026)" in page
    assert "(prévue le 2 novembre 2026)" not in page


def test_the_default_plan_says_where_it_comes_from_once(client, late):
    for page_name in ("analyse", "suivi"):
        page = text_of(client.get(f"/dossier/{late}/{page_name}?le=16/11/2026"))
        assert page.count("celui que Dûment propose par défaut : une relance à J+3, J+10 et J+20 après") == 1
        assert "vous pouvez le changer sur la page Suivi" in page


def test_the_default_plan_is_explained_under_the_plan_once_it_is_over(app, client):
    token = new_dossier(client)
    reminders = [{"date": d, "channel": "email"} for d in ("2026-10-26", "2026-11-02", "2026-11-12")]
    put_claim(app, token, late_claim(history={"reminders": reminders}))
    page = text_of(client.get(f"/dossier/{token}/suivi?le=30/11/2026"))
    assert "Relance 3, par e-mail : faite le 12 novembre 2026" in page
    assert page.count("celui que Dûment propose par défaut") == 1


def test_a_plan_of_ones_own_says_nothing_about_the_default(app, client):
    token = new_dossier(client)
    put_claim(app, token, late_claim(follow_up={"plan": [{"days": 5, "channel": "email"}]}))
    page = text_of(client.get(f"/dossier/{token}/suivi?le=16/11/2026"))
    assert "Relance 1, par e-mail : faite le 10 novembre 2026" in page
    assert "Dûment propose par défaut" not in page


def test_the_cli_text_reads_like_the_page(run):
    from webapp.domain.report import to_text

    text = to_text(run(late_claim(), LATE))
    assert "Relance 1, par e-mail : faite le 10 novembre 2026" in text
    assert "à envoyer dès maintenant (le plan la prévoyait le 2 novembre 2026)" in text


def test_the_automatic_reminders_page_reads_the_plan_the_same_way(app, client):
    from tests.test_mail_reminders import signed_in

    signed_in(app, client)
    token = new_dossier(client)
    claim = late_claim()
    claim["invoices"][0].update(issued="2025-01-01", due="2025-01-31")  # every plan date long past today
    claim["history"] = {"reminders": [{"date": "2025-03-10", "channel": "email"}]}
    put_claim(app, token, claim)
    page = text_of(client.get(f"/dossier/{token}/relances"))
    assert "Relance n° 1 : faite le 10 mars 2025" in page
    assert "Relance n° 2 : à envoyer dès maintenant (le plan la prévoyait le 10 février 2025)" in page
    assert "Relance n° 3 : à envoyer après la relance 2 (le plan la prévoyait le 20 février 2025)" in page


# --- 2. Legal words explained, the provisional rate said on its own line ---------------------------
def glossary_box(page: str) -> str:
    return page.split("Mots utilisés sur cette page", 1)[1]


def test_every_legal_word_of_the_analysis_is_explained_in_plain_french(client, late):
    page = text_of(client.get(f"/dossier/{late}/analyse?le=16/11/2026"))
    for shown in ("d'ordre public", "CPC", "C. com.", "greffe", "taux BCE", "titre exécutoire"):
        assert shown in page.split("Mots utilisés sur cette page")[0], shown
    box = glossary_box(page)
    for explained in (
        "Ordre public Une règle « d'ordre public » s'impose à tous",
        "CPC Le code de procédure civile",
        "C. com. Le code de commerce",
        "Greffe Le service administratif d'un tribunal",
        "Taux BCE Le taux d'intérêt de la Banque centrale européenne",
        "Titre exécutoire Un document",
    ):
        assert explained in box, explained


def test_the_words_box_links_each_explanation_to_its_source(client, late):
    page = client.get(f"/dossier/{late}/analyse?le=16/11/2026").get_data(as_text=True)
    box = page.split('id="mots"', 1)[1]
    assert 'href="https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070716/"' in box  # CPC
    assert 'href="https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000005634379/"' in box  # C. com.
    assert "Mots utilisés sur cette page" in page and 'href="#mots"' in page


def test_a_word_links_to_its_explanation_where_it_first_appears(client, late):
    page = client.get(f"/dossier/{late}/analyse?le=16/11/2026").get_data(as_text=True)
    found = r'd&#39;<a class="term" href="#mot-ordre-public" title="([^"]+)">ordre public</a> \(art\. 1406'
    link = re.search(found, page)
    assert link and link.group(1).startswith("Une règle « d&#39;ordre public » s&#39;impose à tous")
    assert page.count('href="#mot-ordre-public"') == 1  # the first use only
    assert '<dt id="mot-ordre-public"><dfn>Ordre public</dfn></dt>' in page
    assert 'href="#mot-cpc" title="Le code de procédure civile' in page
    inside = re.findall(r"<(h[1-6]|summary)\b[^>]*>(.*?)</\1>", page, re.S)
    assert inside and not [text for _, text in inside if 'class="term"' in text]  # never in a heading or summary


def test_the_box_lists_only_words_the_page_uses(client, late):
    box = glossary_box(text_of(client.get(f"/dossier/{late}/analyse?le=16/11/2026")))
    assert "Clause pénale" not in box  # no clause pénale in this claim, nor in the routes shown
    assert "Suspension de la prescription" not in box
    assert "Chambre commerciale (Alsace-Moselle)" in box  # written « chambre commerciale » on the page


def test_every_glossary_term_has_an_explanation_and_the_new_ones_a_source(library):
    terms = {t.term: t for t in library.glossary}
    for name in ("Ordre public", "CPC", "C. com.", "C. civ.", "Greffe", "Taux BCE", "Titre exécutoire"):
        assert terms[name].explanation and terms[name].url.startswith("https://"), name


def test_the_rate_line_says_itself_that_the_rate_is_provisional(client, late):
    page = text_of(client.get(f"/dossier/{late}/analyse?le=16/11/2026"))
    assert "taux BCE au 01/07/2026 : 2,15 % (dernier taux vérifié, provisoire)" in page
    assert "taux BCE au 01/07/2026 (2,15 %)" not in page


def test_a_verified_rate_reads_as_before(run):
    invoice = {"number": "F-1", "issued": "2025-01-01", "due": "2025-01-31", "amount": "100"}
    a = run(late_claim(invoices=[invoice]), "2025-03-01")
    bases = [p.basis for acc in a.accounts for p in acc.periods]
    assert any("taux BCE au 01/01/2025 (3,15 %)" in b for b in bases), bases
    assert not any("provisoire" in b for b in bases)


# --- 3. Missing fields named on the review -----------------------------------------------------------
def test_the_review_names_each_missing_field_of_a_step(app, client):
    token = new_dossier(client)
    claim = late_claim()
    claim["debtor"] = {"name": "Boulangerie Martin SAS", "address": {"line1": "", "postcode": "", "city": ""}}
    put_claim(app, token, claim)
    page = text_of(client.get(f"/dossier/{token}/etape/recapitulatif"))
    assert (
        "Étape 2, Votre client : champs obligatoires manquants : type de client, adresse (numéro et rue), "
        "code postal, ville." in page
    )


def test_one_missing_field_is_named_in_the_singular(app, client):
    token = new_dossier(client)
    claim = late_claim()
    claim["invoices"][0].pop("amount")
    put_claim(app, token, claim)
    page = text_of(client.get(f"/dossier/{token}/etape/recapitulatif"))
    assert "Étape 3, Factures : champ obligatoire manquant : montant (ligne 1)." in page


# --- 4. Letters: dates clear of the table borders, an EI's name with its mention ---------------------
SOLE_TRADER = {
    "name": "Marie Dupont",
    "kind": "sole_trader",
    "siren": "732829320",
    "address": {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris"},
    "birth_date": "1980-04-02",
    "birth_place": "Lyon",
    "nationality": "française",
    "profession": "architecte d'intérieur",
}
POINTS_PER_MM = 72 / 25.4
A4_WIDTH, RIGHT_MARGIN = 595.28, 18 * POINTS_PER_MM  # documents.css: @page margin 18mm right


def letter_claim(**creditor) -> dict:
    claim = late_claim()
    claim["creditor"] = {**SOLE_TRADER, **creditor}
    claim["invoices"] = [
        {
            "number": "FA-2026-0917",
            "issued": "2026-09-22",
            "due": "2026-10-22",
            "amount": "12480.00",
            "description": "Travaux de rénovation",
        }
    ]
    return claim


def letter_pdf(claim: dict, on: str = LATE, document: str = "mise-en-demeure") -> bytes:
    from webapp.config import procedures_dir, static_dir, templates_dir
    from webapp.documents.render import render_pdf
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import claim_from_data
    from webapp.domain.procedures import load_library

    library = load_library(procedures_dir())
    a = assess(claim_from_data(claim), library, date.fromisoformat(on))
    return render_pdf(document, a, library, templates_dir=templates_dir(), static_dir=static_dir())


def words(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float]]:
    """(word, xMin, xMax, yMin) of every word of page 1, from pdftotext -bbox."""
    source = tmp_path / "letter.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    return [(html.unescape(w), float(x0), float(x1), float(y0)) for x0, y0, x1, w in found]


@pytest.mark.usefixtures("poppler")
def test_the_dates_of_the_invoice_table_keep_clear_of_the_borders(tmp_path):
    found = words(letter_pdf(letter_claim()), tmp_path)
    issued = next(w for w in found if w[0] == "22/09/2026")
    due = next(w for w in found if w[0] == "22/10/2026" and w[3] == issued[3])
    # Between the two dates: the right padding of one cell, the border, the left padding of the next.
    assert due[1] - issued[2] >= 2 * POINTS_PER_MM
    table_right = A4_WIDTH - RIGHT_MARGIN
    rows = [w for w in found if w[3] >= issued[3] - 30 and w[0] in ("€", "12 623,86", "623,86")]
    assert rows and max(w[2] for w in rows) <= table_right - 1 * POINTS_PER_MM  # the total stays inside


@pytest.mark.usefixtures("poppler")
def test_a_sole_traders_letter_names_the_sender_and_signer_with_ei(tmp_path):
    source = tmp_path / "letter.pdf"
    source.write_bytes(letter_pdf(letter_claim()))
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "Marie Dupont EI"  # the sender block
    assert "Marie Dupont EI" in lines[lines.index("Pièces jointes : copie de la facture n° FA-2026-0917.") - 1]


def context_of(claim: dict, on: str = LATE) -> dict:
    from webapp.config import procedures_dir
    from webapp.documents.context import build_context
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import claim_from_data
    from webapp.domain.procedures import load_library

    library = load_library(procedures_dir())
    return build_context(assess(claim_from_data(claim), library, date.fromisoformat(on)), library)


@pytest.mark.parametrize(
    "name", ["Marie Dupont EI", "Marie Dupont (EI)", "Marie Dupont, entrepreneur individuel", "EI Marie Dupont"]
)
def test_a_name_that_already_carries_the_mention_is_left_alone(name):
    creditor = context_of(letter_claim(name=name))["creditor"]
    assert creditor["sender_name"] == name and creditor["signatory"] == name


def test_the_mention_is_the_dated_parameter_and_only_for_a_sole_trader(library):
    assert library.parameters.at("sole_trader_name_mention", date(2026, 11, 16)).value == "EI"
    assert library.parameters.at("sole_trader_name_mention", date(2022, 5, 14)).value is None
    assert context_of(letter_claim(), "2022-05-14")["creditor"]["sender_name"] == "Marie Dupont"  # before the law
    company = {"name": "Atelier Dupont SARL", "kind": "company", "signatory": "Marie Dupont, gérante"}
    creditor = context_of(letter_claim(**company))["creditor"]
    assert creditor["sender_name"] == "Atelier Dupont SARL" and creditor["signatory"] == "Marie Dupont, gérante"


def test_a_sole_trader_signing_under_another_name_keeps_it_and_names_the_ei(library):
    creditor = context_of(letter_claim(signatory="Marie Dupont"))["creditor"]
    assert creditor["signatory"] == "Marie Dupont EI"  # the same person: the mention follows the name
    creditor = context_of(letter_claim(signatory="Paul Durand, collaborateur"))["creditor"]
    assert creditor["signatory"] == "Paul Durand, collaborateur" and creditor["sender_name"] == "Marie Dupont EI"


def test_the_reminder_email_is_signed_with_the_mention(library):
    from webapp.config import templates_dir
    from webapp.documents.render import relance_email
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import claim_from_data

    claim = letter_claim()
    claim["history"] = {}
    a = assess(claim_from_data(claim), library, date(2026, 10, 28))
    _, body = relance_email(a, library, templates_dir())
    assert "\nMarie Dupont EI\n" in body
