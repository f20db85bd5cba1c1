"""Late-payment interest as the law computes it: rates by half-year, floors, leap years, regimes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from webapp.domain.errors import ClaimError


def simple(principal: str, rate: str, days: int, year_days: int = 365) -> Decimal:
    """Principal × rate × days / days-in-year, rounded half-up to the cent."""
    value = Decimal(principal) * Decimal(rate) / 100 * days / year_days
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


GENERAL_TERMS = {"kind": "general_terms", "title": "Conditions générales acceptées"}


def one(claim_data, **invoice):
    claim_data["invoices"] = [{"number": "F-1", "issued": "2025-01-01", "amount": "1000.00", **invoice}]
    return claim_data


def test_contract_example_figures(run):
    from tests.conftest import EXAMPLES
    from webapp.domain.claim_file import parse_document

    data = parse_document((EXAMPLES / "b2b-acknowledged.yaml").read_text(encoding="utf-8"))
    a = run(data, "2026-11-23")
    acc = a.accounts[0]
    assert [str(x) for x in (a.amounts.principal, a.amounts.interest, a.amounts.indemnity, a.amounts.total)] == [
        "1015.78",
        "187.68",
        "40.00",
        "1243.46",
    ]
    assert acc.imputations[0].to_interest == Decimal("15.78")
    assert acc.imputations[0].to_principal == Decimal("184.22")
    assert acc.days_late(a.as_of) == 602
    # The 12 % clause holds only above 3 × the legal rate (art. L441-10 II C. com.); the 2026 S2
    # rate is not published, but 12 % is above 3 × every legal rate of the last published year
    # (2,76 % and 2,62 %), so the figure is final, as the contract's example says.
    assert a.amounts.provisional is False


def test_default_b2b_rate_changes_at_the_half_year(claim_data, run):
    """ECB on 1 January 2025 (3,15 %) + 10 until 30 June, ECB on 1 July 2025 (2,15 %) + 10 after."""
    a = run(one(claim_data, due="2025-06-20"), "2025-07-10")
    periods = a.accounts[0].periods
    assert [(p.rate, p.days) for p in periods] == [(Decimal("13.15"), 10), (Decimal("12.15"), 10)]
    assert a.amounts.interest == simple("1000", "13.15", 10) + simple("1000", "12.15", 10)
    assert a.amounts.interest == Decimal("6.93")


def test_ecb_rate_is_the_one_in_force_on_1_january_not_later_changes(claim_data, run):
    """2023 S1: the ECB rate on 1 January 2023 was 2,50 % (it rose on 8 February): 12,50 %."""
    a = run(one(claim_data, issued="2023-01-01", due="2023-01-31"), "2023-03-31")
    assert {p.rate for p in a.accounts[0].periods} == {Decimal("12.50")}


def test_leap_year_days_are_divided_by_366(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "20"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(one(claim_data, issued="2024-01-15", due="2024-02-27"), "2024-03-01")
    p = a.accounts[0].periods[0]
    assert (p.days, p.year_days) == (3, 366)
    assert a.amounts.interest == simple("1000", "20", 3, 366) == Decimal("1.64")


def test_period_across_new_year_splits_leap_and_common_years(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "20"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(one(claim_data, issued="2023-12-01", due="2023-12-30"), "2024-01-02")
    assert [(p.days, p.year_days) for p in a.accounts[0].periods] == [(1, 365), (2, 366)]


def test_contract_rate_below_three_times_legal_rate_is_raised(claim_data, run):
    """2024 S1: legal rate 5,07 % → floor 15,21 %; a 5 % clause is raised to it when the user
    chooses that reading (by default the lower reading is claimed: test_legal_review_2)."""
    claim_data["terms"] = {"late_penalty_rate": "5", "below_floor": "raise_to_floor"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(one(claim_data, issued="2024-01-01", due="2024-01-31"), "2024-03-01")
    p = a.accounts[0].periods[0]
    assert p.rate == Decimal("15.21")
    assert "relevé au plancher" in p.basis


def test_contract_rate_above_the_floor_is_kept(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(one(claim_data, due="2025-01-31"), "2025-03-01")
    assert a.accounts[0].periods[0].rate == Decimal("12")


def test_three_times_legal_keyword(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "three_times_legal"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(one(claim_data, due="2025-06-20"), "2025-07-10")
    assert [p.rate for p in a.accounts[0].periods] == [Decimal("11.13"), Decimal("8.28")]


def test_past_the_last_known_rate_the_figure_is_provisional(claim_data, run):
    a = run(one(claim_data, issued="2026-05-01", due="2026-05-31"), "2026-08-01")
    periods = a.accounts[0].periods
    assert [(p.rate, p.provisional) for p in periods] == [(Decimal("12.15"), False), (Decimal("12.15"), True)]
    assert a.amounts.provisional is True
    assert any("provisoire" in note for note in a.notes)


def test_known_rates_are_not_provisional(claim_data, run):
    a = run(one(claim_data, issued="2026-01-01", due="2026-01-31"), "2026-06-30")
    assert a.amounts.provisional is False


def test_b2b_indemnity_is_40_per_late_invoice(claim_data, run):
    claim_data["invoices"] = [
        {"number": "A", "issued": "2025-01-01", "due": "2025-01-31", "amount": "100.00"},
        {"number": "B", "issued": "2025-01-01", "due": "2025-01-31", "amount": "200.00"},
        {"number": "C", "issued": "2025-01-01", "due": "2025-12-31", "amount": "300.00"},
    ]
    a = run(claim_data, "2025-06-01")
    assert [acc.indemnity for acc in a.accounts] == [Decimal("40.00"), Decimal("40.00"), Decimal("0")]


def test_indemnity_waived_by_terms(claim_data, run):
    claim_data["terms"] = {"recovery_indemnity": False}
    assert run(claim_data, "2025-06-01").amounts.indemnity == 0


def test_consumer_owes_nothing_before_the_mise_en_demeure(claim_data, run):
    claim_data["debtor"] = {
        "name": "Paul Durand",
        "kind": "consumer",
        "address": {"line1": "1 rue B", "postcode": "33000", "city": "Bordeaux"},
    }
    claim_data["terms"] = {"recovery_indemnity": True}
    a = run(claim_data, "2025-06-01")
    assert (a.amounts.interest, a.amounts.indemnity) == (0, 0)
    assert any("L111-8" in note for note in a.notes)


def test_consumer_interest_at_the_professional_legal_rate_from_receipt(claim_data, run):
    claim_data["debtor"] = {
        "name": "Paul Durand",
        "kind": "consumer",
        "address": {"line1": "1 rue B", "postcode": "33000", "city": "Bordeaux"},
    }
    claim_data["history"] = {"formal_notice": {"sent": "2026-01-08", "received": "2026-01-10"}}
    a = run(claim_data, "2026-03-01")
    p = a.accounts[0].periods[0]
    assert (p.start.isoformat(), p.rate) == ("2026-01-11", Decimal("2.62"))
    assert a.amounts.interest == simple("1000", "2.62", 50)


def test_private_creditor_uses_the_higher_legal_rate(claim_data, run):
    claim_data["creditor"] = {
        "name": "Jean Martin",
        "kind": "individual",
        "address": {"line1": "1 rue A", "postcode": "75001", "city": "Paris"},
    }
    claim_data["debtor"]["kind"] = "consumer"
    claim_data["history"] = {"formal_notice": {"sent": "2026-01-10"}}
    a = run(claim_data, "2026-03-01")
    assert a.accounts[0].periods[0].rate == Decimal("6.67")
    assert a.amounts.indemnity == 0


def test_public_body_rate_is_fixed_at_the_semester_interest_starts(claim_data, run):
    """Interest starting in 2025 S1: ECB on 1 January 2025 (3,15 %) + 8 = 11,15 %, kept after 1 July."""
    claim_data["debtor"] = {
        "name": "Commune de X",
        "kind": "public_body",
        "address": {"line1": "Mairie", "postcode": "87000", "city": "Limoges"},
    }
    a = run(one(claim_data, due="2025-06-20"), "2025-07-10")
    assert {p.rate for p in a.accounts[0].periods} == {Decimal("11.15")}
    assert a.amounts.indemnity == Decimal("40.00")


def test_interest_stops_at_the_opening_judgment(claim_data, run):
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2025-03-02"}
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(claim_data, "2025-12-31")
    assert a.accounts[0].periods[-1].end.isoformat() == "2025-03-01"  # eve of the judgment (R621-4)
    assert a.amounts.interest == simple("1000", "12", 29)


def test_invoice_born_after_the_opening_keeps_bearing_interest(claim_data, run):
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2025-03-02"}
    claim_data["invoices"].append({"number": "POST", "issued": "2025-04-01", "due": "2025-04-30", "amount": "1000.00"})
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    a = run(claim_data, "2025-05-30")
    assert a.accounts[1].interest == simple("1000", "12", 30)


def test_notice_before_the_due_date_does_not_make_interest_run(claim_data, run):
    claim_data["debtor"] = {
        "name": "Paul Durand",
        "kind": "consumer",
        "address": {"line1": "1 rue B", "postcode": "33000", "city": "Bordeaux"},
    }
    claim_data["invoices"].append({"number": "LATE", "issued": "2026-05-01", "due": "2026-05-31", "amount": "500.00"})
    claim_data["history"] = {"formal_notice": {"sent": "2026-03-01", "received": "2026-03-03"}}
    a = run(claim_data, "2026-07-01")
    assert a.accounts[0].interest > 0 and a.accounts[1].interest == 0


def test_public_body_due_date_counts_from_presumed_receipt(claim_data, run):
    claim_data["debtor"] = {
        "name": "Commune de X",
        "kind": "public_body",
        "address": {"line1": "Mairie", "postcode": "87000", "city": "Limoges"},
    }
    claim_data["invoices"] = [{"number": "F-1", "issued": "2026-04-30", "amount": "1000.00"}]
    acc = run(claim_data, "2026-07-01").accounts[0]
    assert acc.due.isoformat() == "2026-06-01" and "R2192-12" in acc.due_reason


def test_events_after_the_as_of_date_are_ignored(claim_data, run):
    claim_data["history"] = {"acknowledgments": [{"date": "2027-06-01"}], "formal_notice": {"sent": "2026-01-10"}}
    claim_data["debtor"]["proceedings"] = {"kind": "liquidation", "opened": "2026-06-01"}
    a = run(claim_data, "2025-06-01")
    assert a.prescriptions["F-1"].limit.isoformat() == "2030-01-01"
    assert a.claim.history.formal_notice is None and a.claim.debtor.proceedings.kind == "none"


def test_assigned_payment_settles_interest_first(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    claim_data["payments"] = [{"date": "2025-03-02", "amount": "500.00", "invoice": "F-1"}]
    a = run(claim_data, "2025-03-02")
    interest = simple("1000", "12", 30)
    acc = a.accounts[0]
    assert acc.imputations[0].to_interest == interest
    assert acc.principal == Decimal("1000") - (Decimal("500") - interest)
    assert acc.interest == 0


def test_unassigned_payment_goes_to_the_debt_due_first(claim_data, run):
    claim_data["invoices"] = [
        {"number": "LATER", "issued": "2025-01-01", "due": "2025-03-31", "amount": "300.00"},
        {"number": "OLDER", "issued": "2025-01-01", "due": "2025-01-31", "amount": "300.00"},
    ]
    claim_data["terms"] = {"recovery_indemnity": False}
    claim_data["payments"] = [{"date": "2025-01-31", "amount": "400.00"}]
    a = run(claim_data, "2025-01-31")
    later, older = a.accounts
    assert older.principal == 0 and later.principal == Decimal("200.00")


def test_unassigned_payment_between_equal_debts_is_proportional(claim_data, run):
    claim_data["invoices"] = [
        {"number": "A", "issued": "2025-01-01", "due": "2025-01-31", "amount": "100.00"},
        {"number": "B", "issued": "2025-01-01", "due": "2025-01-31", "amount": "300.00"},
    ]
    claim_data["payments"] = [{"date": "2025-01-31", "amount": "100.00"}]
    a = run(claim_data, "2025-01-31")
    assert [acc.principal for acc in a.accounts] == [Decimal("75.00"), Decimal("225.00")]


def test_payment_exceeding_what_it_pays_is_a_claim_error(claim_data, run):
    claim_data["payments"] = [{"date": "2025-01-15", "amount": "1000.01", "invoice": "F-1"}]
    with pytest.raises(ClaimError) as info:
        run(claim_data, "2025-06-01")
    assert "payments[0].amount" in dict(info.value.problems)


def test_full_payment_after_due_date_leaves_the_indemnity(claim_data, run):
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [GENERAL_TERMS]  # a rate the debtor accepted in writing
    owed = Decimal("1000") + simple("1000", "12", 10)
    claim_data["payments"] = [{"date": "2025-02-10", "amount": str(owed), "invoice": "F-1"}]
    a = run(claim_data, "2025-06-01")
    assert (a.amounts.principal, a.amounts.interest, a.amounts.total) == (0, 0, Decimal("40.00"))


def test_missing_due_date_uses_30_days_after_performance_between_professionals(claim_data, run):
    a = run(one(claim_data, issued="2025-01-10", performed="2025-01-05"), "2025-03-01")
    acc = a.accounts[0]
    assert acc.due.isoformat() == "2025-02-04"
    assert "L441-10" in acc.due_reason


def test_proportional_split_never_loses_a_cent(claim_data, run):
    claim_data["invoices"] = [
        {"number": n, "issued": "2025-01-01", "due": "2025-01-31", "amount": "0.01"} for n in ("A", "B", "C")
    ]
    claim_data["payments"] = [{"date": "2025-01-31", "amount": "0.02"}]
    a = run(claim_data, "2025-01-31")
    assert sum(acc.paid for acc in a.accounts) == Decimal("0.02")
    assert sorted(acc.principal for acc in a.accounts) == [Decimal("0"), Decimal("0"), Decimal("0.01")]


def test_no_indemnity_for_an_invoice_not_yet_due_at_the_opening_judgment(claim_data, run):
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2025-01-20"}
    a = run(claim_data, "2025-06-01")  # F-1 due 2025-01-31, after the judgment
    assert a.amounts.indemnity == 0 and a.amounts.interest == 0


def test_a_single_source_value_says_so(claim_data, run):
    claim_data["debtor"] = {
        "name": "Commune de X",
        "kind": "public_body",
        "address": {"line1": "Mairie", "postcode": "87000", "city": "Limoges"},
    }
    a = run(claim_data, "2025-06-01")
    assert "à confirmer" in a.accounts[0].indemnity_reason
    assert any("D2192-35" in note and "à confirmer" in note for note in a.notes)
