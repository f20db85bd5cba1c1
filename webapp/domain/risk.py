"""How likely a client is not to pay, from facts only, each reason in plain French.

High: an amount more than 90 days late, collective proceedings, a client booked as
doubtful, a promise to pay not kept. Medium: an amount more than 30 days late, or a habit
of paying late. The thresholds are practice values kept in
``procedures/parameters/practice.yaml``, not legal ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .french import euros, short_date
from .money import ZERO
from .parameters import Parameters
from .receivables import PAYMENT, Client, Receivable

LOW, MEDIUM, HIGH = "low", "medium", "high"
PROCEEDINGS = {
    "sauvegarde": "procédure de sauvegarde",
    "redressement": "redressement judiciaire",
    "liquidation": "liquidation judiciaire",
}


@dataclass(frozen=True)
class Thresholds:
    """The practice values that grade a client's risk."""

    high_days: int  # an amount late by more than this is a high risk
    medium_days: int  # …by more than this, a medium one
    habit_days: float  # an amount-weighted average lateness above this is a habit…
    habit_invoices: int  # …once at least this many invoices were paid

    @classmethod
    def on(cls, params: Parameters, day: date) -> Thresholds:
        """The practice values in force on ``day``."""
        return cls(
            params.at("portfolio_high_risk_days_late", day).value,
            params.at("portfolio_medium_risk_days_late", day).value,
            float(params.at("portfolio_late_habit_days", day).value),
            params.at("portfolio_late_habit_min_invoices", day).value,
        )


@dataclass(frozen=True)
class Risk:
    """A level (low, medium, high) and every reason for it, in French."""

    level: str
    reasons: tuple[str, ...]


def assess_risk(
    client: Client,
    open_: list[Receivable],
    paid: list[Receivable],
    average: float | None,
    as_of: date,
    t: Thresholds,
) -> Risk:
    """The client's risk level and every reason for it."""
    high = _high(client, open_, as_of, t)
    medium = _medium(open_, paid, average, as_of, t)
    if high:
        return Risk(HIGH, tuple(high + medium))
    if medium:
        return Risk(MEDIUM, tuple(medium))
    return Risk(LOW, (_calm(open_, as_of),))


def _late_beyond(open_: list[Receivable], as_of: date, days: int) -> tuple[Decimal, date | None]:
    """How much is open more than ``days`` past due, and since when."""
    late = [r for r in open_ if (as_of - r.due).days > days]
    return sum((r.open for r in late), ZERO), min((r.due for r in late), default=None)


def _high(client: Client, open_: list[Receivable], as_of: date, t: Thresholds) -> list[str]:
    """The reasons for a high risk: very late amounts, proceedings, a doubtful client, broken promises."""
    reasons = []
    amount, since = _late_beyond(open_, as_of, t.high_days)
    if amount:
        reasons.append(
            f"{euros(amount)} impayés depuis plus de {t.high_days} jours "
            f"(échéance la plus ancienne : {short_date(since)})"
        )
    if client.proceedings in PROCEEDINGS:
        opened = f" depuis le {short_date(client.proceedings_opened)}" if client.proceedings_opened else ""
        reasons.append(
            f"Le client est en {PROCEEDINGS[client.proceedings]}{opened} : "
            "déclarez la créance au mandataire judiciaire dans le délai"
        )
    if client.doubtful:
        reasons.append("Votre comptabilité le classe en client douteux (compte 416)")
    reasons += _broken_promises(client, as_of)
    return reasons


def _broken_promises(client: Client, as_of: date) -> list[str]:
    """Promises whose date has passed without the amount promised being paid."""
    reasons = []
    outstanding = sum((r.open for r in client.invoices), ZERO)
    for p in client.promises:
        if p.pay_by >= as_of:
            continue
        settled = (s for r in client.invoices for s in r.settlements if s.kind == PAYMENT)
        paid = sum((s.amount for s in settled if p.made <= s.date <= p.pay_by), ZERO)
        broken = paid < p.amount if p.amount is not None else outstanding > 0
        if broken:
            what = f"de payer {euros(p.amount)}" if p.amount is not None else "de tout payer"
            reasons.append(f"Promesse {what} avant le {short_date(p.pay_by)} non tenue")
    return reasons


def _medium(open_, paid, average: float | None, as_of: date, t: Thresholds) -> list[str]:
    """The reasons for a medium risk: amounts late beyond the first threshold, a habit of paying late."""
    reasons = []
    amount, _ = _late_beyond(open_, as_of, t.medium_days)
    beyond_high, _ = _late_beyond(open_, as_of, t.high_days)
    if amount - beyond_high > 0:
        reasons.append(f"{euros(amount - beyond_high)} en retard de plus de {t.medium_days} jours")
    if average is not None and len(paid) >= t.habit_invoices and average > t.habit_days:
        reasons.append(
            f"Paie en retard par habitude : {_days(average)} de retard en moyenne (pondérée par les montants) "
            f"sur ses {len(paid)} factures payées"
        )
    return reasons


def _calm(open_: list[Receivable], as_of: date) -> str:
    """Why the risk is low, said rather than left blank."""
    if not open_:
        return "Rien ne reste dû"
    if any(r.due < as_of for r in open_):
        return "Retard de paiement récent, sans habitude de payer en retard"
    return "Aucune facture en retard"


def _days(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} jour{'s' if value >= 2 else ''}"
