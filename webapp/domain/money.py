"""Money as Decimal euros, rounded half-up to the cent only where the law or a document rounds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up, as French accounts and court documents do.

    The rounding mode is passed by position: by keyword, the call costs twice as much.
    """
    return amount.quantize(CENT, ROUND_HALF_UP)


def fmt(amount: Decimal) -> str:
    """Plain text for machine output: two decimals, dot separator."""
    return str(to_cents(amount))
