"""Court documents and the mise en demeure, read back from the PDF: text, metadata, layout."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import BytesIO

import pikepdf
import pytest
import yaml

from tests.conftest import EXAMPLES, dument
from webapp.config import static_dir, templates_dir
from webapp.documents.context import Options
from webapp.documents.render import DocumentUnavailable, render_pdf
from webapp.domain.assessment import assess
from webapp.domain.claim_file import load_claim

ON = date(2026, 11, 23)
MM = 72 / 25.4
pytestmark = pytest.mark.usefixtures("poppler")


def text_of(pdf: bytes, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"[\u202f\u00a0]", " ", out)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render(library, name: str, document: str, **options) -> bytes:
    a = assess(load_claim(EXAMPLES / name), library, ON)
    return render_pdf(
        document, a, library, templates_dir=templates_dir(), static_dir=static_dir(), options=Options(**options)
    )


def word_boxes(pdf: bytes, word: str) -> list[tuple[float, float]]:
    """(x, y) in mm from the sheet's top-left corner of each occurrence of ``word`` on page 1."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [
        (float(x) / MM, float(y) / MM)
        for x, y, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', xml)
        if w == word
    ]


@pytest.fixture(scope="module")
def med(library):
    return render(library, "b2b-acknowledged.yaml", "mise-en-demeure")


def test_mise_en_demeure_says_everything_the_law_and_practice_require(med):
    text = flat(text_of(med))
    for words in (
        "Lettre recommandée avec demande d'avis de réception".upper(),
        "mettons en demeure",
        "F-2025-031",
        "1 200,00 €",
        "200,00 €",
        "187,68 €",
        "40,00 €",
        "1 243,46 €",
        "mille deux cent quarante-trois euros et quarante-six centimes",
        "8 jours",
        "FR76 3000 6000 0112 3456 7890 189",
        "L441-10",
        "D441-5",
        "1344",
        "Paris, le 23 novembre 2026",
        "Pièces jointes",
    ):
        assert words in text, words


def test_payment_deadline_is_the_users_choice(library):
    text = flat(text_of(render(library, "b2b-acknowledged.yaml", "mise-en-demeure", payment_deadline_days=15)))
    assert "15 jours" in text and "8 jours" not in text


def test_recipient_address_sits_in_the_envelope_window(med):
    ((x, y),) = word_boxes(med, "LYON")
    assert 100 <= x <= 200 and 35 <= y <= 80
    ((bx, by),) = word_boxes(med, "Boulangerie")[:1]
    assert 100 <= bx <= 200 and 35 <= by <= 80 and by < y


def test_pages_are_numbered_and_metadata_set(med, library):
    # With the SEPA payment QR code (the creditor gave an IBAN), the letter's closing goes to page 2.
    assert "Page 1 / 2" in text_of(med) and "Page 2 / 2" in text_of(med)
    longer = text_of(render(library, "b2b-acknowledged.yaml", "requete-injonction-de-payer"))
    assert "Page 1 / 2" in longer and "Page 2 / 2" in longer
    with pikepdf.open(BytesIO(med)) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Mise en demeure de payer — Boulangerie Martin SAS"
        assert str(pdf.docinfo["/Author"]) == "Atelier Dupont SARL"
        assert str(pdf.Root.Lang) == "fr"


def test_consumer_mise_en_demeure_has_legal_interest_and_no_indemnity(library):
    text = flat(text_of(render(library, "consumer-negotiation.yaml", "mise-en-demeure")))
    assert "1231-6" in text and "taux légal" in text
    assert "L441-10" not in text and "Indemnités forfaitaires" not in text


def test_requete_names_the_court_the_form_and_the_amount_in_words(library):
    text = flat(text_of(render(library, "b2b-acknowledged.yaml", "requete-injonction-de-payer")))
    for words in (
        "REQUÊTE EN INJONCTION DE PAYER",
        "tribunal des activités économiques de Lyon",
        "12946*02",
        "SIREN 732 829 320",
        "représentée par Marie Dupont, gérante",
        "1405",
        "1 243,46 €",
        "mille deux cent quarante-trois euros",
        "bordereau",
        "reconnu sa dette par écrit le 2 juin 2025",
    ):
        assert words in text, words


def test_requete_flags_what_the_claim_file_lacks(library):
    text = flat(text_of(render(library, "alsace-artisan.yaml", "requete-injonction-de-payer")))
    assert "À compléter avant de déposer la requête" not in text  # the to-do list is on the Documents page
    assert "[à compléter : date de naissance]" in text and "[à compléter : nationalité]" in text
    assert "12948*06" in text and "chambre commerciale du tribunal judiciaire" in text
    assert "annuaires.justice.gouv.fr" in text


def test_decompte_shows_each_period_with_its_rate(library):
    text = flat(text_of(render(library, "b2b-reminded.yaml", "decompte")))
    assert "DÉCOMPTE DES SOMMES DUES" in text
    assert "12,15 %" in text and "Taux de la période en cours" in text
    assert "Une seule source non officielle" not in text  # research notes stay out of documents
    assert "imputé selon l'art. 1342-10" in text


def test_bordereau_numbers_every_piece(library):
    text = flat(text_of(render(library, "debtor-germany.yaml", "bordereau-pieces")))
    assert re.search(r"1 Facture n° VG-2026-301", text) and "3 Lettre de voiture CMR" in text
    assert "aucun fichier fourni" in text


def test_document_this_claim_cannot_have_says_why(library):
    with pytest.raises(DocumentUnavailable, match="prescrite"):
        render(library, "consumer-prescribed.yaml", "requete-injonction-de-payer")


def test_cli_render_and_refusal(tmp_path):
    out = tmp_path / "med.pdf"
    ok = dument(
        "render",
        str(EXAMPLES / "b2b-acknowledged.yaml"),
        "--document",
        "mise-en-demeure",
        "--out",
        str(out),
        "--on",
        "2026-11-23",
    )
    assert ok.returncode == 0, ok.stderr
    assert out.read_bytes().startswith(b"%PDF")
    refused = dument(
        "render",
        str(EXAMPLES / "consumer-prescribed.yaml"),
        "--document",
        "requete-injonction-de-payer",
        "--out",
        str(tmp_path / "r.pdf"),
    )
    assert refused.returncode == 2 and "prescrite" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "r.pdf").exists()
    unknown = dument(
        "render", str(EXAMPLES / "b2b-acknowledged.yaml"), "--document", "lettre", "--out", str(tmp_path / "x.pdf")
    )
    assert unknown.returncode == 2 and "document inconnu" in unknown.stderr


def test_time_barred_invoices_are_not_claimed(library, tmp_path):
    data = yaml.safe_load((EXAMPLES / "consumer-prescribed.yaml").read_text(encoding="utf-8"))
    with pytest.raises(DocumentUnavailable, match="prescrites"):
        render_data(library, data, "mise-en-demeure")
    data["invoices"].append({"number": "GL-2026-101", "issued": "2026-09-01", "due": "2026-09-01", "amount": "90.00"})
    data["history"]["formal_notice"] = {"sent": "2026-10-01", "received": "2026-10-03"}
    text = flat(text_of(render_data(library, data, "mise-en-demeure")))
    assert "GL-2026-101" in text and "GL-2024-512" not in text and "640,00 €" not in text


def test_requete_states_the_rate_that_keeps_running(library):
    text = flat(text_of(render(library, "b2b-acknowledged.yaml", "requete-injonction-de-payer")))
    assert "à compter du 24 novembre 2026 et jusqu'à parfait paiement, au taux de 12 % l'an" in text
    assert "pénalités de retard arrêtées" in text


def test_requete_alsace_heading_and_trade_names(library):
    text = flat(text_of(render(library, "alsace-artisan.yaml", "requete-injonction-de-payer")))
    assert "Président de la chambre commerciale du tribunal judiciaire de" in text
    assert "chambre commerciale (Alsace-Moselle)" in text
    from webapp.documents.context import build_context

    gaps = build_context(assess(load_claim(EXAMPLES / "alsace-artisan.yaml"), library, ON), library)["missing"]
    trade_name = "nom et prénoms de l'entrepreneur individuel si « Électricité Weber » est un nom commercial"
    assert f"{trade_name} (art. 54 CPC)" in gaps
    assert "Reconnaissance de dette" not in text and "Lettre de mise en demeure du 02/05/2026" in text


def render_data(library, data, document):
    from webapp.domain.claim_file import claim_from_data

    a = assess(claim_from_data(data), library, ON)
    return render_pdf(document, a, library, templates_dir=templates_dir(), static_dir=static_dir())
