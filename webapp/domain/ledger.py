"""The account of each invoice: due date, payments imputed, interest, indemnity.

A payment made on an invoice settles first the interest accrued on it at that date,
then its principal (art. 1343-1 C. civ.). A payment that names no invoice is imputed as
art. 1342-10 C. civ. says: debts already due first, the oldest first, proportionally
between debts in the same position. The 40 € indemnity is never settled by a payment.
A credit note (avoir) is no payment: it lowers the principal of the invoice it names from
its date, settles no interest and does not interrupt prescription.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from .claim import Claim, CreditNote, Invoice, Payment
from .dates import ONE_DAY
from .errors import ClaimError
from .interest import Period, RatePlan, accrue
from .money import CENT, ZERO
from .parameters import Parameters, Value, confidence_note
from .parties import B2B, CIVIL, CONSUMER, PUBLIC, Regime, Standing


@dataclass(frozen=True)
class Imputation:
    """The part of one payment imputed to one invoice."""

    payment_index: int
    date: date
    to_interest: Decimal
    to_principal: Decimal
    assigned: bool  # named the invoice, rather than imputed by law


@dataclass(frozen=True)
class CreditApplied:
    """One credit note, lowering one invoice's principal from its date."""

    credit_index: int
    number: str
    date: date
    amount: Decimal
    assigned: bool  # named the invoice, rather than taken by the oldest unpaid one


@dataclass(slots=True)
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
    indemnity_uncertain: bool = False  # the amount rests on a value not fully verified
    settled_on: date | None = None
    cursor: date | None = None  # next day that has not borne interest yet
    interest_accrued: Decimal = ZERO  # sum of the periods' interest
    interest_paid: Decimal = ZERO  # interest settled by payments
    credits: list[CreditApplied] = field(default_factory=list)

    @property
    def interest(self) -> Decimal:
        """Interest still due: accrued minus what payments settled."""
        return self.interest_accrued - self.interest_paid

    @property
    def paid(self) -> Decimal:
        return sum((i.to_interest + i.to_principal for i in self.imputations), ZERO)

    @property
    def credited(self) -> Decimal:
        """Principal removed by credit notes."""
        return sum((c.amount for c in self.credits), ZERO)

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


def due_date(invoice: Invoice, params: Parameters, kind: Regime) -> tuple[date, str | None]:
    """The invoice's due date, or the legal default (for the regime ``kind``) with the reason it applies."""
    if invoice.due is not None:
        return invoice.due, None
    if kind is B2B:
        days = params.at("default_payment_term_days", invoice.performed_on).value
        due = invoice.performed_on + timedelta(days=days)
        return due, (
            f"Aucune échéance n'est indiquée : le délai légal de {days} jours après la "
            f"livraison ou la prestation s'applique (art. L441-10 I C. com.)."
        )
    if kind is PUBLIC:
        days = params.at("public_payment_term_days", invoice.issued).value
        receipt = params.at("public_request_receipt_presumption_days", invoice.issued).value
        due = invoice.issued + timedelta(days=receipt + days)
        return due, (
            f"Aucune échéance n'est indiquée : un acheteur public dispose de {days} jours "
            f"(art. R2192-10 du code de la commande publique) à compter de la réception "
            f"de la facture, présumée {receipt} jours après sa date faute de preuve "
            f"(art. R2192-12)."
        )
    return invoice.issued, (
        "Aucune échéance n'est indiquée : sans terme convenu, la facture est "
        "exigible dès qu'elle est émise (art. 1305 C. civ. a contrario) ; "
        "la date de la facture est retenue."
    )


def interest_stop(claim: Claim, invoice: Invoice, as_of: date) -> date:
    """Last day that may bear interest: the as-of date, or the eve of the opening judgment.

    The judgment stops interest on claims born before it (L622-28 C. com.) and takes
    effect from 0 h on its date (R621-4); claims born after it keep bearing interest.
    """
    p = claim.debtor.proceedings
    if p.kind != "none" and p.opened and invoice.performed_on < p.opened:
        return min(as_of, p.opened - ONE_DAY)
    return as_of


def build_accounts(claim: Claim, params: Parameters, as_of: date, parties: Standing) -> list[InvoiceAccount]:
    """Every invoice's account on ``as_of``; raises ClaimError for an overpayment."""
    kind = parties.regime
    accounts = []
    for inv in claim.invoices:
        due, reason = due_date(inv, params, kind)
        plan = RatePlan(claim, inv, due, params, kind)
        accounts.append(InvoiceAccount(inv, due, reason, plan, inv.amount, cursor=plan.first_day()))
    stops = {a.invoice.number: interest_stop(claim, a.invoice, as_of) for a in accounts}
    by_number = {a.invoice.number: [a] for a in accounts}  # a payment names at most one invoice
    for index, payment in _events(claim, as_of):
        if isinstance(payment, CreditNote):
            _credit(index, payment, accounts, stops)
            continue
        # Only the invoices a payment may reach need their interest brought up to date,
        # so that a period is cut only where its principal changes.
        reached = accounts if payment.invoice is None else by_number.get(payment.invoice, [])
        for account in reached:
            _bring_to(account, min(payment.date, stops[account.invoice.number]))
        _impute(index, payment, reached)
    for account in accounts:
        _bring_to(account, stops[account.invoice.number])
        _set_indemnity(claim, account, params, stops[account.invoice.number], kind)
    return accounts


def _events(claim: Claim, as_of: date) -> list[tuple[int, Payment | CreditNote]]:
    """Payments and credit notes up to ``as_of`` in date order; a day's credit notes first."""
    payments = sorted((p for p in enumerate(claim.payments) if p[1].date <= as_of), key=lambda p: p[1].date)
    if not claim.credit_notes:
        return payments
    credits = [c for c in enumerate(claim.credit_notes) if c[1].date <= as_of]
    return sorted([*credits, *payments], key=lambda e: (e[1].date, not isinstance(e[1], CreditNote)))


def _credit(index: int, note: CreditNote, accounts: list[InvoiceAccount], stops: dict[str, date]) -> None:
    """Lower the principal of the invoice the credit note names (else the oldest unpaid) from its date."""
    if note.invoice is not None:
        account = next(a for a in accounts if a.invoice.number == note.invoice)
    else:
        unpaid = [a for a in accounts if a.principal > 0]
        account = min(unpaid, key=lambda a: a.invoice.issued) if unpaid else None
    if account is None or note.amount > account.principal:
        where = f"la facture {account.invoice.number}" if account else "les factures"
        rest = account.principal if account else ZERO
        raise ClaimError(
            [
                (
                    f"credit_notes[{index}].amount",
                    f"cet avoir de {note.amount} € dépasse le principal restant dû sur {where} "
                    f"({rest} €) le {note.date.isoformat()}",
                )
            ]
        )
    _bring_to(account, min(note.date - ONE_DAY, stops[account.invoice.number]))
    account.credits.append(CreditApplied(index, note.number, note.date, note.amount, note.invoice is not None))
    account.principal -= note.amount
    if account.principal == 0 and account.settled_on is None:
        account.settled_on = note.date


def _bring_to(account: InvoiceAccount, day: date) -> None:
    """Accrue interest on the account up to ``day`` inclusive."""
    if account.cursor is None or account.cursor > day:
        return
    periods = accrue(account.plan, account.principal, account.cursor, day)
    account.periods += periods
    account.interest_accrued += sum([p.interest for p in periods], ZERO)
    account.cursor = day + ONE_DAY


def _impute(index: int, payment: Payment, accounts: list[InvoiceAccount]) -> None:
    """Spread one payment over the invoices, as the payer said or as the law says."""
    # A payment naming its invoice reaches it alone (build_accounts looked it up).
    targets = [accounts] if payment.invoice is not None else _legal_order(accounts, payment.date)
    rest = payment.amount
    for group in targets:
        rest = _pay_group(index, payment, group, rest)
        if rest == 0:
            return
    target = f"sur la facture {payment.invoice}" if payment.invoice else "sur l'ensemble des factures"
    raise ClaimError(
        [
            (
                f"payments[{index}].amount",
                f"ce paiement de {payment.amount} € dépasse de {rest} € ce qui restait dû "
                f"{target} (principal et intérêts) le {payment.date.isoformat()}",
            )
        ]
    )


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
    shares = [a.balance for a in group] if rest >= total else _proportional(rest, group, total)
    for account, share in zip(group, shares, strict=True):
        _apply(index, payment, account, share)
    return rest - sum(shares, ZERO)


def _proportional(rest: Decimal, group: list[InvoiceAccount], total: Decimal) -> list[Decimal]:
    """Split ``rest`` in proportion to the balances, to the cent (largest remainders first)."""
    exact = [rest * a.balance / total for a in group]
    shares = [x.quantize(CENT, ROUND_DOWN) for x in exact]
    order = sorted(range(len(group)), key=lambda i: exact[i] - shares[i], reverse=True) if len(group) > 1 else (0,)
    left = rest - sum(shares, ZERO)
    for i in order:
        if left <= 0:
            break
        if shares[i] < group[i].balance:
            shares[i] += CENT
            left -= CENT
    return shares


def _apply(index: int, payment: Payment, account: InvoiceAccount, amount: Decimal) -> None:
    """Settle interest first, then principal (art. 1343-1 C. civ.)."""
    to_interest = min(amount, account.interest)
    to_principal = min(amount - to_interest, account.principal)
    account.imputations.append(Imputation(index, payment.date, to_interest, to_principal, payment.invoice is not None))
    account.principal -= to_principal
    account.interest_paid += to_interest
    if account.principal == 0 and account.settled_on is None:
        account.settled_on = payment.date


def _set_indemnity(claim: Claim, account: InvoiceAccount, params: Parameters, late_on: date, kind: Regime) -> None:
    """The 40 € flat fee for an invoice late on ``late_on`` (the as-of date, or the eve of the
    opening judgment for a claim born before it), where the law grants it."""
    if kind is CONSUMER or kind is CIVIL:
        if claim.terms.recovery_indemnity and kind is CONSUMER:
            account.indemnity_reason = (
                "L'indemnité forfaitaire de 40 € ne peut pas être demandée à un consommateur (art. L111-8 CPCE)."
            )
        return
    if claim.terms.recovery_indemnity is False or account.days_late(late_on) <= 0:
        return
    name = "public_recovery_indemnity" if kind is PUBLIC else "recovery_indemnity"
    value = params.at(name, account.due + ONE_DAY)
    account.indemnity, account.indemnity_reason, account.indemnity_uncertain = _indemnity(name, value, params)


def _indemnity(name: str, value: Value, params: Parameters) -> tuple[Decimal, str, bool]:
    """The amount of a flat fee, its reason and whether it is uncertain, for one dated value.

    They depend only on the value, which few dates share: memoized like the rates.
    """
    key = ("indemnity", name, value.start, value.provisional)
    found = params.memo.get(key)
    if found is None:
        amount = value.value.quantize(CENT)
        reason = (
            f"Indemnité forfaitaire pour frais de recouvrement de "
            f"{amount} € due de plein droit ({value.cite}){confidence_note(value)}."
        )
        found = params.memo[key] = (amount, reason, bool(confidence_note(value)))
    return found
