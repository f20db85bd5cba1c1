"""Credit notes (avoirs) in the engine: they lower the principal of their invoice from their date,
settle no interest, never interrupt prescription, and show in the décompte and the bordereau."""

from __future__ import annotations

import copy
import subprocess
from decimal import Decimal

import pytest

from tests.conftest import BASE_CLAIM
from webapp.config import static_dir, templates_dir
from webapp.documents.render import render_pdf
from webapp.domain.claim_file import claim_from_data
from webapp.domain.errors import ClaimError
from webapp.domain.report import to_json, to_text

AS_OF = "2025-12-31"


@pytest.fixture
def data():
    """F-1: 1 000 € due 31 January 2025 at 12 %; F-2: 500 € due 31 March 2025."""
    d = copy.deepcopy(BASE_CLAIM)
    d["invoices"].append({"number": "F-2", "issued": "2025-03-01", "due": "2025-03-31", "amount": "500.00"})
    d["terms"] = {"late_penalty_rate": "12"}
    d["evidence"] = [{"kind": "general_terms", "title": "Conditions générales acceptées"}]  # the 12 % is proven
    return d


def test_credit_note_lowers_the_principal_from_its_date(run, data):
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    account = run(data, AS_OF).accounts[0]
    assert account.principal == Decimal("700.00") and account.credited == Decimal("300.00")
    assert [(str(p.start), str(p.end), p.principal) for p in account.periods] == [
        ("2025-02-01", "2025-05-31", Decimal("1000.00")),
        ("2025-06-01", "2025-12-31", Decimal("700.00")),
    ]
    assert account.paid == 0  # a credit note is no payment


def test_credit_note_settles_no_interest_where_a_payment_would(run, data):
    credit = copy.deepcopy(data)
    credit["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    paid = copy.deepcopy(data)
    paid["payments"] = [{"date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    by_credit, by_payment = run(credit, AS_OF).accounts[0], run(paid, AS_OF).accounts[0]
    assert by_credit.interest_paid == 0 and by_credit.principal == Decimal("700.00")
    assert by_payment.interest_paid > 0 and by_payment.principal > Decimal("700.00")


def test_credit_note_does_not_interrupt_prescription(run, data):
    plain = run(data, AS_OF).prescriptions["F-1"]
    data["credit_notes"] = [{"number": "AV-1", "date": "2026-06-01", "amount": "100.00", "invoice": "F-1"}]
    credited = run(data, "2026-12-31").prescriptions["F-1"]
    assert credited.limit == plain.limit
    assert "L'avoir AV-1 du 01/06/2026 n'interrompt pas la prescription" in credited.basis
    data["payments"] = [{"date": "2026-06-01", "amount": "100.00", "invoice": "F-1"}]
    assert run(data, "2026-12-31").prescriptions["F-1"].limit > plain.limit  # a payment does


def test_credit_note_without_invoice_goes_to_the_oldest_unpaid(run, data):
    data["payments"] = [{"date": "2025-02-15", "amount": "1004.93", "invoice": "F-1"}]  # F-1 paid off
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "100.00"}]
    result = run(data, AS_OF)
    f1, f2 = result.accounts
    assert f1.credits == [] and f2.principal == Decimal("400.00")


def test_credit_note_wiping_an_invoice_before_its_due_date_leaves_no_indemnity(run, data):
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-03-15", "amount": "500.00", "invoice": "F-2"}]
    f2 = run(data, AS_OF).accounts[1]
    assert f2.principal == 0 and f2.interest == 0 and f2.indemnity == 0


def test_credit_note_above_what_remains_is_an_error_naming_it(run, data):
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "1200.00", "invoice": "F-1"}]
    with pytest.raises(ClaimError) as error:
        run(data, AS_OF)
    ((path, message),) = error.value.problems
    assert path == "credit_notes[0].amount" and "dépasse le principal restant dû sur la facture F-1" in message


def test_credit_note_after_the_as_of_date_is_not_yet_counted(run, data):
    data["credit_notes"] = [{"number": "AV-1", "date": "2026-02-01", "amount": "300.00", "invoice": "F-1"}]
    assert run(data, AS_OF).accounts[0].principal == Decimal("1000.00")


@pytest.mark.parametrize(
    "entry, path, message",
    [
        (
            {"number": "AV-1", "date": "2025-06-01", "amount": "10", "invoice": "F-9"},
            "credit_notes[0].invoice",
            "aucune facture ne porte le numéro « F-9 »",
        ),
        ({"number": "AV-1", "date": "2025-02-30", "amount": "10"}, "credit_notes[0].date", "n'existe pas"),
        ({"number": "AV-1", "date": "2025-06-01", "amount": "-5"}, "credit_notes[0].amount", "négatif"),
        (
            {"number": "AV-1", "date": "2025-06-01", "amount": "5", "motif": "x"},
            "credit_notes[0].motif",
            "champ inconnu",
        ),
        ({"date": "2025-06-01", "amount": "5"}, "credit_notes[0].number", "obligatoire"),
    ],
)
def test_credit_note_fields_are_validated_with_their_path(data, entry, path, message):
    data["credit_notes"] = [entry]
    with pytest.raises(ClaimError) as error:
        claim_from_data(data)
    assert any(p == path and message in m for p, m in error.value.problems), error.value.problems


def test_json_reports_credit_notes_only_when_there_are_some(run, data):
    assert (
        "credit_notes" not in to_json(run(data, AS_OF)) and "credited" not in to_json(run(data, AS_OF))["invoices"][0]
    )
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    out = to_json(run(data, AS_OF))
    assert out["credit_notes"] == [{"number": "AV-1", "date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    assert out["invoices"][0]["credited"] == "300.00" and out["invoices"][0]["outstanding"] == "700.00"
    assert out["invoices"][0]["paid"] == "0.00"
    assert "avoir AV-1 du 01/06/2025 : − 300,00\u00a0€" in to_text(run(data, AS_OF))


@pytest.mark.parametrize(
    "document, expected",
    [
        ("decompte", "Avoir n° AV-1 du 01/06/2025 : réduit le principal à compter de cette date"),
        ("bordereau-pieces", "Avoir n° AV-1 sur la facture n° F-1 — 300,00 €"),
        ("mise-en-demeure", "avoir n° AV-1 du 01/06/2025, 300,00 € (facture F-1)"),
    ],
)
def test_documents_show_the_credit_note(run, data, library, poppler, document, expected):
    data["credit_notes"] = [{"number": "AV-1", "date": "2025-06-01", "amount": "300.00", "invoice": "F-1"}]
    pdf = render_pdf(document, run(data, AS_OF), library, templates_dir=templates_dir(), static_dir=static_dir())
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert expected in " ".join(text.split())
