"""In a real browser: a mise en demeure recorded on the Suivi page makes the analysis wait.

Debian's Chromium driven by Playwright, on the live server of ``test_browser`` (same
fixtures). Two clicks record the letter (open the event, save: the date is today's); the
analysis then says to wait until the day after the délai, counted from the prudent
estimate of its receipt, and never calls the letter "restée sans effet".
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.conftest import BASE_CLAIM
from tests.test_browser import browser, page, problems, server, shot  # noqa: F401 - fixtures
from webapp.domain.deadlines import end_of_days, long_date

ESTIMATE_DAYS, DELAI_DAYS = 18, 8  # procedures/parameters/followup.yaml


def test_mise_en_demeure_on_the_suivi_page_makes_the_analysis_wait(page, server):  # noqa: F811
    today = date.today()
    claim = copy.deepcopy(BASE_CLAIM)
    claim["invoices"][0].update(
        issued=(today - timedelta(days=90)).isoformat(), due=(today - timedelta(days=60)).isoformat()
    )
    claim["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    claim["history"] = {
        "reminders": [{"date": (today - timedelta(days=d)).isoformat(), "channel": "email"} for d in (55, 48, 38)]
    }
    base = server.seed(claim)
    page.goto(f"{base}/suivi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suivi du dossier")
    expect(page.locator("#maintenant")).to_contain_text("Mise en demeure")

    page.get_by_role("link", name="La mise en demeure envoyée", exact=True).click()
    form = page.get_by_role("form", name="La mise en demeure envoyée")
    expect(form.get_by_label("Date d'envoi de la mise en demeure")).to_have_value(today.strftime("%d/%m/%Y"))
    form.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("status")).to_contain_text("Mise en demeure enregistrée.")
    last_day = end_of_days(today + timedelta(days=ESTIMATE_DAYS), DELAI_DAYS, None)  # the debtor is in Bordeaux
    first = long_date(last_day + timedelta(days=1))
    expect(page.locator("#maintenant")).to_contain_text(f"Injonction de payer, à partir du {first}")
    expect(page.locator("table.deadlines")).to_contain_text(long_date(last_day))
    assert server.saved_claim(page.url)["history"]["formal_notice"] == {"sent": today.isoformat(), "registered": False}
    shot(page, "suivi-mise-en-demeure")

    page.get_by_role("link", name="Voir l'analyse complète").click()
    advice = page.locator("section.next-step")
    expect(advice).to_contain_text(f"Attendez le {first}")
    expect(advice).to_contain_text("réception estimée au")
    expect(advice).not_to_contain_text("restée sans effet")
    shot(page, "analyse-attend-le-delai")
