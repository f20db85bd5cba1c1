"""The portfolio (``dument portfolio``): totals, aging, lateness, clients at risk, from FEC, CSV and claims."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import yaml

from tests.conftest import dument
from tests.fec_sample import fec
from webapp.domain.fec import read_fec
from webapp.domain.portfolio import bucket, summarise, to_json, weighted_days_late
from webapp.domain.receivables import PAYMENT, Client, Promise, Receivable, Settlement
from webapp.domain.risk import Thresholds

AS_OF = date(2026, 11, 23)
T = Thresholds(high_days=90, medium_days=30, habit_days=15.0, habit_invoices=3)


def _sample(tmp_path, **dialect):
    path = tmp_path / "FEC.txt"
    path.write_bytes(fec(**dialect))
    return path


def test_cli_json_follows_the_contract(tmp_path):
    done = dument("portfolio", _sample(tmp_path), "--on", "2026-11-23", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["as_of"] == "2026-11-23"
    assert out["outstanding"] == "3700.00" and out["overdue"] == "3500.00"
    assert out["aging"] == {"not_due": "200.00", "1-30": "400.00", "31-60": "100.00", "61-90": "0.00", "90+": "3000.00"}
    assert sum(Decimal(v) for v in out["aging"].values()) == Decimal(out["outstanding"])
    assert out["paid_invoices"] == 1 and out["average_days_late"] == 15.0
    martin, durand = out["clients"]  # sorted by overdue, largest first
    assert martin == {
        "name": "Boulangerie Martin SAS",
        "account": "411MARTIN",
        "outstanding": "3200.00",
        "overdue": "3000.00",
        "open_invoices": 2,
        "oldest_due": "2026-07-01",
        "average_days_late": 15.0,
        "paid_invoices": 1,
        "risk": "high",
        "reasons": ["3\u202f000,00\u00a0€ impayés depuis plus de 90 jours (échéance la plus ancienne : 01/07/2026)"],
    }
    assert durand["account"] == "411DURAND" and durand["risk"] == "medium"
    assert durand["reasons"] == ["100,00\u00a0€ en retard de plus de 30 jours"]
    assert durand["average_days_late"] is None and durand["oldest_due"] == "2026-10-01"


def test_terms_option_moves_the_due_dates(tmp_path):
    done = dument("portfolio", _sample(tmp_path), "--on", "2026-11-23", "--terms", "60", "--json")
    out = json.loads(done.stdout)
    # with 60 days F-2026-001 was paid on time, F-2026-005 is 23 days late, F-2026-006 not yet due
    assert out["aging"] == {"not_due": "600.00", "1-30": "100.00", "31-60": "0.00", "61-90": "0.00", "90+": "3000.00"}
    assert out["average_days_late"] == 0.0


def test_cli_text_is_french(tmp_path):
    done = dument("portfolio", _sample(tmp_path), "--on", "2026-11-23")
    assert done.returncode == 0
    assert "Encours : 3\u202f700,00\u00a0€, dont échu : 3\u202f500,00\u00a0€" in done.stdout
    assert "Boulangerie Martin SAS (411MARTIN)" in done.stdout and "risque élevé" in done.stdout


def test_a_malformed_fec_exits_2_naming_file_line_and_column(tmp_path):
    path = tmp_path / "FEC.txt"
    path.write_bytes(fec().replace(b"|20260601|411000|", b"|20260631|411000|", 1))
    done = dument("portfolio", path, "--on", "2026-11-23", "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "FEC.txt : ligne 7, colonne EcritureDate : date invalide « 20260631 »" in done.stderr
    assert "Traceback" not in done.stderr


def test_claim_files_are_assessed_by_the_engine_and_mixed_with_a_fec(tmp_path, claim_data):
    claim_data["payments"] = [{"date": "2025-01-20", "amount": "400.00", "invoice": "F-1"}]
    claim_data["debtor"]["proceedings"] = {"kind": "redressement", "opened": "2026-10-01"}
    claim = tmp_path / "creance.yaml"
    claim.write_text(yaml.safe_dump(claim_data, allow_unicode=True), encoding="utf-8")
    done = dument("portfolio", claim, _sample(tmp_path), "--on", "2026-11-23", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    bakery = next(c for c in out["clients"] if c["account"] is None)
    assert bakery["outstanding"] == "600.00" and bakery["overdue"] == "600.00"  # paid before due: no interest first
    assert bakery["risk"] == "high"
    assert any("redressement judiciaire depuis le 01/10/2026" in r for r in bakery["reasons"])
    assert out["outstanding"] == "4300.00"


def test_an_invalid_claim_file_still_exits_2(tmp_path, claim_data):
    del claim_data["debtor"]
    claim = tmp_path / "creance.yaml"
    claim.write_text(yaml.safe_dump(claim_data), encoding="utf-8")
    done = dument("portfolio", claim, "--on", "2026-11-23")
    assert done.returncode == 2 and "debtor" in done.stderr


def test_buckets_limits():
    assert [bucket(d) for d in (-3, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        *("not_due", "not_due", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"),
    ]


def _paid(amount: str, due: date, paid_on: date) -> Receivable:
    return Receivable("F", due, due, Decimal(amount), (Settlement(paid_on, Decimal(amount), PAYMENT),))


def test_average_days_late_is_weighted_by_amount():
    small = [_paid("100", date(2026, 1, 1), date(2026, 1, 1)) for _ in range(9)]
    big = _paid("9100", date(2026, 1, 1), date(2026, 3, 2))  # 60 days late
    assert weighted_days_late([*small, big]) == 54.6  # not (9×0 + 60) / 10 = 6
    assert weighted_days_late([]) is None


def test_a_habit_of_paying_late_is_a_medium_risk():
    paid = tuple(_paid("500", date(2026, m, 1), date(2026, m, 21)) for m in (3, 4, 5))
    p = summarise([Client("Habitué", "411HAB", paid)], AS_OF, T)
    risk = p.clients[0].risk
    assert risk.level == "medium"
    assert risk.reasons == (
        "Paie en retard par habitude : 20 jours de retard en moyenne (pondérée par les montants) "
        "sur ses 3 factures payées",
    )
    two = summarise([Client("Habitué", "411HAB", paid[:2])], AS_OF, T)
    assert two.clients[0].risk.level == "low"  # two invoices: not yet a habit


def test_a_broken_promise_is_a_high_risk_and_a_kept_one_is_not():
    open_ = Receivable("F-9", date(2026, 10, 1), date(2026, 11, 20), Decimal("800"))
    promise = Promise(date(2026, 11, 1), date(2026, 11, 15), Decimal("300"))
    p = summarise([Client("Promesse", None, (open_,), promises=(promise,))], AS_OF, T)
    assert p.clients[0].risk.level == "high"
    assert p.clients[0].risk.reasons == ("Promesse de payer 300,00\u00a0€ avant le 15/11/2026 non tenue",)
    kept = Receivable(
        "F-9",
        date(2026, 10, 1),
        date(2026, 11, 20),
        Decimal("800"),
        (Settlement(date(2026, 11, 14), Decimal("300"), PAYMENT),),
    )
    p = summarise([Client("Promesse", None, (kept,), promises=(promise,))], AS_OF, T)
    assert p.clients[0].risk.level == "low"


def test_recovered_this_year_due_this_week_and_the_monthly_trend():
    ledger = read_fec(fec(), AS_OF, 30)
    p = summarise(ledger.clients, AS_OF, T)
    assert p.recovered_this_year == Decimal("2100.00")  # 1 200 + 300 + 200 + 400, the avoir apart
    assert [(d.number, d.due) for d in p.due_this_week] == []
    later = summarise(ledger.clients, date(2026, 11, 26), T)
    assert [(d.number, d.due, d.open) for d in later.due_this_week] == [
        ("F-2026-020", date(2026, 12, 1), Decimal("200.00"))
    ]
    trend = to_json(p)["trend"]
    assert len(trend) == 12 and trend[-1]["month"] == "2026-11" and trend[0]["month"] == "2025-12"
    assert next(m for m in trend if m["month"] == "2026-04") == {
        "month": "2026-04",
        "paid_invoices": 1,
        "average_days_late": 15.0,
    }


def test_a_missing_file_is_named_in_french(tmp_path):
    done = dument("portfolio", tmp_path / "absent.txt", "--on", "2026-11-23")
    assert done.returncode == 2
    assert "absent.txt : impossible de lire ce fichier" in done.stderr and "Error" not in done.stderr


def test_an_invoice_csv_on_the_command_line(tmp_path):
    path = tmp_path / "factures.csv"
    path.write_text(
        "client;numéro;date;échéance;montant TTC;payé;date de paiement\n"
        "Garage Durand;F-3;01/09/2026;01/10/2026;800,00;300,00;15/10/2026\n",
        encoding="utf-8",
    )
    out = json.loads(dument("portfolio", path, "--on", "2026-11-23", "--json").stdout)
    assert out["outstanding"] == "500.00" and out["aging"]["31-60"] == "500.00"
    assert out["clients"][0]["name"] == "Garage Durand" and out["clients"][0]["account"] is None


def test_terms_must_be_a_number_of_days(tmp_path):
    done = dument("portfolio", _sample(tmp_path), "--terms", "trente")
    assert done.returncode == 2 and "nombre de jours entre 0 et 365 attendu : trente" in done.stderr
