"""The one money rounding rule: pennies, halves away from zero."""

from decimal import Decimal

import pytest

from calc.money import format_gbp, round_gbp


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0.005, Decimal("0.01")),
        (-0.005, Decimal("-0.01")),
        (1234567.894, Decimal("1234567.89")),
        (258333.3333333, Decimal("258333.33")),
        (2.675, Decimal("2.68")),
    ],
)
def test_round_gbp_half_up(amount: float, expected: Decimal) -> None:
    assert round_gbp(amount) == expected


def test_format_gbp_thousands_and_sign() -> None:
    assert format_gbp(1234567.891) == "£1,234,567.89"
    assert format_gbp(-1234) == "-£1,234.00"
    assert format_gbp(1_500_000_000, pennies=False) == "£1,500,000,000"
