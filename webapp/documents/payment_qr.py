"""The SEPA payment QR code (EPC069-12) printed on letters, so the debtor pays in one scan.

Banking apps read the creditor's name, IBAN, the exact amount and the reference from it.
Built only where a template asks for it (each code costs a few milliseconds).
"""

from __future__ import annotations

from decimal import Decimal

from segno import helpers

from ..domain.money import to_cents

# EPC069-12 limits: the amount, the beneficiary's name and the unstructured remittance text.
_MIN, _MAX = Decimal("0.01"), Decimal("999999999.99")
_NAME_MAX, _TEXT_MAX = 70, 140


def epc_code(name: str, iban: str, amount: Decimal, reference: str):
    """The EPC QR code for this payment, or None when the amount cannot be paid by one transfer.

    The amount is rounded to the cent half up, as the letter prints it.
    """
    amount = to_cents(Decimal(amount)) if amount is not None else None
    if not iban or amount is None or not _MIN <= amount <= _MAX:
        return None
    return helpers.make_epc_qr(
        name=name[:_NAME_MAX],
        iban=iban.replace(" ", "").replace("\u00a0", ""),
        amount=amount,
        text=reference[:_TEXT_MAX],
    )


def epc_data_uri(name: str, iban: str | None, amount: Decimal, reference: str) -> str | None:
    """The code as an SVG ``data:`` URI for the PDF renderer (which fetches nothing else)."""
    qr = epc_code(name, iban or "", amount, reference)
    return qr.svg_data_uri(scale=4, border=2) if qr is not None else None
