"""The single rounding and display rule for money.

Calculators work on unrounded floats in GBP and add unrounded parts, so a total is
never the sum of rounded pieces. Rounding happens only here, at display and
export: to the penny, halves away from zero (``ROUND_HALF_UP`` on the decimal
value of the float's shortest repr).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def round_gbp(amount: float) -> Decimal:
    """Round a GBP amount to the penny, halves away from zero."""
    return Decimal(repr(float(amount))).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_gbp(amount: float, pennies: bool = True) -> str:
    """Format a GBP amount with a pound sign and thousands separators.

    ``format_gbp(1234567.891)`` gives ``"£1,234,567.89"``; with ``pennies=False``
    it gives ``"£1,234,568"``. Negative amounts read ``"-£1,234.00"``.
    """
    rounded = round_gbp(amount)
    if not pennies:
        rounded = rounded.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    body = f"{abs(rounded):,.2f}" if pennies else f"{abs(rounded):,.0f}"
    return f"{sign}£{body}"
