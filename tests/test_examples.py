"""The sample claims of examples/: each assesses, and together they cover every route."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import EXAMPLES
from webapp.domain.assessment import assess
from webapp.domain.claim_file import load_claim
from webapp.domain.procedures import ROUTE_IDS
from webapp.domain.report import to_json

ON = date(2026, 11, 23)
EXPECTED = {
    "b2b-acknowledged.yaml": ("injonction-de-payer", "tribunal des activités économiques"),
    "b2b-first-reminder.yaml": ("relance", "tribunal de commerce"),
    # Two reminders of the plan's three are done: the third comes before the mise en demeure.
    "b2b-reminded.yaml": ("relance", "tribunal des activités économiques"),
    "consumer-negotiation.yaml": ("procedure-simplifiee", "tribunal judiciaire"),
    "b2b-contested.yaml": ("assignation-au-fond", "tribunal des activités économiques"),
    "debtor-liquidation.yaml": ("declaration-de-creance", "tribunal de commerce"),
    "debtor-germany.yaml": ("injonction-de-payer-europeenne", None),
    "public-body.yaml": ("refere-provision", None),
    "consumer-prescribed.yaml": (None, "tribunal judiciaire"),
    "alsace-artisan.yaml": ("injonction-de-payer", "tribunal judiciaire"),
    # A signed échéancier kept so far: the injonction only after a missed instalment.
    "b2b-payment-plan.yaml": ("injonction-de-payer", "tribunal judiciaire"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_next_step_and_court(library, name):
    a = assess(load_claim(EXAMPLES / name), library, ON)
    assert (a.next_step.route_id, a.court.kind) == EXPECTED[name]
    assert a.next_step.reasons


def test_examples_cover_every_route(library):
    open_routes = set()
    for path in EXAMPLES.glob("*.yaml"):
        a = assess(load_claim(path), library, ON)
        open_routes |= {r.route.id for r in a.routes if r.eligible}
        open_routes.add(a.next_step.route_id)
    assert set(ROUTE_IDS) <= open_routes
    assert len(list(EXAMPLES.glob("*.yaml"))) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_totals_add_up(library, name):
    a = assess(load_claim(EXAMPLES / name), library, ON)
    data = to_json(a)
    for inv in data["invoices"]:
        accrued = sum(float(p["interest"]) for p in inv["periods"])
        assert round(accrued, 2) >= float(inv["interest"])
    assert a.amounts.total == a.amounts.principal + a.amounts.interest + a.amounts.indemnity
    assert a.amounts.principal == sum(acc.principal for acc in a.accounts)
