"""Which routes are open, the competent court and the recommended next step."""

from __future__ import annotations

import pytest

from webapp.domain.court import TAE, TC, TJ


def eligible(a) -> set[str]:
    return {r.route.id for r in a.routes if r.eligible}


def after_notice(claim_data):
    claim_data["history"] = {"formal_notice": {"sent": "2025-03-01", "received": "2025-03-03"}}
    return claim_data


def consumer_claim(claim_data, amount):
    claim_data["debtor"] = {
        "name": "Paul Durand",
        "kind": "consumer",
        "address": {"line1": "1 rue B", "postcode": "33000", "city": "Bordeaux"},
    }
    claim_data["invoices"][0]["amount"] = amount
    claim_data["evidence"] = [{"kind": "signed_quote", "title": "Devis signé"}]
    return claim_data


@pytest.mark.parametrize(("amount", "open_"), [("5000.00", True), ("5000.01", False)])
def test_procedure_simplifiee_threshold_at_5000(claim_data, run, amount, open_):
    a = run(consumer_claim(claim_data, amount), "2025-06-01")  # no interest without notice
    assert a.amounts.principal + a.amounts.interest == __import__("decimal").Decimal(amount)
    assert ("procedure-simplifiee" in eligible(a)) is open_


def test_threshold_counts_interest_but_not_the_indemnity(claim_data, run):
    claim_data["invoices"][0]["amount"] = "4990.00"
    a = run(claim_data, "2025-06-01")
    assert a.amounts.interest > 10 and a.amounts.indemnity == 40
    assert "procedure-simplifiee" not in eligible(a)
    claim_data["invoices"][0]["amount"] = "4800.00"
    b = run(claim_data, "2025-02-15")
    assert b.amounts.principal + b.amounts.interest < 5000 < b.amounts.total + 200
    assert "procedure-simplifiee" in eligible(b)


@pytest.mark.parametrize(("on", "open_"), [("2019-12-31", False), ("2020-01-01", True)])
def test_threshold_was_4000_until_2019(claim_data, run, on, open_):
    claim_data = consumer_claim(claim_data, "4500.00")
    claim_data["invoices"][0].update(issued="2019-10-01", due="2019-10-31")
    assert ("procedure-simplifiee" in eligible(run(claim_data, on))) is open_


def test_escalation_relance_then_mise_en_demeure_then_injonction(claim_data, run):
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    assert run(claim_data, "2025-03-01").next_step.route_id == "relance"
    # One reminder done: the plan's second reminder comes next, not the mise en demeure.
    claim_data["history"] = {"reminders": [{"date": "2025-02-10", "channel": "email"}]}
    assert run(claim_data, "2025-03-01").next_step.route_id == "relance"
    claim_data["history"]["reminders"] += [
        {"date": "2025-02-11", "channel": "email"},
        {"date": "2025-02-20", "channel": "email"},
    ]
    assert run(claim_data, "2025-03-01").next_step.route_id == "mise-en-demeure"
    after_notice(claim_data)
    a = run(claim_data, "2025-04-01")
    assert a.next_step.route_id == "injonction-de-payer"
    assert any("procédure simplifiée" in r for r in a.next_step.reasons)


def test_negotiation_margin_makes_procedure_simplifiee_the_next_step(claim_data, run):
    after_notice(claim_data)
    claim_data["negotiation"] = {"max_instalments": 4}
    assert run(claim_data, "2025-04-01").next_step.route_id == "procedure-simplifiee"


def test_nothing_to_do_before_the_due_date(claim_data, run):
    a = run(claim_data, "2025-01-31")
    assert a.checks["due"].ok is False and a.next_step.route_id is None
    assert "injonction-de-payer" not in eligible(a)


def test_contested_claim_goes_to_the_merits_with_amicable_attempt_at_tj(claim_data, run):
    after_notice(claim_data)
    claim_data["debtor"]["legal_form"] = "SCI"
    claim_data["dispute"] = {"contested": True, "details": "travaux mal faits"}
    a = run(claim_data, "2025-04-01")
    assert a.checks["certain"].ok is False
    assert "injonction-de-payer" not in eligible(a) and "refere-provision" not in eligible(a)
    assert a.next_step.route_id == "assignation-au-fond"
    assert a.court.kind == TJ
    assert any("750-1" in r for r in a.next_step.reasons)


def test_invoice_alone_against_non_merchant_above_1500_is_not_proven(claim_data, run):
    claim_data = consumer_claim(claim_data, "1500.01")
    claim_data.pop("evidence")
    after_notice(claim_data)
    a = run(claim_data, "2025-04-01")
    assert a.checks["certain"].ok is False
    assert any("1359" in r for r in a.checks["certain"].reasons)
    assert a.next_step.route_id == "assignation-au-fond"
    claim_data["invoices"][0]["amount"] = "1500.00"
    assert run(claim_data, "2025-04-01").checks["certain"].ok is True


def test_invoice_alone_is_weak_but_admitted_against_a_merchant(claim_data, run):
    claim_data["invoices"][0]["amount"] = "9000.00"
    check = run(claim_data, "2025-04-01").checks["certain"]
    assert check.ok is True
    assert any("preuve faible" in r for r in check.reasons)
    assert any("L110-3" in r for r in check.reasons)


def test_collective_proceedings_leave_only_the_declaration(claim_data, run):
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2025-03-01", "published": "2025-03-10"}
    a = run(claim_data, "2025-04-01")
    assert eligible(a) == {"declaration-de-creance"}
    assert a.next_step.route_id == "declaration-de-creance"


def test_invoice_born_after_opening_is_not_declared(claim_data, run):
    claim_data["debtor"]["proceedings"] = {"kind": "sauvegarde", "opened": "2024-12-01"}
    a = run(claim_data, "2025-04-01")
    assert "declaration-de-creance" not in eligible(a)
    assert a.next_step.route_id is None


@pytest.mark.parametrize(("country", "route"), [("DE", "injonction-de-payer-europeenne"), ("DK", None), ("CH", None)])
def test_debtor_abroad(claim_data, run, country, route):
    after_notice(claim_data)
    claim_data["debtor"]["address"] = {"line1": "Strasse 1", "postcode": "1000", "city": "X", "country": country}
    a = run(claim_data, "2025-04-01")
    assert a.court.kind is None
    assert a.next_step.route_id == route
    assert "injonction-de-payer" not in eligible(a)


def test_public_body_goes_to_the_administrative_judge(claim_data, run):
    after_notice(claim_data)
    claim_data["debtor"] = {
        "name": "Commune",
        "kind": "public_body",
        "address": {"line1": "Mairie", "postcode": "87000", "city": "Limoges"},
    }
    a = run(claim_data, "2025-04-01")
    assert a.court.kind is None
    assert "injonction-de-payer" not in eligible(a)
    assert a.next_step.route_id == "refere-provision"


@pytest.mark.parametrize(
    ("debtor", "on", "kind"),
    [
        ({"kind": "company", "legal_form": "SAS", "city": "Lyon", "postcode": "69002"}, "2026-01-01", TAE),
        (
            {"kind": "company", "legal_form": "SAS", "city": "LYON 3E ARRONDISSEMENT", "postcode": "69003"},
            "2026-01-01",
            TAE,
        ),
        ({"kind": "company", "legal_form": "SAS", "city": "Lyon", "postcode": "69002"}, "2024-12-31", TC),
        ({"kind": "company", "legal_form": "SAS", "city": "Lyon", "postcode": "69002"}, "2029-01-01", TC),
        ({"kind": "company", "legal_form": "SAS", "city": "Courbevoie", "postcode": "92400"}, "2026-01-01", TAE),
        ({"kind": "company", "legal_form": "SARL", "city": "St-Brieuc", "postcode": "22000"}, "2026-01-01", TAE),
        ({"kind": "company", "legal_form": "SAS", "city": "Bordeaux", "postcode": "33000"}, "2026-01-01", TC),
        ({"kind": "company", "legal_form": "SAS", "city": "Strasbourg", "postcode": "67000"}, "2026-01-01", TJ),
        ({"kind": "sole_trader", "activity": "artisanal", "city": "Metz", "postcode": "57000"}, "2026-01-01", TJ),
        ({"kind": "sole_trader", "activity": "artisanal", "city": "Tours", "postcode": "37000"}, "2026-01-01", TC),
        ({"kind": "sole_trader", "activity": "liberal", "city": "Paris", "postcode": "75008"}, "2026-01-01", TJ),
        ({"kind": "company", "legal_form": "SCI", "city": "Paris", "postcode": "75008"}, "2026-01-01", TJ),
        (
            {"kind": "company", "legal_form": "SAS", "activity": "civil", "city": "Bordeaux", "postcode": "33000"},
            "2026-01-01",
            TC,
        ),
        ({"kind": "company", "legal_form": "SELARL", "city": "Bordeaux", "postcode": "33000"}, "2026-01-01", TJ),
        ({"kind": "association", "city": "Lyon", "postcode": "69002"}, "2026-01-01", TJ),
        ({"kind": "consumer", "city": "Lyon", "postcode": "69002"}, "2026-01-01", TJ),
    ],
)
def test_competent_court_for_injonction_de_payer(claim_data, run, debtor, on, kind):
    city, postcode = debtor.pop("city"), debtor.pop("postcode")
    claim_data["debtor"] = {
        "name": "Débiteur",
        **debtor,
        "address": {"line1": "1 rue", "postcode": postcode, "city": city},
    }
    court = run(claim_data, on).court
    assert court.kind == kind
    assert any("1406" in r for r in court.reasons)


def test_sole_trader_without_activity_is_flagged(claim_data, run):
    claim_data["debtor"] = {
        "name": "X",
        "kind": "sole_trader",
        "address": {"line1": "1 rue", "postcode": "33000", "city": "Bordeaux"},
    }
    court = run(claim_data, "2026-01-01").court
    assert court.kind == TJ and "n'est pas précisée" in court.reasons[0]


def test_every_route_is_listed_with_reasons(claim_data, run, library):
    a = run(claim_data, "2025-04-01")
    assert [r.route.id for r in a.routes] == [r.id for r in library.routes]
    assert all(r.reasons for r in a.routes)


def test_near_prescription_skips_the_reminder(claim_data, run):
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    a = run(claim_data, "2029-11-01")  # limit 2030-01-01, no reminder sent yet
    assert a.next_step.route_id == "injonction-de-payer"
    assert "prescription approche" in a.next_step.reasons[0]


def test_partly_prescribed_claim_shows_the_next_living_limit(claim_data, run):
    claim_data["invoices"] = [
        {"number": "OLD", "issued": "2021-01-01", "amount": "10.00"},
        {"number": "NEW", "issued": "2024-01-01", "amount": "10.00"},
    ]
    p = run(claim_data, "2026-06-01").prescription
    assert (p.limit.isoformat(), p.open_limit.isoformat(), p.barred) == ("2026-01-01", "2029-01-01", ("OLD",))


def test_consumer_court_reason_speaks_of_a_private_person(claim_data, run):
    claim_data["debtor"] = {
        "name": "Paul",
        "kind": "consumer",
        "address": {"line1": "1 rue", "postcode": "33000", "city": "Bordeaux"},
    }
    court = run(claim_data, "2026-01-01").court
    assert court.kind == TJ and "particulier" in court.reasons[0] and "commerce" not in court.reasons[0]


def test_every_declared_check_has_an_implementation():
    from webapp.domain.procedures import CHECKS
    from webapp.domain.routes import CHECK_FUNCTIONS

    assert set(CHECKS) == set(CHECK_FUNCTIONS)
