"""The wizard's forms and the claim, by field name: one claim field is one form field."""

from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from tests.test_web import CREDITOR, DEBTOR, new_dossier, post, stored, url
from webapp.domain.assessment import assess
from webapp.domain.claim_file import claim_from_data
from webapp.web import claim_forms
from webapp.web import forms as f
from webapp.web.fields import parse_french_amount


def test_a_creditor_field_added_to_the_form_reaches_the_claim_and_the_court(app, client):
    """The creditor's activity (art. L721-3 C. com.) was added as a form field and a template line
    only: it is saved, shown again, and sends a claim against an artisan to the tribunal judiciaire."""
    token = new_dossier(client)
    creditor = {**CREDITOR, "kind": "sole_trader", "activity": "liberal", "first_name": "Marie", "last_name": "Dupont"}
    assert post(client, url(token, "creancier"), creditor).status_code == 302
    assert stored(app, token)["creditor"]["activity"] == "liberal"
    page = client.get(url(token, "creancier")).get_data(as_text=True)
    assert '<option selected value="liberal">' in page
    debtor = {**DEBTOR, "kind": "sole_trader", "activity": "artisanal", "legal_form": ""}
    assert post(client, url(token, "client"), debtor).status_code == 302
    claim = stored(app, token)
    claim["invoices"] = [{"number": "F-1", "issued": "2025-01-01", "due": "2025-01-31", "amount": "100.00"}]
    result = assess(claim_from_data(claim), app.extensions["dument_library"], date(2025, 6, 1))
    assert result.court.kind == "tribunal judiciaire"


def test_a_form_and_its_claim_section_round_trip_in_the_claim_format(app):
    """Dates and amounts go to the claim format and back to French; the address is grouped."""
    with app.test_request_context():
        invoice = f.InvoiceForm(
            MultiDict({"number": " F-9 ", "issued": "01/03/2025", "due": "31/03/2025", "amount": "1 200,50"}),
            meta={"csrf": False},
        )
        assert invoice.validate()
        data = claim_forms.section(invoice)
        assert data == {"number": "F-9", "issued": "2025-03-01", "due": "2025-03-31", "amount": "1200.50"}
        shown = f.InvoiceForm(meta={"csrf": False})
        claim_forms.fill(shown, data)
        assert (shown.issued.data, shown.amount.data) == ("01/03/2025", "1 200,50")


def test_prefixed_forms_map_by_their_short_names_and_the_country_is_upper_case(app):
    with app.test_request_context():
        reminder = f.ReminderForm(
            MultiDict({"relance-date": "10/11/2026", "relance-channel": "email"}),
            prefix="relance",
            meta={"csrf": False},
        )
        assert reminder.validate()
        assert claim_forms.section(reminder) == {"date": "2026-11-10", "channel": "email"}
        debtor = f.DebtorForm(MultiDict({**DEBTOR, "country": " fr "}), meta={"csrf": False})
        assert debtor.validate(), debtor.errors
        assert claim_forms.section(debtor, skip=("proceedings", "opened", "published", "mandataire"))["address"] == {
            "line1": DEBTOR["line1"],
            "postcode": DEBTOR["postcode"],
            "city": DEBTOR["city"],
            "country": "FR",
        }


@pytest.mark.parametrize("typed", ["1.200", "12.500", "1.234.567"])
def test_an_amount_with_a_dot_before_three_digits_is_asked_again_not_guessed(typed):
    """« 1.200 » is 1 200 € to a French eye and 1,20 € to a computer: ask, never store 1,20 €."""
    with pytest.raises(ValueError, match="deux façons"):
        parse_french_amount(typed)


@pytest.mark.parametrize(("typed", "amount"), [("1 200", "1200.00"), ("12.50", "12.50"), ("1.234,56", "1234.56")])
def test_unambiguous_amounts_are_still_read(typed, amount):
    assert str(parse_french_amount(typed)) == amount


def test_a_bad_file_is_said_with_the_other_errors_of_the_step_not_on_the_next_try(app, client):
    """A wrong date, and a file that is no PDF: both messages at once, nothing stored."""
    token = new_dossier(client)
    data = {"number": "F-1", "issued": "31/02/2026", "amount": "1200", "file": (io.BytesIO(b"pas un PDF"), "f.pdf")}
    response = post(client, url(token, "factures"), data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="issued-erreur"' in page and 'id="file-erreur"' in page
    assert "n&#39;est ni un PDF" in page or "ni un PDF" in page
    assert "invoices" not in stored(app, token)
