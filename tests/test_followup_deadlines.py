"""Délais counted as art. 640-642 CPC count them, and the dated deadlines of a claim.

Edges: end of month and leap years (art. 641 al. 2), weekends and 11 November
(art. 642), Alsace-Moselle's two extra holidays, the switch of art. 1411 CPC from 6 to 3
months for ordonnances rendered from 1 September 2026 (décret n° 2026-96).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import LYON
from webapp.domain.claim import Address
from webapp.domain.deadlines import end_of_days, end_of_months, long_date, next_working_day, subdivision

STRASBOURG = Address("1 place Kléber", "67000", "Strasbourg")
METZ = Address("1 place d'Armes", "57000", "Metz")
PARIS = Address("1 rue de Rivoli", "75001", "Paris")
POINTE_A_PITRE = Address("1 rue Frébault", "97110", "Pointe-à-Pitre")


def by_id(a, ident):
    return [d for d in a.deadlines if d.id == ident]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 1, 31), 1, date(2027, 3, 1)),  # 28 Feb 2027 is a Sunday: Monday 1 March (art. 642)
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year: the last day of February, a Tuesday
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # a shorter month ends on its last day (art. 641 al. 2)
        (date(2026, 10, 15), 1, date(2026, 11, 16)),  # 15 November 2026 is a Sunday
        (date(2027, 11, 29), 3, date(2028, 2, 29)),  # three months into a leap February
    ],
)
def test_months_end_on_the_same_date_or_the_last_day_of_a_shorter_month(start, months, end):
    assert end_of_months(start, months, None) == end


def test_the_day_of_the_act_is_not_counted_and_a_saturday_moves_to_monday():
    assert end_of_days(date(2026, 11, 30), 8, None) == date(2026, 12, 8)  # art. 641 al. 1
    assert end_of_days(date(2026, 11, 27), 8, None) == date(2026, 12, 7)  # 5 December is a Saturday


def test_11_november_is_a_public_holiday():
    assert end_of_days(date(2026, 11, 3), 8, None) == date(2026, 11, 12)


@pytest.mark.parametrize("address", [STRASBOURG, METZ])
def test_good_friday_and_26_december_are_holidays_in_alsace_moselle_only(address):
    local = subdivision(address)
    # Good Friday 2027 is 26 March: elsewhere a working day.
    assert next_working_day(date(2027, 3, 26), None) == date(2027, 3, 26)
    assert next_working_day(date(2027, 3, 26), local) == date(2027, 3, 30)  # then the weekend and Easter Monday
    # 26 December 2025 was a Friday.
    assert next_working_day(date(2025, 12, 26), None) == date(2025, 12, 26)
    assert next_working_day(date(2025, 12, 26), local) == date(2025, 12, 29)


def test_subdivisions_of_the_holidays_calendar():
    assert subdivision(STRASBOURG) == "6AE"
    assert subdivision(METZ) == "57"
    assert subdivision(PARIS) is None
    assert subdivision(POINTE_A_PITRE) == "971"
    assert subdivision(Address("Strasse 1", "10115", "Berlin", "DE")) is None


def test_long_date_writes_the_first_of_the_month_as_1er():
    assert long_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert long_date(date(2026, 12, 8)) == "8 décembre 2026"


def order_claim(claim_data, **order):
    claim_data["invoices"][0].update(issued="2026-03-01", due="2026-03-31")
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    claim_data["history"] = {
        "formal_notice": {"sent": "2026-04-15", "received": "2026-04-17"},
        "order": {"filed": "2026-05-04", **order},
    }
    return claim_data


@pytest.mark.parametrize(
    ("rendered", "last_day"),
    [
        ("2026-08-31", "2027-03-01"),  # before the switch: 6 months, 28 Feb 2027 a Sunday
        ("2026-09-01", "2026-12-01"),  # from 1 September 2026: 3 months
    ],
)
def test_ordonnance_must_be_served_within_6_months_then_3_from_1_september_2026(claim_data, run, rendered, last_day):
    a = run(order_claim(claim_data, rendered=rendered, outcome="granted"), "2026-09-10")
    (service,) = by_id(a, "order_service")
    assert service.date.isoformat() == last_day and not service.passed
    assert "1411" in service.basis and "décret n° 2026-96" in service.basis
    assert a.next_step.route_id == "injonction-de-payer"
    assert "commissaire de justice" in a.next_step.reasons[0] and long_date(service.date) in a.next_step.reasons[0]


def test_ordonnance_not_served_in_time_is_void_and_a_new_requete_is_needed(claim_data, run):
    a = run(order_claim(claim_data, rendered="2026-09-01", outcome="granted"), "2026-12-02")
    (service,) = by_id(a, "order_service")
    assert service.passed
    assert a.next_step.route_id == "injonction-de-payer"
    assert "non avenue" in a.next_step.reasons[0] and "nouvelle requête" in a.next_step.reasons[0]


def test_opposition_runs_one_month_from_service_in_person_then_the_ordonnance_is_enforceable(claim_data, run):
    claim_data = order_claim(
        claim_data, rendered="2026-09-15", outcome="granted", served="2026-10-05", served_in_person=True
    )
    a = run(claim_data, "2026-10-20")
    (opposition,) = by_id(a, "opposition")
    assert opposition.date == date(2026, 11, 5)
    (enforceable,) = by_id(a, "order_enforceable")
    assert enforceable.date == date(2026, 11, 6) and not enforceable.passed
    assert not by_id(a, "order_service")  # served: that deadline is met
    assert a.next_step_from == date(2026, 11, 6)
    assert a.next_step.reasons[0].startswith("Attendez le 6 novembre 2026 : le débiteur peut former opposition")
    later = run(claim_data, "2026-11-06")
    assert later.next_step_from is None and "exécutoire" in later.next_step.reasons[0]


def test_service_not_in_person_gives_no_opposition_date_but_says_when_it_runs(claim_data, run):
    claim_data = order_claim(
        claim_data, rendered="2026-09-15", outcome="granted", served="2026-10-05", served_in_person=False
    )
    a = run(claim_data, "2026-10-20")
    assert not by_id(a, "opposition")
    assert "premier acte qui lui sera signifié à personne" in a.next_step.reasons[0]


def test_opposition_lodged_sends_the_case_to_a_hearing(claim_data, run):
    claim_data = order_claim(
        claim_data,
        rendered="2026-09-15",
        outcome="granted",
        served="2026-10-05",
        served_in_person=True,
        opposition="2026-10-19",
    )
    a = run(claim_data, "2026-10-20")
    assert a.next_step.route_id is None and "audience" in a.next_step.reasons[0]
    assert not by_id(a, "order_enforceable")


def test_rejected_requete_leaves_the_action_on_the_merits(claim_data, run):
    a = run(order_claim(claim_data, rendered="2026-05-20", outcome="rejected"), "2026-06-01")
    assert a.next_step.route_id == "assignation-au-fond"
    assert "1409" in a.next_step.reasons[0]


def test_waiting_for_the_judge_advises_nothing_and_stops_the_reminders(claim_data, run):
    a = run(order_claim(claim_data), "2026-05-10")
    assert a.next_step.route_id is None and "attendez la décision du juge" in a.next_step.reasons[0]
    assert a.reminders.stopped == "order"


def test_claim_declaration_two_months_from_bodacc_doubled_for_a_creditor_abroad(claim_data, run):
    claim_data["debtor"]["address"] = dict(LYON)
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2026-02-10", "published": "2026-02-28"}
    a = run(claim_data, "2026-03-10")
    (declaration,) = by_id(a, "claim_declaration")
    assert declaration.date == date(2026, 4, 28) and "R622-24" in declaration.basis
    assert a.reminders.stopped == "proceedings"
    claim_data["creditor"]["address"] = {"line1": "Strasse 1", "postcode": "10115", "city": "Berlin", "country": "DE"}
    claim_data["creditor"].pop("siren")
    claim_data["creditor"]["kind"] = "association"
    (doubled,) = by_id(run(claim_data, "2026-03-10"), "claim_declaration")
    assert doubled.date == date(2026, 6, 29)  # 28 June 2026 is a Sunday


def test_deadlines_are_sorted_and_one_prescription_per_unpaid_invoice(claim_data, run):
    claim_data["invoices"].append({"number": "F-2", "issued": "2025-02-01", "due": "2025-03-01", "amount": "50.00"})
    claim_data["payments"] = [{"date": "2025-02-15", "amount": "50.00", "invoice": "F-2"}]  # paid on time
    claim_data["history"] = {"formal_notice": {"sent": "2025-03-01", "received": "2025-03-03"}}
    a = run(claim_data, "2025-03-05")
    assert [d.date for d in a.deadlines] == sorted(d.date for d in a.deadlines)
    assert [(d.id, d.invoice) for d in by_id(a, "prescription")] == [("prescription", "F-1")]
    assert [d.id for d in a.deadlines] == ["formal_notice_expiry", "prescription"]
