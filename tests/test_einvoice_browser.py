"""In a real browser: a dossier started from two e-invoices reaches the mise en demeure with no
invoice field typed (Debian's Chromium driven by Playwright, as in test_browser.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests import einvoice_samples as s
from tests.test_browser import download_document, page, pdf_text, problems, server, shot, step_heading  # noqa: F401

pytestmark = pytest.mark.usefixtures("poppler")


def test_two_e_invoices_to_a_downloaded_mise_en_demeure(page, server, tmp_path):  # noqa: F811
    first = tmp_path / "FA-2026-0101.pdf"
    first.write_bytes(s.facturx_pdf(number="FA-2026-0101", prepaid="200.00"))
    second = tmp_path / "FA-2026-0102.xml"
    second.write_bytes(s.ubl(number="FA-2026-0102", total="600.00", issued=date(2026, 9, 15), due=date(2026, 10, 15)))
    page.goto(server.url + "/")
    box = page.locator("section", has=page.get_by_role("heading", name="Démarrer avec mes factures électroniques"))
    box.get_by_label("Vos factures électroniques").set_input_files([str(first), str(second)])
    shot(page, "e01-accueil-factures")
    box.get_by_role("button", name="Lire mes factures").click()

    step_heading(page, "Vérifiez ce que vos factures disent")
    for text in ("Atelier Dupont SARL", "Boulangerie Martin SAS", "FA-2026-0101", "FA-2026-0102", "200,00"):
        expect(page.locator("main")).to_contain_text(text)
    expect(page.get_by_text(re.compile("les mentions de l'art. L441-9 C. com. y figurent")).first).to_be_visible()
    shot(page, "e02-verification")
    page.get_by_role("button", name="Créer le dossier avec ces factures").click()

    step_heading(page, "Récapitulatif")
    expect(page.locator(".error-summary")).to_have_count(0)
    claim = server.saved_claim(page.url)
    assert [i["number"] for i in claim["invoices"]] == ["FA-2026-0101", "FA-2026-0102"]
    assert claim["terms"] == {"late_penalty_rate": "12"}
    shot(page, "e03-recapitulatif")
    page.get_by_role("link", name="Voir l'analyse de ma créance").click()

    step_heading(page, "Analyse de votre créance")
    page.get_by_role("link", name="Préparer les documents").first.click()
    step_heading(page, "Vos documents")
    text = pdf_text(download_document(page, "Mise en demeure de payer", tmp_path))
    assert "mettons en demeure" in text
    assert "FA-2026-0101" in text and "FA-2026-0102" in text and "Boulangerie Martin SAS" in text
