"""In a real browser: a creditor imports a FEC, makes dossiers for two clients, and reads the dashboard.

The dashboard's figures must be the ledger's (3 700 € outstanding, 3 500 € overdue on
23 November 2026, see tests/fec_sample.py) before and after the dossiers exist: a dossier
made from the ledger replaces its invoices, it does not count them twice.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fec_sample import fec
from tests.test_browser import fill_creditor, label, shot, step_heading, submit
from tests.test_browser import problems as problems
from tests.test_browser import server as server
from tests.test_browser_accounts import person as person
from tests.test_browser_accounts import sign_up_from_header

pytestmark = pytest.mark.usefixtures("poppler")
ON = "2026-11-23"


def figure(page: Page, term: str):
    """The value shown under a key figure's label."""
    return page.locator("dl.figures > div").filter(has=page.locator("dt", has_text=term)).locator("dd")


def expect_ledger_figures(page: Page) -> None:
    expect(figure(page, "Encours")).to_have_text("3\u202f700,00\u00a0€")
    expect(figure(page, "Dont échu")).to_have_text("3\u202f500,00\u00a0€")
    expect(figure(page, "Factures payées")).to_have_text("1")
    expect(figure(page, "Retard moyen")).to_have_text("15,0 j")
    aging = page.locator("#table-anciennete")
    expect(aging.get_by_role("row", name=re.compile("^Plus de 90 jours"))).to_contain_text("3\u202f000,00\u00a0€")
    expect(aging.get_by_role("row", name=re.compile("^Total"))).to_contain_text("3\u202f700,00\u00a0€")


def test_import_a_fec_make_dossiers_for_two_clients_and_read_the_dashboard(person, server, tmp_path):
    page = person()
    sign_up_from_header(page, server, "Marie Dupont", "marie@atelier-dupont.fr")
    page.get_by_role("navigation", name="Compte").get_by_role("link", name="Tableau de bord").click()
    step_heading(page, "Tableau de bord")
    expect(page.get_by_role("main")).to_contain_text("Aucune facture pour l'instant")

    page.get_by_role("link", name="Vos coordonnées de créancier").click()
    fill_creditor(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main > p.flash")).to_contain_text("Coordonnées enregistrées")

    page.get_by_role("link", name="Importer votre comptabilité (FEC ou CSV)").click()
    path = tmp_path / "FEC-2026.txt"
    path.write_bytes(fec(padded=True))
    label(page, "Fichier des écritures comptables (FEC) ou tableau de factures (CSV)").set_input_files(str(path))
    label(page, "Lire les écritures jusqu'au").fill("23/11/2026")
    shot(page, "portfolio-1-import")
    page.get_by_role("button", name="Importer").click()

    step_heading(page, "Choisir les factures à recouvrer")
    martin = page.get_by_role("group", name=re.compile("^Boulangerie Martin SAS"))
    durand = page.get_by_role("group", name=re.compile("^Garage Durand"))
    expect(martin.get_by_role("checkbox")).to_have_count(2)  # F-2026-001 is paid: nothing to pursue
    martin.get_by_label("F-2026-010").check()
    durand.get_by_label("F-2026-005").check()
    durand.get_by_label("F-2026-006").check()
    shot(page, "portfolio-2-choose")
    page.get_by_role("button", name="Créer les dossiers des factures cochées").click()
    expect(page.locator("main > p.flash")).to_contain_text("2 dossiers créés")

    martin.get_by_role("link", name=re.compile("^compléter le dossier")).click()
    step_heading(page, "Votre client")
    expect(label(page, "Nom ou raison sociale du client")).to_have_value("Boulangerie Martin SAS")
    label(page, "Une société (SARL, SAS, SCI…)").check()
    label(page, "Numéro et rue").fill("3 place du Marché")
    label(page, "Code postal").fill("69002")
    label(page, "Ville").fill("Lyon")
    submit(page)
    page.goto(re.sub(r"/etape/.*", "/etape/creancier", page.url))
    expect(label(page, "Raison sociale ou nom commercial")).to_have_value("Atelier Dupont SARL")  # from the profile

    page.goto(f"{server.url}/tableau-de-bord/?au={ON}")
    expect_ledger_figures(page)
    expect(page.get_by_role("main")).to_contain_text("1 dossier à compléter")  # Durand's: no address yet
    clients = page.locator("#table-clients")
    expect(clients.get_by_role("link", name="dossier de Boulangerie Martin SAS")).to_have_count(1)
    expect(clients.get_by_role("row", name=re.compile("^Garage Durand"))).to_contain_text("500,00\u00a0€")
    risks = page.get_by_role("region", name="Clients à risque")
    expect(risks).to_contain_text("3\u202f000,00\u00a0€ impayés depuis plus de 90 jours")
    expect(page.get_by_role("img", name=re.compile("^Diagramme en barres"))).to_be_visible()
    shot(page, "portfolio-3-dashboard")

    with page.expect_download() as caught:
        page.get_by_role("link", name=re.compile("^Exporter la liste des clients")).click()
    text = caught.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("Boulangerie Martin SAS;411MARTIN;3200,00;3000,00;")
