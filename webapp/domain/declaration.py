"""The déclaration de créance of a debtor in collective proceedings: which invoices are
declared and by when (art. L622-24 and R622-24 C. com.).

Only claims born before the opening judgment are declared; later ones are paid at their due
date (art. L622-17). The deadline runs from the BODACC publication, doubled for a creditor
established outside metropolitan France.
"""

from __future__ import annotations

from datetime import date

from .claim import Claim
from .dates import add_months
from .ledger import InvoiceAccount
from .parameters import Parameters


def declaration_months(claim: Claim, params: Parameters, on: date) -> int:
    """The months allowed to declare, for this creditor (R622-24 C. com.)."""
    months = params.at("declaration_deadline_months", on).value
    if not claim.creditor.address.metropolitan:
        months *= int(params.at("declaration_deadline_abroad_multiplier", on).value)
    return months


def declaration_deadline(claim: Claim, params: Parameters) -> date | None:
    """The last day to declare; None when the publication date is not known."""
    published = claim.debtor.proceedings.published
    if published is None:
        return None
    return add_months(published, declaration_months(claim, params, published))


def declared_accounts(claim: Claim, accounts) -> tuple[InvoiceAccount, ...]:
    """The accounts to declare: born before the opening judgment, something still due."""
    opened = claim.debtor.proceedings.opened
    if claim.debtor.proceedings.kind == "none" or opened is None:
        return ()
    return tuple(a for a in accounts if a.invoice.performed_on < opened and a.balance + a.indemnity > 0)
