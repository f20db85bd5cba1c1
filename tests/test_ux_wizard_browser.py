"""The wizard in Chromium, as a new user tried it: nothing typed is lost without a word, and
a question shows only when its answer matters."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import BASE_CLAIM
from tests.test_browser import page, problems, server, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("poppler")


def test_a_piece_described_but_not_added_is_not_lost_by_the_other_button(page, server):  # noqa: F811
    """Typing a piece, then « Enregistrer et continuer » (the dispute's form), asks first."""
    page.goto(server.seed(BASE_CLAIM) + "/etape/preuves")
    page.get_by_label("Description").fill("Devis D-2026-010 signé")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_label("Description")).to_have_value("Devis D-2026-010 signé")
    assert asked and "pas enregistré" in asked[0]
    assert page.url.endswith("/etape/preuves")
    shot(page, "ux-piece-kept")


def test_the_reading_below_the_legal_floor_is_asked_only_for_a_precise_rate(page, server):  # noqa: F811
    page.goto(server.seed(BASE_CLAIM) + "/etape/conditions")
    question = page.get_by_role("group", name="Si votre taux est inférieur au minimum légal")
    page.get_by_label("Rien n'est prévu / je ne sais pas (taux fixé par la loi)").check()
    expect(question).to_be_hidden()
    page.get_by_label("Un taux précis (indiquez-le)").check()
    expect(question).to_be_visible()
    shot(page, "ux-below-floor")
