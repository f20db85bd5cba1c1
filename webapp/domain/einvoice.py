"""Reading an electronic invoice (Factur-X / ZUGFeRD PDF, CII or UBL XML) into plain values.

The XML is untrusted: it is parsed by lxml with entity resolution, DTD loading and
network access off, within a size bound, and a document type declaration is refused
outright (no e-invoice needs one). The EN 16931 business terms are read by the
``factur-x`` package (Akretion), the reference implementation, from that safe tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from stdnum import iban as stdnum_iban
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

MAX_XML_BYTES = 5 * 1024 * 1024  # an invoice's XML is a few kB; 5 MB leaves room for lines
MAX_PDF_BYTES = 20 * 1024 * 1024  # as any other uploaded exhibit
CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "ubl-2.1-invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "ubl-2.1-creditnote",
}
ZUGFERD1_ROOT = "CrossIndustryDocument"
# UNTDID 1001 codes: commercial invoices and their kin, and credit notes.
INVOICE_TYPES = frozenset({"380", "383", "384", "386", "389", "393", "395", "575", "623", "751", "780"})
CREDIT_NOTE_TYPES = frozenset({"381", "261", "262", "296", "308", "396", "420", "458", "532"})
OVERSEAS = frozenset({"GP", "MQ", "GF", "RE", "YT"})  # overseas departments: France
_CENT = Decimal("0.01")


class EInvoiceError(ValueError):
    """A file is not a usable e-invoice; the message, in French, names the file."""

    def __init__(self, filename: str, problem: str):
        super().__init__(f"{filename} : {problem}")
        self.filename, self.problem = filename, problem


@dataclass(frozen=True)
class EParty:
    """A seller or buyer as the invoice states it."""

    name: str | None
    line1: str | None = None
    line2: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    siren: str | None = None
    siren_problem: str | None = None  # an identifier was given but is not a valid SIREN/SIRET
    email: str | None = None

    @property
    def key(self) -> str:
        """What identifies the party across files: its SIREN, else its name."""
        return self.siren or " ".join((self.name or "").upper().split())


@dataclass(frozen=True)
class EInvoice:
    """One e-invoice or credit note, reduced to what a claim needs."""

    source: str  # the file name or path as given
    flavor: str  # "factur-x" (CII) or "ubl-2.1-invoice" / "ubl-2.1-creditnote"
    level: str | None
    type_code: str
    credit_note: bool
    number: str
    issued: date
    amount: Decimal  # grand total including VAT (BT-112)
    prepaid: Decimal  # BT-113
    currency: str
    seller: EParty
    buyer: EParty
    due: date | None = None  # BT-9
    performed: date | None = None  # BT-72
    description: str | None = None
    order_ref: str | None = None  # BT-13
    contract_ref: str | None = None  # BT-12
    preceding: tuple[str, ...] = ()  # BT-25: the invoices a credit note corrects
    notes: tuple[str, ...] = ()  # BT-22 (with BT-21 subject code, "PMD: …")
    payment_terms: str | None = None  # BT-20
    iban: str | None = None  # BT-84, when a valid IBAN


def read_einvoice(data: bytes, filename: str) -> EInvoice:
    """Read one e-invoice file (PDF or XML bytes); raises EInvoiceError naming the file."""
    if not data:
        raise EInvoiceError(filename, "le fichier est vide.")
    if b"%PDF-" in data[:1024]:
        xml = _xml_from_pdf(data, filename)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        xml = data
    else:
        raise EInvoiceError(filename, "ce n'est ni un PDF Factur-X, ni un fichier XML de facture (CII ou UBL).")
    root = parse_xml(xml, filename)
    flavor = _flavor(root, filename)
    return _to_einvoice(_terms(root, flavor, filename), flavor, filename)


def is_einvoice_xml(data: bytes) -> bool:
    """Whether bytes are an e-invoice XML that Dûment reads (an exhibit stored as XML)."""
    if b"%PDF-" in data[:1024] or not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    try:
        read_einvoice(data, "")
    except EInvoiceError:
        return False
    return True


def _xml_from_pdf(data: bytes, filename: str) -> bytes:
    """The invoice XML embedded in a Factur-X / ZUGFeRD PDF (factur-x finds it)."""
    if len(data) > MAX_PDF_BYTES:
        raise EInvoiceError(filename, f"le fichier dépasse {size_words(MAX_PDF_BYTES)}.")
    import facturx  # imported here: it costs 150 ms and only this path needs it

    try:
        _name, xml = facturx.get_facturx_xml_from_pdf(data, check_xsd=False)
    except Exception as error:  # pypdf raises many types on damaged files
        raise EInvoiceError(filename, "ce PDF est endommagé ou illisible.") from error
    if not xml:
        raise EInvoiceError(
            filename,
            "ce PDF ne contient pas de facture électronique (aucun fichier factur-x.xml ou "
            "zugferd-invoice.xml joint) : c'est une facture PDF ordinaire, à ajouter comme pièce.",
        )
    return xml


def parse_xml(xml: bytes, filename: str) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network, bounded size."""
    if len(xml) > MAX_XML_BYTES:
        raise EInvoiceError(filename, f"le XML dépasse {size_words(MAX_XML_BYTES)} : ce n'est pas une facture.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise EInvoiceError(filename, f"le XML est mal formé (erreur ligne {error.lineno}).") from error
    if root is None:
        raise EInvoiceError(filename, "le XML est vide.")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise EInvoiceError(
            filename, "le XML contient une déclaration DTD ou d'entités, refusée par sécurité (une facture n'en a pas)."
        )
    return root


def size_words(limit: int) -> str:
    """A size bound in French words: "5 Mo", "64 Ko"."""
    return f"{limit / (1024 * 1024):g} Mo" if limit >= 1024 * 1024 else f"{limit // 1024} Ko"


def _flavor(root: etree._Element, filename: str) -> str:
    """CII (Factur-X) or UBL Invoice / CreditNote, from the root's qualified name."""
    if root.tag == CII_ROOT:
        return "factur-x"
    if root.tag in UBL_ROOTS:
        return UBL_ROOTS[root.tag]
    if isinstance(root.tag, str) and root.tag.endswith(ZUGFERD1_ROOT):
        raise EInvoiceError(filename, "c'est une facture ZUGFeRD 1.0, format ancien que Dûment ne lit pas.")
    tag = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    raise EInvoiceError(
        filename, f"ce XML (« {tag} ») n'est pas une facture électronique CII (Factur-X) ou UBL (Invoice, CreditNote)."
    )


def _terms(root: etree._Element, flavor: str, filename: str) -> dict[str, Any]:
    """The EN 16931 business terms as factur-x reads them (BT-1, BG-4…)."""
    import facturx
    from facturx.parse_xml import parse_ubl_cii_xml

    try:
        level = facturx.get_level(root, flavor)
    except Exception:  # an unknown profile: read every term the file has
        level = "extended"
    try:
        terms = parse_ubl_cii_xml(root, flavor=flavor, level=level, check_xsd=False)
    except Exception as error:  # factur-x raises bare Exceptions on odd content
        raise EInvoiceError(filename, f"la facture ne peut pas être lue ({error}).") from error
    terms["_level"] = level
    return terms


def _to_einvoice(t: dict[str, Any], flavor: str, filename: str) -> EInvoice:
    """The claim's view of the terms; the number, date and total are indispensable."""
    number, issued = _text(t.get("BT-1")), t.get("BT-2")
    total = _amount(t.get("BT-112"))
    if total is None and t.get("BT-115") is not None:
        total = (_amount(t.get("BT-115")) or Decimal(0)) + (_amount(t.get("BT-113")) or Decimal(0))
    lacking = [w for w, v in (("numéro", number), ("date", issued), ("montant TTC", total)) if v in (None, "")]
    if lacking or not isinstance(issued, date):
        raise EInvoiceError(filename, f"la facture n'indique pas son {', '.join(lacking) or 'date'} : illisible.")
    type_code = _text(t.get("BT-3")) or ("381" if flavor == "ubl-2.1-creditnote" else "380")
    credit = type_code in CREDIT_NOTE_TYPES or flavor == "ubl-2.1-creditnote" or total < 0
    if not credit and type_code not in INVOICE_TYPES:
        raise EInvoiceError(filename, f"document de type {type_code}, ni une facture ni un avoir.")
    prepaid = _amount(t.get("BT-113")) or Decimal(0)
    return EInvoice(
        source=filename,
        flavor=flavor,
        level=t.get("_level"),
        type_code=type_code,
        credit_note=credit,
        number=number,
        issued=issued,
        amount=abs(total),
        prepaid=abs(prepaid),
        currency=_text(t.get("BT-5")) or "EUR",
        seller=_party(t.get("BG-4") or {}),
        buyer=_party(t.get("BG-7") or {}),
        due=_day(t.get("BT-9")),
        performed=_day(t.get("BT-72")),
        description=_description(t),
        order_ref=_text(t.get("BT-13")),
        contract_ref=_text(t.get("BT-12")),
        preceding=tuple(n for n in (_text(r.get("BT-25")) for r in t.get("BG-3") or []) if n),
        notes=tuple(_note(n) for n in t.get("BG-1") or [] if _text(n.get("BT-22"))),
        payment_terms=_text(t.get("BT-20")),
        iban=_iban(t.get("BT-84")),
    )


def _party(p: dict[str, Any]) -> EParty:
    """Name, address, SIREN (from a SIRET or scheme 0002) and e-mail of a trade party."""
    siren, problem = _siren(p)
    country = (_text(p.get("country_code")) or "").upper() or None
    return EParty(
        name=_text(p.get("name")) or _text(p.get("biz_name")),
        line1=_text(p.get("addr_l1")),
        line2=" ".join(x for x in (_text(p.get("addr_l2")), _text(p.get("addr_l3"))) if x) or None,
        postcode=_text(p.get("postcode")),
        city=_text(p.get("city")),
        country="FR" if country in OVERSEAS else country,
        siren=siren,
        siren_problem=problem,
        email=_email(p),
    )


def _siren(p: dict[str, Any]) -> tuple[str | None, str | None]:
    """The SIREN: scheme 0002 legal id (SIREN or SIRET), else a SIRET among the identifiers."""
    candidates = []
    if p.get("legal_identifier") and p.get("legal_identifier_schemeid") in (None, "0002", "0009"):
        candidates.append(str(p["legal_identifier"]))
    ids = p.get("identifiers") or {}
    candidates += [str(v) for k, v in ids.items() if k in ("0002", "0009")]
    for raw in candidates:
        digits = re.sub(r"\s", "", raw)
        if len(digits) == 14 and stdnum_siret.is_valid(digits):
            return digits[:9], None
        if len(digits) == 9 and stdnum_siren.is_valid(digits):
            return digits, None
        if digits.isdigit() and len(digits) in (9, 14) and stdnum_siren.is_valid(digits[:9]):
            return digits[:9], None
    if candidates:
        return None, f"identifiant « {candidates[0]} » qui n'est pas un SIREN ou SIRET valide"
    return None, None


def _email(p: dict[str, Any]) -> str | None:
    """The party's e-mail: its electronic address (scheme EM) or a contact's."""
    if p.get("einvoicing_addr_schemeid") == "EM" and "@" in str(p.get("einvoicing_addr") or ""):
        return str(p["einvoicing_addr"]).strip()
    for contact in p.get("contacts") or []:
        email = _text(contact.get("email"))
        if email and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            return email
    return None


def _description(t: dict[str, Any]) -> str | None:
    """The items sold (line names), in a few words."""
    names = []
    for line in t.get("BG-25") or []:
        name = _text(line.get("BT-153"))
        if name and name not in names:
            names.append(name)
    text = ", ".join(names)
    return (text[:117] + "…" if len(text) > 120 else text) or None


def _note(n: dict[str, Any]) -> str:
    code, text = _text(n.get("BT-21")), _text(n.get("BT-22")) or ""
    return f"{code}: {text}" if code else text


def _iban(value: Any) -> str | None:
    raw = _text(value)
    return stdnum_iban.compact(raw) if raw and stdnum_iban.is_valid(raw) else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number.quantize(_CENT) if number.is_finite() else None
