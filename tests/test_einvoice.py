"""Reading e-invoices (Factur-X, CII, UBL) and mapping them to a claim, as claim-format.md says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests import einvoice_samples as s
from webapp.domain.claim_file import claim_from_data
from webapp.domain.einvoice import MAX_XML_BYTES, EInvoiceError, read_einvoice
from webapp.domain.einvoice_claim import PartiesError, import_claim, merge_into
from webapp.domain.einvoice_mentions import check_mentions


def _import(library, *files):
    return import_claim([read_einvoice(data, name) for name, data in files], library.parameters)


def test_fnfe_factur_x_pdf_gives_its_parties_amounts_prepaid_and_references(library):
    result = _import(library, ("Facture_FR_BASICWL.pdf", s.FNFE_PDF.read_bytes()))
    data = result.data
    assert data["creditor"] == {
        "name": "Au bon moulin",
        "kind": "company",
        "siren": "999999998",  # the first 9 digits of the SIRET under scheme 0002
        "address": {"line1": "1242 chemin de l'olive", "postcode": "84340", "city": "Malaucène", "country": "FR"},
        "iban": "FR2012421242124212421242124",
    }
    assert data["debtor"]["siren"] == "787878784" and data["debtor"]["address"]["city"] == "Lyon"
    assert data["invoices"] == [
        {
            "number": "FA-2017-0010",
            "issued": "2017-11-13",
            "due": "2017-12-13",
            "amount": "671.15",
            "file": "Facture_FR_BASICWL.pdf",
        }
    ]
    assert data["payments"] == [{"date": "2017-11-13", "amount": "201.00", "invoice": "FA-2017-0010"}]
    assert [e["kind"] for e in data["evidence"]] == ["purchase_order", "contract"]
    assert "PO445" in data["evidence"][0]["title"] and "MSPE2017" in data["evidence"][1]["title"]
    assert result.missing == []
    assert result.assumed == {"creditor.kind": "company", "debtor.kind": "company"}  # deduced, said
    claim = claim_from_data(data)  # a complete, valid claim
    assert claim.payments[0].amount == Decimal("201.00")


def test_fnfe_invoice_lacks_the_l441_9_mentions_and_says_what_it_changes(library):
    result = _import(library, ("Facture_FR_BASICWL.pdf", s.FNFE_PDF.read_bytes()))
    (mentions,) = result.mentions
    assert not mentions.rate_stated and not mentions.indemnity_stated and mentions.rate is None
    text = " ".join(mentions.messages)
    assert "L441-9" in text and "taux légal s'applique" in text and "majoré de 10 points" in text
    assert "indemnité forfaitaire de 40 €" in text and "de plein droit" in text
    assert "terms" not in result.data  # the claim keeps the legal default


def test_stated_mentions_set_the_claim_rate(library):
    result = _import(library, ("f.xml", s.cii()))
    (mentions,) = result.mentions
    assert mentions.rate == "12" and mentions.indemnity_stated
    assert result.data["terms"] == {"late_penalty_rate": "12"}
    assert "y figurent" in mentions.messages[0]


@pytest.mark.parametrize(
    "note, rate",
    [
        ("Pénalités de retard : trois fois le taux d'intérêt légal", "three_times_legal"),
        ("Pénalités de retard au taux BCE + 10 points", "ecb_plus_10"),
        ("Intérêts de retard : 10,5 % l'an", "10.5"),
        ("Pénalités de retard au taux BCE majoré de 7 points", None),
    ],
)
def test_penalty_rate_wordings(library, note, rate):
    e = read_einvoice(s.cii(notes=[{"BT-22": note}]), "f.xml")
    assert check_mentions(e, library.parameters).rate == rate


def test_a_discount_percentage_is_not_a_penalty_rate(library):
    e = read_einvoice(s.cii(notes=[{"BT-22": "Escompte de 3 % pour paiement anticipé"}]), "f.xml")
    assert check_mentions(e, library.parameters).rate is None


def test_en16931_cii_and_ubl_samples_read_the_same(library):
    cii = read_einvoice(s.CII.read_bytes(), "a.cii.xml")
    ubl = read_einvoice(s.UBL.read_bytes(), "a.ubl.xml")
    for e in (cii, ubl):
        assert (e.number, e.issued, e.amount, e.performed) == (
            "471102",
            date(2018, 3, 5),
            Decimal("529.87"),
            date(2018, 3, 5),
        )
        assert e.seller.name == "Lieferant GmbH" and e.buyer.country == "DE"
        assert e.description == "Trennblätter A4, Joghurt Banane"
    assert (cii.flavor, ubl.flavor) == ("factur-x", "ubl-2.1-invoice")


def test_german_sample_names_what_is_missing_and_skips_the_french_mentions(library):
    result = _import(library, ("a.xml", s.CII.read_bytes()))
    assert ("creditor.siren", "absent de la facture 471102, à compléter") in result.missing
    assert "hors de France" in result.mentions[0].messages[0]
    assert result.data["creditor"]["address"]["country"] == "DE"


def test_the_same_invoice_in_two_formats_is_kept_once(library):
    result = _import(library, ("a.cii.xml", s.CII.read_bytes()), ("a.ubl.xml", s.UBL.read_bytes()))
    assert len(result.data["invoices"]) == 1
    assert any("une seule fois retenue" in note for note in result.notes)


def test_credit_note_refers_to_its_invoice(library):
    result = _import(
        library, ("Facture_FR_BASICWL.pdf", s.FNFE_PDF.read_bytes()), ("AV-2017-0005.xml", s.credit_note_fnfe())
    )
    assert result.data["credit_notes"] == [
        {
            "number": "AV-2017-0005",
            "date": "2017-11-16",
            "amount": "233.47",
            "file": "AV-2017-0005.xml",
            "invoice": "FA-2017-0010",
        }
    ]
    assert len(result.data["invoices"]) == 1  # a credit note is no invoice
    claim = claim_from_data(result.data)
    assert claim.credit_notes[0].invoice == "FA-2017-0010"


def test_ubl_credit_note_on_an_invoice_not_imported_falls_to_the_oldest_unpaid(library):
    note = s.ubl(number="AV-9", type_code="381", refers_to="FA-0000", due=None, total="100.00")
    result = _import(library, ("f.xml", s.cii()), ("av.xml", note))
    assert "invoice" not in result.data["credit_notes"][0]
    assert any("FA-0000" in n and "plus ancienne" in n for n in result.notes)


def test_factur_x_pdf_made_by_the_generator_with_prepaid_amount(library):
    result = _import(library, ("fx.pdf", s.facturx_pdf(number="FA-7", prepaid="300.00")))
    assert result.data["creditor"]["siren"] == "732829320"  # from the SIRET 73282932000074
    assert result.data["creditor"]["email"] == "contact@atelier-dupont.fr"
    assert result.data["invoices"][0]["performed"] == "2026-08-28"
    assert result.data["payments"] == [{"date": "2026-09-01", "amount": "300.00", "invoice": "FA-7"}]


def test_overseas_department_is_france(library):
    buyer = {**s.BUYER, "country_code": "RE", "postcode": "97400", "city": "Saint-Denis"}
    result = _import(library, ("f.xml", s.cii(buyer=buyer)))
    assert result.data["debtor"]["address"]["country"] == "FR"


def test_two_buyers_are_refused_naming_them(library):
    other = {**s.BUYER, "name": "Pâtisserie Durand", "legal_identifier": "732829320"}
    with pytest.raises(PartiesError) as refused:
        _import(library, ("a.xml", s.cii()), ("b.xml", s.cii(number="FA-2", buyer=other)))
    assert "plusieurs acheteurs" in str(refused.value)
    assert "Boulangerie Martin SAS" in str(refused.value) and "Pâtisserie Durand" in str(refused.value)


def test_two_sellers_are_refused(library):
    other = {**s.SELLER, "name": "Menuiserie Roux", "legal_identifier": "552100554"}
    with pytest.raises(PartiesError, match="plusieurs vendeurs"):
        _import(library, ("a.xml", s.cii()), ("b.xml", s.cii(number="FA-2", seller=other)))


def test_same_buyer_with_and_without_siren_is_one_buyer(library):
    no_siren = {k: v for k, v in s.BUYER.items() if not k.startswith("legal")}
    result = _import(library, ("a.xml", s.cii()), ("b.xml", s.cii(number="FA-2", buyer=no_siren)))
    assert len(result.data["invoices"]) == 2 and result.data["debtor"]["siren"] == "552100554"


@pytest.mark.parametrize(
    "data, message",
    [
        (lambda: s.plain_pdf(), "ne contient pas de facture électronique"),
        (lambda: s.OTHER_XML, "« catalogue »"),
        (lambda: s.MALFORMED_XML, "mal formé"),
        (lambda: s.EXTERNAL_ENTITY, "DTD"),
        (lambda: s.NETWORK_DTD, "DTD"),
        (lambda: s.huge_xml(), f"{MAX_XML_BYTES // (1024 * 1024)} Mo"),
        (lambda: b"", "vide"),
        (lambda: b"\x89PNG\r\n\x1a\n", "ni un PDF Factur-X"),
    ],
)
def test_awkward_files_are_refused_naming_the_file(data, message):
    with pytest.raises(EInvoiceError) as refused:
        read_einvoice(data(), "dossier/piece.bin")
    assert str(refused.value).startswith("dossier/piece.bin : ") and message in str(refused.value)


def test_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE")
    xml = s.EXTERNAL_ENTITY.replace(b"file:///etc/passwd", secret.as_uri().encode())
    with pytest.raises(EInvoiceError) as refused:
        read_einvoice(xml, "xxe.xml")
    assert "SECRET-VALUE" not in str(refused.value)


def test_merge_into_a_dossier_adds_new_invoices_and_refuses_another_client(library):
    first = _import(library, ("a.xml", s.cii()))
    second = _import(library, ("b.xml", s.cii(number="FA-2", prepaid="100.00")), ("a2.xml", s.cii()))
    merged, notes = merge_into(first.data, second)
    assert [i["number"] for i in merged["invoices"]] == ["FA-2026-0101", "FA-2"]
    assert merged["payments"] == [{"date": "2026-09-01", "amount": "100.00", "invoice": "FA-2"}]
    assert "déjà dans ce dossier" in notes[0]
    stranger = _import(
        library, ("c.xml", s.cii(buyer={**s.BUYER, "name": "Autre SA", "legal_identifier": "732829320"}))
    )
    with pytest.raises(PartiesError, match=r"Autre SA.*Boulangerie Martin SAS"):
        merge_into(first.data, stranger)


def test_minimum_profile_names_the_address_it_lacks(library):
    result = _import(library, ("min.xml", s.minimum_cii()))
    assert read_einvoice(s.minimum_cii(), "min.xml").level == "minimum"
    assert result.data["invoices"] == [
        {"number": "FA-2017-0009", "issued": "2017-11-10", "amount": "120.00", "file": "min.xml"}
    ]
    assert ("debtor.address", "absent de la facture FA-2017-0009, à compléter") in result.missing
    assert ("creditor.address", "line1, postcode, city absent de la facture FA-2017-0009, à compléter") not in (
        result.missing
    )  # the seller's country alone is given: the whole address is missing
    assert ("creditor.address", "absent de la facture FA-2017-0009, à compléter") in result.missing
    assert result.data["debtor"]["siren"] == "787878784"


def test_extended_profile_reads_like_en16931(library):
    e = read_einvoice(s.extended_cii(number="EXT-1", prepaid="50.00"), "ext.xml")
    assert (e.level, e.number, e.prepaid, e.due, e.order_ref) == (
        "extended",
        "EXT-1",
        Decimal("50.00"),
        date(2026, 10, 1),
        "BC-2026-77",
    )


def test_a_due_date_before_the_invoice_date_is_left_out_and_said(library):
    result = _import(library, ("f.xml", s.cii(issued=date(2026, 9, 1), due=date(2026, 8, 1))))
    assert "due" not in result.data["invoices"][0]
    assert any("antérieure à sa date" in n for n in result.notes)


def test_another_currency_is_said_to_be_converted(library):
    result = _import(library, ("usd.xml", s.cii().replace(b"EUR", b"USD")))
    assert "usd.xml : montants en USD, à convertir en euros." in result.notes
