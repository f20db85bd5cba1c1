"""A small FEC of two clients, written in each dialect real accounting software uses.

On 2026-11-23 (terms 30 days) it holds, by construction:
- Boulangerie Martin SAS (411MARTIN): F-2026-001 (1 200 €, 1 March) paid 15 April, lettered AA,
  15 days late; F-2026-010 (3 000 €, 1 June) open, 145 days late; F-2026-020 (500 €,
  1 November) partly lettered AB with a 200 € payment and a 100 € credit note: 200 € open,
  not yet due.
- Garage Durand (411DURAND): F-2026-005 (800 €, 1 September) with an unlettered 300 € payment;
  F-2026-006 (400 €, 15 October); a 400 € payment of 20 November lettered AC on
  25 November (after the as-of date: not lettered yet on the 23rd, so imputed to the oldest
  invoice); F-2026-030 dated 1 December (after the as-of date: ignored).
"""

from __future__ import annotations

HEADER = [
    *("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum"),
    *("CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet"),
    *("ValidDate", "Montantdevise", "Idevise"),
]

MARTIN = ("411000", "Clients", "411MARTIN", "Boulangerie Martin SAS")
DURAND = ("411000", "Clients", "411DURAND", "Garage Durand")


def _sale(num, day, client, ref, amount, letter="", date_let=""):
    """A sales entry: the client debited, revenue and VAT credited."""
    ht = round(amount / 1.2, 2)
    vat = round(amount - ht, 2)
    label = f"Facture {ref}"
    return [
        ("VT", "Ventes", num, day, *client, ref, day, label, amount, 0, letter, date_let),
        ("VT", "Ventes", num, day, "706000", "Prestations", "", "", ref, day, label, 0, ht, "", ""),
        ("VT", "Ventes", num, day, "445710", "TVA collectée", "", "", ref, day, label, 0, vat, "", ""),
    ]


def _credit_note(num, day, client, ref, amount, letter=""):
    ht = round(amount / 1.2, 2)
    vat = round(amount - ht, 2)
    label = f"Avoir {ref}"
    return [
        ("VT", "Ventes", num, day, *client, ref, day, label, 0, amount, letter, day),
        ("VT", "Ventes", num, day, "706000", "Prestations", "", "", ref, day, label, ht, 0, "", ""),
        ("VT", "Ventes", num, day, "445710", "TVA collectée", "", "", ref, day, label, vat, 0, "", ""),
    ]


def _payment(num, day, client, ref, amount, letter="", date_let=""):
    return [
        ("BQ", "Banque", num, day, *client, ref, day, f"Règlement {ref}", 0, amount, letter, date_let),
        ("BQ", "Banque", num, day, "512000", "Banque", "", "", ref, day, f"Règlement {ref}", amount, 0, "", ""),
    ]


def entries() -> list[tuple]:
    """The sample's lines, in date order, as (18 - 3) values before ValidDate and the currency."""
    return [
        *_sale("VT1", "20260301", MARTIN, "F-2026-001", 1200.0, "AA", "20260416"),
        *_payment("BQ1", "20260415", MARTIN, "VIR-0415", 1200.0, "AA", "20260416"),
        *_sale("VT2", "20260601", MARTIN, "F-2026-010", 3000.0),
        *_sale("VT3", "20260901", DURAND, "F-2026-005", 800.0),
        *_sale("VT4", "20261015", DURAND, "F-2026-006", 400.0, "AC", "20261125"),
        *_payment("BQ2", "20261015", DURAND, "VIR-1015", 300.0),
        *_sale("VT5", "20261101", MARTIN, "F-2026-020", 500.0, "AB", "20261110"),
        *_credit_note("VT6", "20261105", MARTIN, "AV-2026-001", 100.0, "AB"),
        *_payment("BQ3", "20261110", MARTIN, "VIR-1110", 200.0, "AB", "20261110"),
        *_payment("BQ4", "20261120", DURAND, "VIR-1120", 400.0, "AC", "20261125"),
        *_sale("VT7", "20261201", DURAND, "F-2026-030", 999.0),
    ]


def _amount(value: float, padded: bool, comma: bool) -> str:
    text = f"{value:.2f}"
    if padded:
        text = text.zfill(16)  # as Odoo writes them: 000000001200.00
    return text.replace(".", ",") if comma else text


def fec(sep="|", encoding="utf-8", bom=False, newline="\n", padded=False, comma=True, signed=False) -> bytes:
    """The sample as a file of one dialect: separator, encoding, BOM, line ends, amounts."""
    header = list(HEADER)
    if signed:
        header[11:13] = ["Montant", "Sens"]
    lines = [sep.join(header)]
    for row in entries():
        *head, debit, credit, letter, date_let = row
        if signed:
            amounts = [_amount(debit or credit, padded, comma), "D" if debit else "C"]
        else:
            amounts = [_amount(debit, padded, comma), _amount(credit, padded, comma)]
        lines.append(sep.join([*head, *amounts, letter, date_let, row[3], "", ""]))
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
