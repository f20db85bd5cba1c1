"""E-invoices for the tests: the real samples, and more made with factur-x's own generator.

The generated ones start from the EN 16931 sample as factur-x parses it (the same dict
shape its generator takes), then change the parties, dates, amounts and notes.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from pathlib import Path

from facturx import generate_from_binary
from facturx.generate_xml import generate_xml
from facturx.parse_xml import parse_ubl_cii_xml

DATA = Path(__file__).resolve().parent / "data" / "einvoices"
FNFE_PDF = DATA / "Facture_FR_BASICWL.pdf"  # FA-2017-0010, Au bon moulin → Ma jolie boutique
CII = DATA / "EN16931_Einfach.cii.xml"  # 471102, Lieferant GmbH → Kunden AG Mitte
UBL = DATA / "EN16931_Einfach.ubl.xml"  # the same invoice in UBL

SELLER = {
    "name": "Atelier Dupont SARL",
    "legal_identifier": "73282932000074",  # a SIRET: the SIREN is its first 9 digits
    "legal_identifier_schemeid": "0002",
    "vat_identifier": "FR44732829320",
    "addr_l1": "12 rue des Lilas",
    "postcode": "75011",
    "city": "Paris",
    "country_code": "FR",
    "contacts": [{"name": "Marie Dupont", "email": "contact@atelier-dupont.fr"}],
}
BUYER = {
    "name": "Boulangerie Martin SAS",
    "legal_identifier": "552100554",
    "legal_identifier_schemeid": "0002",
    "addr_l1": "3 place du Marché",
    "postcode": "69002",
    "city": "Lyon",
    "country_code": "FR",
}
MENTIONS = [
    {"BT-21": "PMD", "BT-22": "Pénalités de retard : 12 % par an à compter du lendemain de l'échéance."},
    {"BT-21": "PMT", "BT-22": "Indemnité forfaitaire pour frais de recouvrement : 40 euros."},
]


@cache
def _base() -> dict:
    return parse_ubl_cii_xml(CII.read_bytes(), check_xsd=False)


def invoice_dict(
    number="FA-2026-0101",
    issued=date(2026, 9, 1),
    due=date(2026, 10, 1),
    total="1200.00",
    prepaid="0.00",
    seller=SELLER,
    buyer=BUYER,
    notes=MENTIONS,
    type_code="380",
    refers_to=None,
    order="BC-2026-77",
    delivered=date(2026, 8, 28),
):
    """An EN 16931 invoice (or credit note) as factur-x's generator takes it."""
    d = copy.deepcopy(_base())
    net = (float(total) / 1.2).__round__(2)
    vat = round(float(total) - net, 2)
    d.update(
        {
            "BT-1": number,
            "BT-2": issued,
            "BT-3": type_code,
            "BT-72": delivered,
            "BG-4": copy.deepcopy(seller),
            "BG-7": copy.deepcopy(buyer),
            "BG-1": copy.deepcopy(notes),
        }
    )
    d["BG-23"] = [{"BT-116": f"{net:.2f}", "BT-117": f"{vat:.2f}", "BT-118": "S", "BT-119": "20.00"}]
    line = copy.deepcopy(d["BG-25"][0])
    line.update(
        {
            "BT-129": "1",
            "BT-146": f"{net:.2f}",
            "BT-131": f"{net:.2f}",
            "BT-152": "20.00",
            "BT-153": "Réfection de la vitrine",
        }
    )
    d["BG-25"] = [line]
    d.update(
        {
            "BT-106": f"{net:.2f}",
            "BT-107": "0.00",
            "BT-108": "0.00",
            "BT-109": f"{net:.2f}",
            "BT-110": f"{vat:.2f}",
            "BT-112": total,
            "BT-113": prepaid,
            "BT-115": f"{float(total) - float(prepaid):.2f}",
        }
    )
    d.pop("BT-20", None)
    if due:
        d["BT-9"] = due
    else:
        d.pop("BT-9", None)
    if order:
        d["BT-13"] = order
    if refers_to:
        d["BG-3"] = [{"BT-25": refers_to}]
    return d


def cii(**kwargs) -> bytes:
    return generate_xml(invoice_dict(**kwargs), flavor="factur-x", level="en16931", check_schematron=False)


def ubl(**kwargs) -> bytes:
    return generate_xml(invoice_dict(**kwargs), flavor="ubl-2.1", level="en16931", check_schematron=False)


@cache
def _blank_pdf() -> bytes:
    from weasyprint import HTML

    html = "<html lang='fr'><body><h1>Facture</h1><p>Voir les données jointes.</p></body></html>"
    return HTML(string=html).write_pdf()


def facturx_pdf(**kwargs) -> bytes:
    """A Factur-X PDF: a rendered page with the CII XML embedded by factur-x."""
    return generate_from_binary(_blank_pdf(), cii(**kwargs), flavor="factur-x", level="en16931", lang="fr-FR")


def credit_note_fnfe() -> bytes:
    """AV-2017-0005, the FNFE sample's seller to its buyer, on FA-2017-0010 (the contract's example)."""
    fnfe_seller = {
        "name": "Au bon moulin",
        "legal_identifier": "99999999800010",
        "legal_identifier_schemeid": "0002",
        "addr_l1": "1242 chemin de l'olive",
        "postcode": "84340",
        "city": "Malaucène",
        "country_code": "FR",
    }
    fnfe_buyer = {
        "name": "Ma jolie boutique",
        "legal_identifier": "78787878400035",
        "legal_identifier_schemeid": "0002",
        "addr_l1": "35 rue de la République",
        "postcode": "69001",
        "city": "Lyon",
        "country_code": "FR",
    }
    return cii(
        number="AV-2017-0005",
        issued=date(2017, 11, 16),
        due=None,
        total="233.47",
        type_code="381",
        refers_to="FA-2017-0010",
        seller=fnfe_seller,
        buyer=fnfe_buyer,
        notes=[],
        order=None,
        delivered=date(2017, 11, 13),
    )


PLAIN_PDF_HTML = "<html lang='fr'><body><p>Facture ordinaire, sans XML.</p></body></html>"


def plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=PLAIN_PDF_HTML).write_pdf()


OTHER_XML = b'<?xml version="1.0"?><catalogue xmlns="urn:example:books"><livre>Notre-Dame de Paris</livre></catalogue>'
MALFORMED_XML = b'<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="x"><unclosed></rsm:CrossIndustryInvoice>'
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
    b"<x>&xxe;</x></rsm:CrossIndustryInvoice>"
)
NETWORK_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>1</ID></Invoice>'
)


# Files that are not e-invoices: (file name, content factory, what the refusal says).
NOT_EINVOICES = [
    ("ordinaire.pdf", plain_pdf, "ne contient pas de facture électronique"),
    ("catalogue.xml", lambda: OTHER_XML, "n'est pas une facture électronique"),
    ("casse.xml", lambda: MALFORMED_XML, "mal formé"),
    ("xxe.xml", lambda: EXTERNAL_ENTITY, "DTD"),
    ("dtd.xml", lambda: NETWORK_DTD, "DTD"),
]
CII_NS = b"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"


def huge_xml(size: int = 6 * 1024 * 1024) -> bytes:
    """A CII root padded past the XML size bound."""
    head = b'<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="' + CII_NS + b'"><!--'
    return head + b"x" * size + b"--></rsm:CrossIndustryInvoice>"


def minimum_cii(number: str = "FA-2017-0009") -> bytes:
    """A Factur-X MINIMUM invoice, written by hand (factur-x generates BASIC WL and up): the
    buyer has a name and a SIREN but no address, as the profile allows."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20171110</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Au bon moulin</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">99999999800010</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR11999999998</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Ma jolie boutique</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">78787878400035</ram:ID></ram:SpecifiedLegalOrganization>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">20.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>120.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def extended_cii(**kwargs) -> bytes:
    return generate_xml(invoice_dict(**kwargs), flavor="factur-x", level="extended", check_schematron=False)
