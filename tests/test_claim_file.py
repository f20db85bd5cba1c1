"""Loading claim files: the contract's fields, and a French error naming the field for each fault."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import EXAMPLES
from webapp.domain.claim_file import claim_from_data, load_claim, parse_document
from webapp.domain.errors import ClaimError


def problems(data) -> dict[str, str]:
    with pytest.raises(ClaimError) as info:
        claim_from_data(data)
    return dict(info.value.problems)


def test_contract_example_loads_with_typed_values():
    claim = load_claim(EXAMPLES / "b2b-acknowledged.yaml")
    inv = claim.invoices[0]
    assert inv.amount == Decimal("1200.00") and isinstance(inv.amount, Decimal)
    assert inv.issued == date(2025, 3, 1) and inv.due == date(2025, 3, 31)
    assert claim.payments[0].invoice == "F-2025-031"
    assert claim.terms.late_penalty_rate == Decimal("12")
    assert claim.history.formal_notice.effective == date(2025, 5, 17)
    assert claim.history.acknowledgments[0].covers("F-2025-031")
    assert claim.creditor.iban == "FR7630006000011234567890189"


def test_json_claim_file_is_equivalent(tmp_path):
    data = parse_document((EXAMPLES / "b2b-acknowledged.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_claim(path) == load_claim(EXAMPLES / "b2b-acknowledged.yaml")


def test_json_numbers_are_accepted(claim_data, tmp_path):
    text = json.dumps(claim_data).replace('"1000.00"', "1000.5")
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    assert load_claim(path).invoices[0].amount == Decimal("1000.50")


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d.update(invoicez=[]), "invoicez", "champ inconnu"),
        (lambda d: d["debtor"].update(adress={}), "debtor.adress", "champ inconnu"),
        (lambda d: d["invoices"][0].update(amout="1"), "invoices[0].amout", "champ inconnu"),
        (lambda d: d["creditor"].update(siren="732829321"), "creditor.siren", "SIREN invalide"),
        (lambda d: d["creditor"].update(iban="FR7630006000011234567890188"), "creditor.iban", "IBAN invalide"),
        (lambda d: d["invoices"][0].update(due="2026-02-30"), "invoices[0].due", "n'existe pas"),
        (lambda d: d["invoices"][0].update(issued="01/03/2025"), "invoices[0].issued", "AAAA-MM-JJ"),
        (lambda d: d["invoices"][0].update(amount="-5.00"), "invoices[0].amount", "négatif"),
        (lambda d: d["invoices"][0].update(amount="10.123"), "invoices[0].amount", "deux décimales"),
        (lambda d: d["invoices"][0].update(amount="0"), "invoices[0].amount", "supérieur à zéro"),
        (lambda d: d["invoices"][0].update(amount="douze"), "invoices[0].amount", "montant en euros"),
        (lambda d: d["invoices"][0].update(due="2024-12-31"), "invoices[0].due", "précéder"),
        (
            lambda d: d.update(payments=[{"date": "2025-02-01", "amount": "10", "invoice": "F-9"}]),
            "payments[0].invoice",
            "aucune facture",
        ),
        (lambda d: d.update(invoices=[]), "invoices", "au moins une facture"),
        (lambda d: d["invoices"].append(dict(d["invoices"][0])), "invoices[1].number", "deux fois"),
        (lambda d: d["debtor"].update(kind="client"), "debtor.kind", "valeurs possibles"),
        (lambda d: d["debtor"]["address"].update(country="France"), "debtor.address.country", "code pays"),
        (lambda d: d["debtor"]["address"].update(postcode="750"), "debtor.address.postcode", "5 chiffres"),
        (lambda d: d["debtor"].update(proceedings={"kind": "liquidation"}), "debtor.proceedings.opened", "obligatoire"),
        (lambda d: d.update(terms={"late_penalty_rate": "beaucoup"}), "terms.late_penalty_rate", "taux"),
        (
            lambda d: d.update(history={"formal_notice": {"sent": "2025-03-10", "received": "2025-03-01"}}),
            "history.formal_notice.received",
            "précéder",
        ),
        (
            lambda d: d.update(history={"acknowledgments": [{"date": "2025-03-01", "invoices": ["X"]}]}),
            "history.acknowledgments[0].invoices[0]",
            "aucune facture",
        ),
        (lambda d: d["creditor"].pop("siren"), "creditor.siren", "obligatoire"),
        (lambda d: d["creditor"].update(email="pas-une-adresse"), "creditor.email", "e-mail"),
    ],
)
def test_each_fault_names_its_field_in_french(claim_data, mutate, path, words):
    mutate(claim_data)
    found = problems(claim_data)
    assert path in found, found
    assert words in found[path]


def test_all_problems_are_reported_at_once(claim_data):
    claim_data["invoices"][0]["amount"] = "-1"
    claim_data["creditor"]["siren"] = "123"
    assert {"invoices[0].amount", "creditor.siren"} <= set(problems(claim_data))


def test_impossible_date_in_yaml_is_reported_not_crashed(tmp_path):
    text = (EXAMPLES / "b2b-acknowledged.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("due: 2025-03-31", "due: 2026-02-30"), encoding="utf-8")
    with pytest.raises(ClaimError) as info:
        load_claim(path)
    assert dict(info.value.problems)["invoices[0].due"] == "la date 2026-02-30 n'existe pas"


def test_unreadable_yaml_is_a_claim_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("creditor: [unclosed\n", encoding="utf-8")
    with pytest.raises(ClaimError, match="YAML ou JSON"):
        load_claim(path)


def test_individual_creditor_needs_no_siren(claim_data):
    claim_data["creditor"] = {
        "name": "Jean Martin",
        "kind": "individual",
        "address": {"line1": "1 rue A", "postcode": "75001", "city": "Paris"},
    }
    assert claim_from_data(claim_data).creditor.siren is None


def test_unquoted_yaml_numbers_keep_leading_zeros(tmp_path, claim_data):
    text = (EXAMPLES / "b2b-first-reminder.yaml").read_text(encoding="utf-8")
    path = tmp_path / "c.yaml"
    path.write_text(text.replace('postcode: "33000"', "postcode: 01000"), encoding="utf-8")
    assert load_claim(path).creditor.address.postcode == "01000"


def test_a_missing_section_is_reported_once(claim_data):
    del claim_data["debtor"]
    found = problems(claim_data)
    assert found == {"debtor": "champ obligatoire manquant"}
