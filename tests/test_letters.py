"""The letters rendered for real: relance (PDF and e-mail), procédure simplifiée request, déclaration de créance."""

from __future__ import annotations

import functools
import io
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import EXAMPLES
from webapp.config import procedures_dir, static_dir, templates_dir
from webapp.documents import pdf as pdf_module
from webapp.documents.context import build_context
from webapp.documents.pdf import DocumentRenderError, html_to_pdf
from webapp.documents.render import DocumentUnavailable, relance_email, render_pdf
from webapp.domain.assessment import Assessment, assess
from webapp.domain.claim_file import load_claim
from webapp.domain.french import euros as format_euros
from webapp.domain.procedures import load_library

AS_OF = date(2026, 11, 23)
pytestmark = pytest.mark.usefixtures("poppler")


@functools.cache
def library():
    return load_library(procedures_dir())


def assessed(example: str, on: date = AS_OF) -> Assessment:
    return assess(load_claim(EXAMPLES / f"{example}.yaml"), library(), on)


def render(a: Assessment, document_id: str) -> bytes:
    return render_pdf(document_id, a, library(), templates_dir=templates_dir(), static_dir=static_dir())


@functools.cache
def rendered(example: str, document_id: str) -> bytes:
    """One example's document, rendered once for the whole module."""
    return render(assessed(example), document_id)


def normalise(text: str) -> str:
    """Babel's narrow and plain no-break spaces as spaces, hyphenation undone, whitespace collapsed."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    text = re.sub(r"\u2010\s*\n\s*", "", text)  # a word hyphenated at the end of a line
    text = re.sub(r"-[ \t]*\n\s*", "-", text)  # a compound word broken at its own hyphen
    return " ".join(text.split())


def pdf_text(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True)
    return normalise(out.stdout)


def info(data: bytes) -> tuple[int, str, str]:
    """Page count, title and author of a PDF."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages), str(pdf.docinfo["/Title"]), str(pdf.docinfo["/Author"])


def euros(amount: str) -> str:
    return normalise(format_euros(Decimal(amount)))


# --- Relance -------------------------------------------------------------------------------------


def test_relance_is_a_courteous_reminder_not_a_formal_notice(tmp_path):
    data = rendered("b2b-first-reminder", "relance")
    text = pdf_text(data, tmp_path)
    assert "mise en demeure" not in text.lower()
    assert "recommandée" not in text.lower()
    for expected in (
        "Bordeaux, le 23 novembre 2026",
        "Réf. : SL-2026-014",
        "Objet : Rappel",
        "Sauf erreur ou omission de notre part",
        "SL-2026-014",
        euros("850.00"),
        "(huit cent cinquante euros)",
        "au plus tard le 1er décembre 2026",
        "Pièces jointes :",
        "Claire Lune",
    ):
        assert expected in text
    # Between professionals: the penalties and the 40 € are mentioned, not demanded.
    assert "L441-10" in text and "D441-5" in text and "40 €" in text
    assert euros("901.03") not in text  # the total with penalties is not claimed
    assert info(data) == (1, "Relance amiable — Librairie du Port SARL", "Studio Lune")


def test_relance_to_a_consumer_mentions_no_penalty_or_indemnity(tmp_path):
    text = pdf_text(rendered("consumer-negotiation", "relance"), tmp_path)
    assert euros("1380.00") in text and "PR-2026-088" in text
    for absent in ("L441-10", "D441-5", "40 €", "pénalités", "indemnité"):
        assert absent not in text


def test_relance_gives_the_iban_and_the_payments_received(tmp_path):
    text = pdf_text(rendered("b2b-acknowledged", "relance"), tmp_path)
    assert "IBAN FR76 3000 6000 0112 3456 7890 189" in text
    assert f"votre règlement de {euros('200.00')} du 10 mai 2025" in text
    assert f"le solde de {euros('1015.78')} (mille quinze euros et soixante-dix-huit centimes)" in text
    # the last contact was the mise en demeure, after the reminder of 10 April: it is the one recalled
    assert "Notre mise en demeure du 15 mai 2025 étant restée sans suite" in text


def test_relance_email_has_subject_and_plain_text_body():
    subject, body = relance_email(assessed("b2b-first-reminder"), library(), templates_dir())
    assert subject == "Rappel — facture n° SL-2026-014 restant à régler"
    assert body.startswith("Madame, Monsieur,\n")
    body = normalise(body)
    assert "facture n° SL-2026-014 du 15 septembre 2026" in body
    assert f"reste dû {euros('850.00')}" in body and "(huit cent cinquante euros)" in body
    assert "L441-10" in body and "Claire Lune" in body and "bonjour@studio-lune.fr" in body
    assert "Objet" not in body and "<" not in body and "mise en demeure" not in body.lower()


def test_relance_email_is_not_html_escaped(claim_data, run):
    claim_data["invoices"][0]["description"] = "Pose & dépose <vitrine>"
    subject, body = relance_email(run(claim_data, AS_OF), library(), templates_dir())
    assert "F-1" in subject
    assert "Pose & dépose <vitrine>" in body and "&amp;" not in body


def test_relance_email_to_a_consumer_mentions_no_penalty():
    _, body = relance_email(assessed("consumer-negotiation"), library(), templates_dir())
    assert "PR-2026-088" in body and euros("1380.00") in normalise(body)
    assert "L441-10" not in body and "40 €" not in body


# --- Procédure simplifiée ------------------------------------------------------------------------


def test_procedure_simplifiee_request(tmp_path):
    data = rendered("consumer-negotiation", "demande-procedure-simplifiee")
    text = pdf_text(data, tmp_path)
    for expected in (
        "Maître [à compléter : nom]",
        "Commissaire de justice",
        "credicys.fr",
        "L125-1",
        "R125-1",
        "Plomberie Roux",
        "SIREN 552 100 554",
        "Sophie Bernard",
        "4 allée des Tilleuls",
        "PR-2026-088",
        euros("1388.02"),
        "(mille trois cent quatre-vingt-huit euros et deux centimes)",
        "le plafond de 5 000 €",
        "Devis signé le 2 mai 2026",
        "remise sur le montant réclamé : au plus 10 %",
        "en 6 échéances au plus",
        "à la charge exclusive du créancier",
        "délai d'un mois",
        "mis en demeure de payer par lettre recommandée",
        "Pièces jointes :",
    ):
        assert expected in text
    pages, title, author = info(data)
    assert pages <= 3
    assert title == ("Demande de procédure simplifiée de recouvrement des petites créances — Sophie Bernard")
    assert author == "Plomberie Roux"


def test_procedure_simplifiee_without_negotiation_margin_leaves_blanks(tmp_path):
    text = pdf_text(rendered("b2b-reminded", "demande-procedure-simplifiee"), tmp_path)
    assert "Aucune marge de négociation indiquée" in text
    assert "[à compléter : remise maximale acceptée" in text
    assert "[à compléter : nombre maximal d'échéances" in text


def test_context_carries_the_procedure_simplifiee_threshold():
    assert build_context(assessed("consumer-negotiation"), library())["threshold"] == Decimal("5000")


# --- Déclaration de créance ----------------------------------------------------------------------


def test_declaration_de_creance(tmp_path):
    data = rendered("debtor-liquidation", "declaration-de-creance")
    text = pdf_text(data, tmp_path)
    for expected in (
        "Déclaration de créance",
        "LETTRE RECOMMANDÉE AVEC DEMANDE D'AVIS DE RÉCEPTION",
        "Maître Claire Olivier",
        "liquidateur judiciaire",
        "liquidation judiciaire",
        "20 octobre 2026",
        "BODACC",
        "2 novembre 2026",
        "2 janvier 2027",
        "L622-24",
        "R622-23",
        "L622-28",
        "chirographaire",
        "IB-2026-210",
        "IB-2026-245",
        euros("5470.50"),
        euros("77.74"),
        euros("80.00"),
        f"Montant total déclaré : {euros('5628.24')}",
        "(cinq mille six cent vingt-huit euros et vingt-quatre centimes)",
        "Nous certifions sincère et véritable la présente déclaration",
        "Fait à Nantes, le 23 novembre 2026",
        "Pièces jointes :",
    ):
        assert expected in text
    assert "[à compléter : « néant », ou nature, date et publication de la garantie]" in text
    assert info(data) == (2, "Déclaration de créance — Éditions du Sud SARL", "Imprimerie Blanc SAS")


def test_declaration_leaves_out_invoices_born_after_the_opening_judgment(claim_data, run, tmp_path):
    claim_data["debtor"]["proceedings"] = {
        "kind": "redressement",
        "opened": "2026-10-01",
        "mandataire": {"name": "Maître Jean Petit"},
    }
    claim_data["invoices"] = [
        {"number": "F-1", "issued": "2026-07-01", "due": "2026-07-31", "amount": "1000.00"},
        {"number": "F-2", "issued": "2026-10-15", "due": "2026-11-14", "amount": "300.00"},
    ]
    a = run(claim_data, "2026-12-10")
    proceedings = build_context(a, library())["proceedings"]
    text = pdf_text(render(a, "declaration-de-creance"), tmp_path)
    assert "mandataire judiciaire" in text and "redressement judiciaire" in text and "L631-14" in text
    assert "Maître Jean Petit [à compléter : adresse]" in text
    assert "date de publication du jugement d'ouverture au BODACC n'est pas connue" in text
    assert "N'est pas déclarée, car née après ce jugement, la facture n° F-2" in text and "L622-17" in text
    assert f"Montant total déclaré : {euros(str(proceedings['totals']['balance']))}" in text
    assert f"({proceedings['total_words']})" in text


# --- Availability and safety ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "document_id"),
    [
        ("b2b-acknowledged", "declaration-de-creance"),
        ("debtor-liquidation", "relance"),
        ("debtor-liquidation", "demande-procedure-simplifiee"),
    ],
)
def test_document_not_open_to_the_claim_is_refused(example, document_id):
    with pytest.raises(DocumentUnavailable):
        render(assessed(example), document_id)


def test_relance_email_refused_in_collective_proceedings():
    with pytest.raises(DocumentUnavailable):
        relance_email(assessed("debtor-liquidation"), library(), templates_dir())


HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd">'


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the PDF renderer asks its fetcher for."""
    urls: list[str] = []
    original = pdf_module.SafeFetcher.fetch

    def recording(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.SafeFetcher, "fetch", recording)
    return urls


def test_fetch_recorder_sees_a_real_image_request(fetched):
    with pytest.raises(DocumentRenderError):
        html_to_pdf('<img src="file:///etc/passwd">', static_dir=static_dir(), title="t", author="a")
    assert any("passwd" in url for url in fetched)


@pytest.mark.parametrize("document_id", ["relance", "demande-procedure-simplifiee"])
def test_hostile_debtor_name_is_printed_as_text_and_fetches_nothing(document_id, claim_data, run, fetched, tmp_path):
    claim_data["debtor"]["name"] = HOSTILE
    data = render(run(claim_data, AS_OF), document_id)
    text = pdf_text(data, tmp_path)
    assert "<script>alert(1)</script>" in text
    assert not any("passwd" in url for url in fetched)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert HOSTILE in str(pdf.docinfo["/Title"])
        images = [
            x
            for page in pdf.pages
            for x in page.resources.get("/XObject", {}).values()
            if x.get("/Subtype") == "/Image"
        ]
        assert images == []
