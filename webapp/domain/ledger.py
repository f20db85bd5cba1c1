"""The account of each invoice: due date, payments imputed, interest, indemnity.

A payment made on an invoice settles first the interest accrued on it at that date,
then its principal (art. 1343-1 C. civ.). A payment that names no invoice is imputed as
art. 1342-10 C. civ. says: debts already due first, the oldest first, proportionally
between debts in the same position. The 40 € indemnity is never settled by a payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from .claim import Claim, Invoice, Payment
from .errors import ClaimError
from .interest import Period, RatePlan, accrue
from .money import CENT, ZERO, to_cents
from .parameters import Parameters
from .parties import Regime, regime


@dataclass(frozen=True)
class Imputation:
    """The part of one payment imputed to one invoice."""

    payment_index: int
    date: date
    to_interest: Decimal
    to_principal: Decimal
    assigned: bool  # named the invoice, rather than imputed by law


@dataclass
class InvoiceAccount:
    """Where one invoice stands on the as-of date."""

    invoice: Invoice
    due: date
    due_reason: str | None  # set when the legal default due date was applied
    plan: RatePlan
    principal: Decimal
    periods: list[Period] = field(default_factory=list)
    imputations: list[Imputation] = field(default_factory=list)
    indemnity: Decimal = ZERO
    indemnity_reason: str | None = None
    settled_on: date | None = None
    cursor: date | None = None  # next day that has not borne interest yet

    @property
    def interest_accrued(self) -> Decimal:
        return sum((p.interest for p in self.periods), ZERO)

    @property
    def interest_paid(self) -> Decimal:
        return sum((i.to_interest for i in self.imputations), ZERO)

    @property
    def interest(self) -> Decimal:
        """Interest still due: accrued minus what payments settled."""
        return self.interest_accrued - self.interest_paid

    @property
    def paid(self) -> Decimal:
        return sum((i.to_interest + i.to_principal for i in self.imputations), ZERO)

    @property
    def provisional(self) -> bool:
        return any(p.provisional for p in self.periods)

    @property
    def balance(self) -> Decimal:
        """Principal and interest still due (the 40 € apart)."""
        return self.principal + self.interest

    def days_late(self, as_of: date) -> int:
        end = as_of if self.principal > 0 or self.settled_on is None else self.settled_on
        return max(0, (end - self.due).days)


def due_date(claim: Claim, invoice: Invoice, params: Parameters) -> tuple[date, str | None]:
    """The invoice's due date, or the legal default with the reason it applies."""
    if invoice.due is not None:
        return invoice.due, None
    kind = regime(claim)
    if kind is Regime.B2B:
        days = params.at("default_payment_term_days", invoice.performed_on).value
        due = invoice.performed_on + timedelta(days=days)
        return due, (f"Aucune échéance n'est indiquée : le délai légal de {days} jours après la "
                     f"livraison ou la prestation s'applique (art. L441-10 I C. com.).")
    if kind is Regime.PUBLIC:
        days = params.at("public_payment_term_days", invoice.issued).value
        due = invoice.issued + timedelta(days=days)
        return due, (f"Aucune échéance n'est indiquée : un acheteur public dispose de {days} jours "
                     f"(art. R2192-10 du code de la commande publique), comptés ici depuis la "
                     f"date de la facture faute de date de réception.")
    return invoice.issued, ("Aucune échéance n'est indiquée : sans terme convenu, la facture est "
                            "payable dès sa réception (art. 1305 C. civ. a contrario).")


def interest_stop(claim: Claim, as_of: date) -> date:
    """Last day that may bear interest: the as-of date, or the opening judgment (L622-28 C. com.)."""
    proceedings = claim.debtor.proceedings
    if proceedings.kind != "none" and proceedings.opened and proceedings.opened < as_of:
        return proceedings.opened
    return as_of


def build_accounts(claim: Claim, params: Parameters, as_of: date) -> list[InvoiceAccount]:
    """Every invoice's account on ``as_of``; raises ClaimError for an overpayment."""
    accounts = []
    for inv in claim.invoices:
        due, reason = due_date(claim, inv, params)
        plan = RatePlan(claim, inv, due, params)
        accounts.append(InvoiceAccount(inv, due, reason, plan, inv.amount, cursor=plan.first_day()))
    stop = interest_stop(claim, as_of)
    payments = sorted(
        (p for p in enumerate(claim.payments) if p[1].date <= as_of), key=lambda p: p[1].date
    )
    for index, payment in payments:
        for account in accounts:
            _bring_to(account, min(payment.date, stop))
        _impute(index, payment, accounts)
    for account in accounts:
        _bring_to(account, stop)
        _set_indemnity(claim, account, params, as_of)
    return accounts


def _bring_to(account: InvoiceAccount, day: date) -> None:
    """Accrue interest on the account up to ``day`` inclusive."""
    if account.cursor is None or account.cursor > day:
        return
    account.periods += accrue(account.plan, account.principal, account.cursor, day)
    account.cursor = day + timedelta(days=1)


def _impute(index: int, payment: Payment, accounts: list[InvoiceAccount]) -> None:
    """Spread one payment over the invoices, as the payer said or as the law says."""
    if payment.invoice is not None:
        targets = [[a for a in accounts if a.invoice.number == payment.invoice]]
    else:
        targets = _legal_order(accounts, payment.date)
    rest = payment.amount
    for group in targets:
        rest = _pay_group(index, payment, group, rest)
        if rest == 0:
            return
    owed = sum((a.balance for a in accounts), ZERO)
    where = f"payments[{index}].amount"
    raise ClaimError([(where, f"ce paiement de {payment.amount} € dépasse de {rest} € ce qui "
                              f"restait dû le {payment.date.isoformat()} (factures et intérêts : "
                              f"{to_cents(owed + payment.amount - rest)} €)")])


def _legal_order(accounts: list[InvoiceAccount], on: date) -> list[list[InvoiceAccount]]:
    """Groups of invoices in the order of art. 1342-10 C. civ.: due first, oldest first."""
    open_accounts = [a for a in accounts if a.balance > 0]
    key = lambda a: (a.due > on, a.due)  # noqa: E731 - a sort key
    groups: dict[tuple, list[InvoiceAccount]] = {}
    for account in sorted(open_accounts, key=key):
        groups.setdefault(key(account), []).append(account)
    return list(groups.values())


def _pay_group(index: int, payment: Payment, group: list[InvoiceAccount], rest: Decimal) -> Decimal:
    """Pay a group of equal-rank invoices, proportionally when the payment falls short."""
    total = sum((a.balance for a in group), ZERO)
    if total <= 0:
        return rest
    if rest >= total:
        shares = [a.balance for a in group]
    else:
        shares = [(rest * a.balance / total).quantize(CENT, rounding=ROUND_DOWN) for a in group]
        shares[-1] += rest - sum(shares, ZERO)
    for account, share in zip(group, shares, strict=True):
        _apply(index, payment, account, share)
    return rest - sum(shares, ZERO)


def _apply(index: int, payment: Payment, account: InvoiceAccount, amount: Decimal) -> None:
    """Settle interest first, then principal (art. 1343-1 C. civ.)."""
    to_interest = min(amount, account.interest)
    to_principal = min(amount - to_interest, account.principal)
    account.imputations.append(Imputation(index, payment.date, to_interest, to_principal,
                                          payment.invoice is not None))
    account.principal -= to_principal
    if account.principal == 0 and account.settled_on is None:
        account.settled_on = payment.date


def _set_indemnity(claim: Claim, account: InvoiceAccount, params: Parameters, as_of: date) -> None:
    """The 40 € flat fee for a late invoice, where the law grants it."""
    kind = regime(claim)
    late = account.days_late(as_of) > 0
    if kind in (Regime.CONSUMER, Regime.CIVIL):
        if claim.terms.recovery_indemnity and kind is Regime.CONSUMER:
            account.indemnity_reason = ("L'indemnité forfaitaire de 40 € ne peut pas être "
                                        "demandée à un consommateur (art. L111-8 CPCE).")
        return
    if claim.terms.recovery_indemnity is False or not late:
        return
    name = "public_recovery_indemnity" if kind is Regime.PUBLIC else "recovery_indemnity"
    value = params.at(name, account.due + timedelta(days=1))
    account.indemnity = value.value.quantize(CENT)
    account.indemnity_reason = (f"Indemnité forfaitaire pour frais de recouvrement de "
                                f"{account.indemnity} € due de plein droit ({value.reference}).")
