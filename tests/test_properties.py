"""Property tests: any valid claim is assessed without error, and its figures add up."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.config import procedures_dir
from webapp.domain.assessment import assess
from webapp.domain.claim_file import claim_from_data
from webapp.domain.procedures import load_library
from webapp.domain.report import to_json

LIBRARY = load_library(procedures_dir())

ADDRESS = {"line1": "1 rue A", "postcode": "33000", "city": "Bordeaux"}
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 6, 1))
cents = st.integers(min_value=1, max_value=2_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def claims(draw):
    n = draw(st.integers(min_value=1, max_value=4))
    invoices, payments = [], []
    assigned = draw(st.booleans())  # all payments name their invoice, or none does
    for i in range(n):
        issued = draw(days)
        inv = {"number": f"F-{i}", "issued": issued.isoformat(), "amount": str(draw(cents))}
        if draw(st.booleans()):
            inv["due"] = (issued + timedelta(days=draw(st.integers(0, 90)))).isoformat()
        if draw(st.booleans()):
            inv["performed"] = (issued - timedelta(days=draw(st.integers(0, 30)))).isoformat()
        invoices.append(inv)
        if draw(st.booleans()):
            part = (Decimal(inv["amount"]) / 2).quantize(Decimal("0.01"))
            if part > 0:
                when = issued + timedelta(days=draw(st.integers(0, 400)))
                payments.append(
                    {"date": when.isoformat(), "amount": str(part), **({"invoice": inv["number"]} if assigned else {})}
                )
    debtor_kind = draw(st.sampled_from(["company", "sole_trader", "association", "consumer", "public_body"]))
    data = {
        "creditor": {
            "name": "C",
            "kind": draw(st.sampled_from(["company", "association", "individual"])),
            "siren": "732829320",
            "address": ADDRESS,
        },
        "debtor": {"name": "D", "kind": debtor_kind, "address": ADDRESS},
        "invoices": invoices,
        "payments": payments,
        "terms": {"late_penalty_rate": draw(st.sampled_from([None, "ecb_plus_10", "three_times_legal", "4", "15"]))},
        "dispute": {"contested": draw(st.booleans())},
    }
    if draw(st.booleans()):
        data["history"] = {"formal_notice": {"sent": draw(days).isoformat()}}
    return data


@settings(max_examples=300, deadline=None)
@given(data=claims(), on=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)))
def test_any_valid_claim_is_assessed_and_adds_up(data, on):
    claim = claim_from_data(data)
    a = assess(claim, LIBRARY, on)
    m = a.amounts
    assert m.total == m.principal + m.interest + m.indemnity
    assert m.principal == sum(acc.principal for acc in a.accounts)
    assert m.interest >= 0 and m.indemnity >= 0
    for acc in a.accounts:
        assert 0 <= acc.principal <= acc.invoice.amount
        assert acc.interest >= 0
    paid = sum((Decimal(p["amount"]) for p in data["payments"] if date.fromisoformat(p["date"]) <= on), Decimal(0))
    assert sum(x.paid for x in a.accounts) == paid
    if claim.debtor.kind == "consumer" or (claim.creditor.kind == "individual" and claim.debtor.kind != "public_body"):
        assert m.indemnity == 0
    assert len(a.routes) == 8 and all(r.reasons for r in a.routes)
    json.dumps(to_json(a))


def test_the_parameter_memo_stays_bounded_whatever_the_claims():
    """Memo keys come partly from claims (contractual rates): a server must not grow it forever."""
    from webapp.domain.parameters import Memo

    memo = Memo(limit=3)
    for rate in range(10):
        memo[("rate", rate)] = rate
    assert len(memo) <= 3 and memo[("rate", 9)] == 9
