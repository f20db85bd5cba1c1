"""From a ledger's client to a claim: the invoices chosen, with what settled them and the lettering.

A FEC says who owes which invoice and what was paid; it does not say the debtor's address,
its SIREN or its kind, which the person completes in the dossier afterwards.
"""

from __future__ import annotations

from typing import Any

from .claim import Claim
from .receivables import CREDIT_NOTE, Client

# Whether this version of the claim format has credit notes (the contract's "Credit notes"
# section); without them an avoir reduces the amount claimed, and the invoice says so.
CREDIT_NOTES = "credit_notes" in Claim.__dataclass_fields__


def claim_data(client: Client, numbers: set[str], creditor: dict[str, Any] | None = None) -> dict[str, Any]:
    """Claim-file data for the chosen invoices of ``client``: invoices, payments, credit notes."""
    invoices, payments, credit_notes = [], [], []
    for r in client.invoices:
        if r.number not in numbers:
            continue
        amount = r.amount
        notes = []
        for s in r.settlements:
            if s.kind == CREDIT_NOTE and CREDIT_NOTES:
                number = s.reference or f"AV-{r.number}"
                note = {"number": number, "date": s.date.isoformat(), "amount": str(s.amount), "invoice": r.number}
                credit_notes.append(note)
            elif s.kind == CREDIT_NOTE:
                amount -= s.amount
                notes.append(f"avoir {s.reference} du {s.date:%d/%m/%Y} de {s.amount} € déduit")
            else:
                payment = {"date": s.date.isoformat(), "amount": str(s.amount)}
                if s.lettered:
                    payment["invoice"] = r.number  # lettered: the accountant matched it to this invoice
                payments.append(payment)
        # A FEC carries no due date: the one given by the payment terms the person stated on import
        invoice = {"number": r.number, "issued": r.issued.isoformat(), "due": r.due.isoformat(), "amount": str(amount)}
        if notes:
            invoice["description"] = "Montant net : " + " ; ".join(notes)
        invoices.append(invoice)
    data: dict[str, Any] = {"debtor": {"name": client.name}, "invoices": invoices}
    if creditor:
        data = {"creditor": dict(creditor), **data}
    if payments:
        data["payments"] = sorted(payments, key=lambda p: p["date"])
    if credit_notes:
        data["credit_notes"] = credit_notes
    return data


def add_to_claim(claim: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A dossier's claim with more of the same client's ledger invoices, and the numbers added.

    ``new`` is ``claim_data`` of invoices not yet in the dossier (an unlettered payment names
    no invoice); one already there (same number) is skipped with what settled it, so what
    the person corrected in the dossier stays.
    """
    known = {inv.get("number") for inv in claim.get("invoices", [])}
    invoices = [inv for inv in new.get("invoices", []) if inv["number"] not in known]
    merged = dict(claim)
    merged["invoices"] = [*claim.get("invoices", []), *invoices]
    payments = [p for p in new.get("payments", []) if p.get("invoice") not in known]
    if payments:
        merged["payments"] = sorted([*claim.get("payments", []), *payments], key=lambda p: p["date"])
    credit_notes = [n for n in new.get("credit_notes", []) if n.get("invoice") not in known]
    if credit_notes:
        merged["credit_notes"] = [*claim.get("credit_notes", []), *credit_notes]
    return merged, [inv["number"] for inv in invoices]
