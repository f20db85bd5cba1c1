"""On a phone (390 × 844): the ledger and dashboard pages fit the screen, tables scroll, charts stay legible."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from tests.fec_sample import fec
from tests.test_accounts import sign_up
from tests.test_browser import label, shot, step_heading
from tests.test_browser import page as page
from tests.test_browser import problems as problems
from tests.test_browser import server as server
from tests.test_browser_accounts import sign_up_from_header
from tests.test_portfolio_web import _import
from webapp.web.charts import COMMON, STYLE

pytestmark = pytest.mark.usefixtures("poppler")
PHONE = {"width": 390, "height": 844}


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def smallest_chart_label(page: Page) -> float:
    """The chart labels' size on screen, in CSS pixels: their font size scaled as the image is."""
    widths = page.evaluate("[...document.querySelectorAll('figure img')].map((i) => i.getBoundingClientRect().width)")
    assert widths, "no chart on the page"
    return min(widths) / COMMON["width"] * min(STYLE.label_font_size, STYLE.major_label_font_size)


def test_ledger_and_dashboard_fit_a_phone(page: Page, server, tmp_path):
    sign_up_from_header(page, server, "Marie Dupont", "marie@atelier-dupont.fr")
    page.goto(f"{server.url}/portefeuille/importer")
    path = tmp_path / "FEC-2026.txt"
    path.write_bytes(fec())
    label(page, "Fichier des écritures comptables (FEC) ou tableau de factures (CSV)").set_input_files(str(path))
    label(page, "Lire les écritures jusqu'au").fill("23/11/2026")
    page.get_by_role("button", name="Importer").click()
    step_heading(page, "Choisir les factures à recouvrer")
    page.get_by_role("group", name=re.compile("^Garage Durand")).get_by_label("F-2026-005").check()
    page.get_by_role("button", name="Créer les dossiers des factures cochées").click()
    expect(page.locator("main > p.flash")).to_contain_text("1 dossier créé")
    choose = page.url

    page.set_viewport_size(PHONE)
    for url, name in ((choose, "phone-ledger"), (f"{server.url}/tableau-de-bord/?au=2026-11-23", "phone-dashboard")):
        page.goto(url)
        shot(page, name)
        assert page_width(page) <= PHONE["width"], url
    assert smallest_chart_label(page) >= 11  # was about 5 px: a 640 px chart squeezed into 358 px


def test_the_delay_chart_scale_starts_at_zero_days(app, client):
    sign_up(client, "marie@example.org")
    _import(client, fec())
    dashboard = client.get("/tableau-de-bord/?au=2026-11-23").get_data(as_text=True)
    trend = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', dashboard)[1]
    svg = base64.b64decode(trend).decode("utf-8")
    scale = [float(v.replace(",", ".")) for v in re.findall(r">(-?\d+,\d) j</text>", svg)]
    assert scale and min(scale) == 0, scale  # one month at 15 days late: the scale used to start near 15
