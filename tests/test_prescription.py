"""Prescription per invoice: periods, starting point, what restarts it and what does not."""

from __future__ import annotations

import pytest


def consumer(claim_data):
    claim_data["debtor"] = {
        "name": "Paul Durand",
        "kind": "consumer",
        "address": {"line1": "1 rue B", "postcode": "33000", "city": "Bordeaux"},
    }
    return claim_data


@pytest.mark.parametrize(
    ("on", "prescribed"),
    [("2030-01-04", False), ("2030-01-05", False), ("2030-01-06", True)],
)
def test_five_years_from_performance_between_professionals(claim_data, run, on, prescribed):
    claim_data["invoices"][0].update(issued="2025-01-10", performed="2025-01-05", due="2025-02-09")
    p = run(claim_data, on).prescriptions["F-1"]
    assert p.limit.isoformat() == "2030-01-05"
    assert p.prescribed is prescribed


def test_two_years_against_a_consumer(claim_data, run):
    consumer(claim_data)
    claim_data["invoices"][0].update(issued="2025-01-10", performed="2025-01-05")
    a = run(claim_data, "2027-01-06")
    assert a.prescriptions["F-1"].limit.isoformat() == "2027-01-05"
    assert a.prescription.prescribed is True
    assert a.next_step.route_id is None


def test_leap_day_start_ends_on_28_february(claim_data, run):
    consumer(claim_data)
    claim_data["invoices"][0].update(issued="2024-02-29", due="2024-03-30")
    assert run(claim_data, "2026-01-01").prescriptions["F-1"].limit.isoformat() == "2026-02-28"


def test_acknowledgment_restarts_the_period(claim_data, run):
    claim_data["history"] = {"acknowledgments": [{"date": "2027-06-02", "invoices": ["F-1"]}]}
    p = run(claim_data, "2030-06-01").prescriptions["F-1"]
    assert p.limit.isoformat() == "2032-06-02" and not p.prescribed


def test_acknowledgment_of_another_invoice_does_not_restart(claim_data, run):
    claim_data["invoices"].append({"number": "F-2", "issued": "2025-01-01", "amount": "10.00"})
    claim_data["history"] = {"acknowledgments": [{"date": "2027-06-02", "invoices": ["F-2"]}]}
    assert run(claim_data, "2028-01-01").prescriptions["F-1"].limit.isoformat() == "2030-01-01"


def test_partial_payment_restarts_the_period(claim_data, run):
    consumer(claim_data)
    claim_data["payments"] = [{"date": "2026-03-01", "amount": "100.00", "invoice": "F-1"}]
    assert run(claim_data, "2026-06-01").prescriptions["F-1"].limit.isoformat() == "2028-03-01"


def test_mise_en_demeure_does_not_restart(claim_data, run):
    consumer(claim_data)
    claim_data["history"] = {"formal_notice": {"sent": "2026-06-01", "received": "2026-06-03"}}
    p = run(claim_data, "2026-06-10").prescriptions["F-1"]
    assert p.limit.isoformat() == "2027-01-01"
    assert "n'interrompt pas" in p.basis


def test_acknowledgment_after_expiry_does_not_revive(claim_data, run):
    consumer(claim_data)
    claim_data["history"] = {"acknowledgments": [{"date": "2027-03-01"}]}
    p = run(claim_data, "2027-06-01").prescriptions["F-1"]
    assert p.prescribed and p.limit.isoformat() == "2027-01-01"


def test_claim_prescription_is_the_earliest_unpaid_limit(claim_data, run):
    claim_data["invoices"] = [
        {"number": "OLD", "issued": "2021-01-01", "amount": "10.00"},
        {"number": "NEW", "issued": "2024-01-01", "amount": "10.00"},
    ]
    a = run(claim_data, "2026-06-01")
    assert a.prescription.limit.isoformat() == "2026-01-01"
    assert a.prescription.prescribed is False
    assert "OLD" in a.prescription.basis


def test_public_body_quadriennale_counts_from_1_january_and_written_claims_interrupt(claim_data, run):
    claim_data["debtor"] = {
        "name": "Commune",
        "kind": "public_body",
        "address": {"line1": "Mairie", "postcode": "87000", "city": "Limoges"},
    }
    claim_data["invoices"][0].update(issued="2021-05-01")
    assert run(claim_data, "2025-12-31").prescriptions["F-1"].limit.isoformat() == "2025-12-31"
    claim_data["history"] = {"reminders": [{"date": "2023-02-01", "channel": "letter"}]}
    assert run(claim_data, "2026-01-01").prescriptions["F-1"].limit.isoformat() == "2027-12-31"
