"""The FEC reader: every dialect real software writes, lettering, credit notes, dates, broken lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.fec_sample import fec
from webapp.domain.fec import read_fec
from webapp.domain.ledger_csv import read_csv
from webapp.domain.receivables import CREDIT_NOTE, PAYMENT, LedgerFileError

AS_OF = date(2026, 11, 23)


def _clients(data: bytes, as_of: date = AS_OF) -> dict:
    ledger = read_fec(data, as_of, 30)
    return {c.account: c for c in ledger.clients}


def _open(client) -> dict[str, Decimal]:
    return {r.number: r.open for r in client.invoices}


EXPECTED = {
    "411MARTIN": {"F-2026-001": Decimal("0"), "F-2026-010": Decimal("3000"), "F-2026-020": Decimal("200")},
    "411DURAND": {"F-2026-005": Decimal("100"), "F-2026-006": Decimal("400")},
}

DIALECTS = {
    "odoo: pipe, UTF-8, zero-padded, LF": {"sep": "|", "padded": True},
    "tab, ISO-8859-15, CRLF": {"sep": "\t", "encoding": "iso-8859-15", "newline": "\r\n"},
    "UTF-8 with BOM, CRLF": {"bom": True, "newline": "\r\n"},
    "decimal point, not padded": {"comma": False},
    "Montant and Sens instead of Debit and Credit": {"signed": True, "sep": "\t"},
}


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS.keys())
def test_every_dialect_gives_the_same_receivables(dialect):
    clients = _clients(fec(**dialect))
    assert {k: _open(c) for k, c in clients.items()} == EXPECTED
    assert clients["411MARTIN"].name == "Boulangerie Martin SAS"
    assert clients["411DURAND"].name == "Garage Durand"


def test_quoted_fields_are_read_like_plain_ones():
    lines = fec().split(b"\n")
    quoted = b"\n".join(b"|".join(b'"' + x + b'"' for x in line.split(b"|")) if line else line for line in lines)
    assert {k: _open(c) for k, c in _clients(quoted).items()} == EXPECTED


def test_iso_8859_15_accents_and_euro_sign_are_read():
    data = fec(encoding="iso-8859-15").replace(b"Garage Durand", "Garage Durand Frères €".encode("iso-8859-15"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert _clients(data)["411DURAND"].name == "Garage Durand Frères €"


def test_full_lettering_marks_the_invoice_paid_on_the_payment_date():
    invoice = _clients(fec())["411MARTIN"].invoices[0]
    assert invoice.number == "F-2026-001" and invoice.paid
    assert invoice.settled_on == date(2026, 4, 15)
    assert invoice.due == date(2026, 3, 31)  # no due date in a FEC: issue date + terms
    assert invoice.days_late(AS_OF) == 15


def test_partial_lettering_leaves_the_rest_open_and_counts_the_credit_note_apart():
    martin = _clients(fec())["411MARTIN"]
    invoice = next(r for r in martin.invoices if r.number == "F-2026-020")
    kinds = {(s.kind, s.amount, s.lettered) for s in invoice.settlements}
    assert kinds == {(CREDIT_NOTE, Decimal("100.00"), True), (PAYMENT, Decimal("200.00"), True)}
    assert invoice.open == Decimal("200.00") and not invoice.paid


def test_an_invoice_cancelled_by_a_credit_note_is_settled_but_not_paid():
    data = fec().replace(
        b"VIR-1110|20261110|R\xc3\xa8glement VIR-1110|0,00|200,00",
        b"VIR-1110|20261110|R\xc3\xa8glement VIR-1110|0,00|0,00",
    )
    data = data.replace(
        b"AV-2026-001|20261105|Avoir AV-2026-001|0,00|100,00", b"AV-2026-001|20261105|Avoir AV-2026-001|0,00|500,00"
    )
    invoice = next(r for r in _clients(data)["411MARTIN"].invoices if r.number == "F-2026-020")
    assert invoice.open == 0 and invoice.settled_on == date(2026, 11, 5)
    assert not invoice.paid  # an avoir is not a payment: it does not count among paid invoices


def test_unlettered_payments_settle_the_oldest_invoice_first():
    durand = _clients(fec())["411DURAND"]
    oldest = next(r for r in durand.invoices if r.number == "F-2026-005")
    assert [(s.date, s.amount, s.lettered) for s in oldest.settlements] == [
        (date(2026, 10, 15), Decimal("300.00"), False),
        (date(2026, 11, 20), Decimal("400.00"), False),
    ]


def test_lines_and_lettering_after_the_as_of_date_are_left_out():
    ledger = read_fec(fec(), AS_OF, 30)
    assert ledger.ignored_after == 3  # the three lines of the invoice of 1 December
    assert all(r.number != "F-2026-030" for c in ledger.clients for r in c.invoices)
    later = _clients(fec(), date(2026, 11, 30))["411DURAND"]  # the AC lettering of 25 November now counts
    assert _open(later) == {"F-2026-005": Decimal("500"), "F-2026-006": Decimal("0")}
    settled = next(r for r in later.invoices if r.number == "F-2026-006")
    assert settled.paid and settled.settled_on == date(2026, 11, 20)


def test_a_client_in_credit_keeps_the_unmatched_amount():
    data = fec().replace(
        b"VIR-1120|20261120|R\xc3\xa8glement VIR-1120|0,00|400,00",
        b"VIR-1120|20261120|R\xc3\xa8glement VIR-1120|0,00|1000,00",
    )
    durand = _clients(data)["411DURAND"]
    assert all(r.open == 0 for r in durand.invoices)
    assert durand.unallocated == Decimal("100.00")


def test_account_416_marks_a_doubtful_client():
    data = fec().replace(b"|411000|Clients|411DURAND|", b"|416000|Clients douteux|411DURAND|")
    assert _clients(data)["411DURAND"].doubtful
    assert not _clients(data)["411MARTIN"].doubtful


@pytest.mark.parametrize(
    ("search", "replace", "column", "words"),
    [
        (b"|20260601|411000|", b"|20261301|411000|", "EcritureDate", "20261301"),
        (b"|3000,00|0,00|", b"|3O00,00|0,00|", "Debit", "3O00,00"),
        (b"|Facture F-2026-010|", b"|Facture F-2026-010", "", "17 colonnes au lieu de 18"),
        (b"|0,00|2500,00|", b"|0,00|2500;00|", "Credit", "2500;00"),
    ],
    ids=["impossible date", "letter in an amount", "a column missing", "revenue line"],
)
def test_a_broken_line_refuses_the_file_naming_line_and_column(search, replace, column, words):
    data = fec().replace(search, replace, 1)  # on line 7, the client line of F-2026-010, or line 8, its revenue
    line = 8 if column == "Credit" else 7
    with pytest.raises(LedgerFileError) as caught:
        read_fec(data, AS_OF, 30)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in str(caught.value) and f"ligne {line}" in str(caught.value)


def test_a_header_without_the_fec_columns_is_refused():
    with pytest.raises(LedgerFileError, match="EcritureLet"):
        read_fec(fec().replace(b"EcritureLet", b"Lettrage"), AS_OF, 30)


# --- the simple CSV ---------------------------------------------------------------------
CSV = (
    "Client;Numéro;Date;Échéance;Montant TTC;Payé;Date de paiement\r\n"
    "Boulangerie Martin SAS;F-1;01/03/2026;31/03/2026;1 200,00;oui;15/04/2026\r\n"
    "Boulangerie Martin SAS;F-2;01/06/2026;;3000,00;;\r\n"
    "Garage Durand;F-3;01/09/2026;01/10/2026;800,00;300,00;15/10/2026\r\n"
    "Garage Durand;F-4;01/12/2026;31/12/2026;999,00;;\r\n"
)


def test_csv_with_french_headers_gives_invoices_and_payments():
    ledger = read_csv(CSV.encode("cp1252"), AS_OF, 30)
    clients = {c.name: c for c in ledger.clients}
    martin, durand = clients["Boulangerie Martin SAS"], clients["Garage Durand"]
    assert _open(martin) == {"F-1": Decimal("0"), "F-2": Decimal("3000.00")}
    assert martin.invoices[0].paid and martin.invoices[0].days_late(AS_OF) == 15
    assert martin.invoices[1].due == date(2026, 7, 1) and martin.invoices[1].due_is_default
    assert _open(durand) == {"F-3": Decimal("500.00")}  # F-4 is dated after the as-of date
    assert ledger.ignored_after == 1


def test_csv_errors_name_the_line_and_the_column():
    with pytest.raises(LedgerFileError) as caught:
        read_csv(CSV.replace("300,00;15/10/2026", "300,00;").encode(), AS_OF, 30)
    assert (caught.value.line, caught.value.column) == (4, "date de paiement")
    with pytest.raises(LedgerFileError, match="montant TTC"):
        read_csv(CSV.replace("Montant TTC", "Total").encode(), AS_OF, 30)


@pytest.mark.parametrize(
    "text",
    [
        CSV.replace(";", ",").replace("1 200,00", '"1 200,00"').replace("3000,00", '"3000,00"')
        .replace("800,00", '"800,00"').replace("300,00", '"300,00"').replace("999,00", '"999,00"'),
        CSV.replace(";", "\t"),
        "\ufeff" + CSV.replace("Numéro", "N°").replace("Montant TTC", "MONTANT TTC"),
    ],
    ids=["comma separated, quoted amounts", "tab separated", "BOM, other spellings of the headers"],
)  # fmt: skip
def test_csv_dialects_give_the_same_invoices(text):
    clients = {c.name: _open(c) for c in read_csv(text.encode("utf-8"), AS_OF, 30).clients}
    assert clients == {
        "Boulangerie Martin SAS": {"F-1": Decimal("0"), "F-2": Decimal("3000.00")},
        "Garage Durand": {"F-3": Decimal("500.00")},
    }
