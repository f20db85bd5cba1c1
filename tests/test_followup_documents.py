"""The échéancier et reconnaissance de dette, and the SEPA payment QR code on the letters.

The QR code is read back from the rendered PDF with zbarimg (Debian's zbar-tools, installed
by ``scripts/setup.sh --test``) to the exact amount and reference (EPC069-12).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import BASE_CLAIM
from webapp.config import procedures_dir, static_dir, templates_dir
from webapp.documents.echeancier import split
from webapp.documents.render import DocumentUnavailable, availability, render_pdf
from webapp.domain.assessment import assess
from webapp.domain.claim import Proceedings
from webapp.domain.claim_file import claim_from_data
from webapp.domain.procedures import load_library

IBAN = "FR7630006000011234567890189"
pytestmark = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="module")
def zbarimg():
    """zbarimg decodes the codes; its absence is a failure, not a skip."""
    path = shutil.which("zbarimg")
    if path is None:
        pytest.fail("zbarimg missing: install Debian's zbar-tools (scripts/setup.sh --test does)")
    return path


@pytest.fixture(scope="module")
def lib():
    return load_library(procedures_dir())


def claim(iban=IBAN, **extra):
    data = copy.deepcopy(BASE_CLAIM)
    data["creditor"]["signatory"] = "Marie Dupont, gérante"
    if iban:
        data["creditor"]["iban"] = iban
    data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    data["invoices"] = [
        {"number": "F-2026-060", "issued": "2026-09-01", "due": "2026-10-01", "amount": "1200.00"},
        {"number": "F-2026-071", "issued": "2026-09-15", "due": "2026-10-15", "amount": "345.67"},
    ]
    data.update(extra)
    return claim_from_data(data)


def qr_payloads(pdf: bytes, tmp_path, zbarimg) -> list[list[str]]:
    """Every QR code on every page, each as its lines."""
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    codes = []
    for page in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run([zbarimg, "-q", "--raw", str(page)], capture_output=True, text=True, check=False)
        if out.stdout.strip():
            codes.append(out.stdout.rstrip("\n").split("\n"))
    return codes


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("\u202f", " ").replace("\xa0", " ").split())


def render(a, lib, doc):
    return render_pdf(doc, a, lib, templates_dir=templates_dir(), static_dir=static_dir())


def epc(lines):
    """The EPC069-12 fields: service tag, version, charset, SCT, BIC, name, IBAN, amount, purpose, ref, text."""
    lines = lines + [""] * (11 - len(lines))
    return dict(
        zip(
            ("tag", "version", "charset", "sct", "bic", "name", "iban", "amount", "purpose", "ref", "text"),
            lines,
            strict=False,
        )
    )


def test_relance_carries_a_sepa_qr_code_for_the_principal_and_the_invoice_numbers(lib, tmp_path, zbarimg):
    a = assess(claim(), lib, date(2026, 11, 23))
    (code,) = qr_payloads(render(a, lib, "relance"), tmp_path, zbarimg)
    fields = epc(code)
    assert (fields["tag"], fields["sct"], fields["iban"]) == ("BCD", "SCT", IBAN)
    assert fields["name"] == "Atelier Dupont SARL"
    assert fields["amount"] == "EUR1545.67" and Decimal(fields["amount"][3:]) == a.amounts.principal
    assert fields["text"] == "Factures F-2026-060, F-2026-071"


def test_mise_en_demeure_qr_code_asks_for_the_exact_total(lib, tmp_path, zbarimg):
    a = assess(claim(), lib, date(2026, 11, 23))
    (code,) = qr_payloads(render(a, lib, "mise-en-demeure"), tmp_path, zbarimg)
    total = a.amounts.total.quantize(Decimal("0.01"))
    assert total > a.amounts.principal  # penalties and the two 40 € are in it
    assert epc(code)["amount"].startswith("EUR") and Decimal(epc(code)["amount"][3:]) == total
    assert epc(code)["text"] == "Factures F-2026-060, F-2026-071"


def test_no_qr_code_without_an_iban(lib, tmp_path, zbarimg):
    a = assess(claim(iban=None), lib, date(2026, 11, 23))
    assert qr_payloads(render(a, lib, "mise-en-demeure"), tmp_path, zbarimg) == []


def test_echeancier_is_offered_only_when_a_plan_is_recorded_or_proposed(lib):
    a = assess(claim(), lib, date(2026, 11, 23))
    ok, reasons = availability(a, "echeancier")
    assert not ok and "négociation" in reasons[0]
    with pytest.raises(DocumentUnavailable):
        render(a, lib, "echeancier")
    proposed = assess(claim(negotiation={"max_instalments": 3}), lib, date(2026, 11, 23))
    assert availability(proposed, "echeancier") == (True, [])
    in_proceedings = claim(negotiation={"max_instalments": 3})
    debtor = replace(in_proceedings.debtor, proceedings=Proceedings("liquidation", date(2026, 11, 1)))
    ok, reasons = availability(assess(replace(in_proceedings, debtor=debtor), lib, date(2026, 11, 23)), "echeancier")
    assert not ok and "L622-7" in reasons[0]


def test_a_proposed_plan_splits_the_total_into_monthly_instalments_the_last_taking_the_cents():
    parts = split(Decimal("1000.00"), 3, date(2026, 1, 31))
    assert parts == [
        (date(2026, 1, 31), Decimal("333.33")),
        (date(2026, 2, 28), Decimal("333.33")),  # the last day of a shorter month
        (date(2026, 3, 31), Decimal("333.34")),
    ]


def test_recorded_plan_document_acknowledges_the_debt_and_its_qr_code_pays_the_next_instalment(lib, tmp_path, zbarimg):
    plan = {
        "agreed": "2026-11-25",
        "signed_by_debtor": True,
        "instalments": [
            {"due": "2026-12-10", "amount": "600.00"},
            {"due": "2027-01-10", "amount": "600.00"},
            {"due": "2027-02-10", "amount": "345.67"},
        ],
    }
    payments = [{"date": "2026-12-09", "amount": "600.00"}]
    a = assess(claim(history={"payment_plan": plan}, payments=payments), lib, date(2026, 12, 15))
    pdf = render(a, lib, "echeancier")
    text = pdf_text(pdf, tmp_path)
    assert "Échéancier de paiement et reconnaissance de dette".upper() in text.upper()
    assert "reconnaît devoir au créancier la somme de 1 545,67 €" in text
    assert "mille cinq cent quarante-cinq euros et soixante-sept centimes" in text
    assert "article 2240" in text and "1376" in text and "Bon pour reconnaissance de dette" in text
    assert "8 jours après une mise en demeure" in text
    assert "10 décembre 2026 (payée)" in text and "25 novembre 2026" in text
    (code,) = qr_payloads(pdf, tmp_path, zbarimg)
    assert epc(code)["amount"] == "EUR600"  # EPC069-12 amounts drop trailing zeros
    assert epc(code)["text"] == "Echeance 2/3 - Factures F-2026-060, F-2026-071"


def test_proposed_plan_document_leaves_the_signature_date_blank(lib, tmp_path, zbarimg):
    a = assess(claim(negotiation={"max_instalments": 4}), lib, date(2026, 11, 23))
    pdf = render(a, lib, "echeancier")
    text = pdf_text(pdf, tmp_path)
    assert "Proposition du 23 novembre 2026" in text and "[à compléter : date de signature]" in text
    assert "en 4 échéances" in text and "23 décembre 2026" in text
    (code,) = qr_payloads(pdf, tmp_path, zbarimg)
    first = split(a.amounts.total.quantize(Decimal("0.01")), 4, date(2026, 12, 23))[0][1]
    assert Decimal(epc(code)["amount"][3:]) == first


def test_the_qr_amount_is_rounded_half_up_like_the_letter(tmp_path, zbarimg):
    from webapp.documents.payment_qr import epc_code

    qr = epc_code("Atelier Dupont SARL", "FR76 3000 6000 0112 3456 7890 189", Decimal("10.005"), "Facture F-1")
    qr.save(str(tmp_path / "qr.png"), scale=4)
    out = subprocess.run([zbarimg, "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True, check=True)
    assert epc(out.stdout.rstrip("\n").split("\n"))["amount"] == "EUR10.01"
    assert epc_code("A", IBAN, Decimal("0"), "x") is None  # nothing to pay: no code
