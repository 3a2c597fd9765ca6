"""K-AUM requirement, MIFIDPRU 4.7.5R and 4.7.6G."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.calendar import months_before
from calc.errors import MissingPeriodError
from calc.k_factors.k_aum import calculate_k_aum, run
from calc.time_series import parse_monthly_series

DECEMBER = dt.date(2026, 12, 1)
MONTHS = [str(m) for m in months_before(DECEMBER, 15)]


def test_k_aum_two_basis_points_of_average() -> None:
    # MIFIDPRU 4.7.1R: 0.02% of average AUM of 1bn is 200,000.
    inputs = {
        "calculation_date": "2026-12-01",
        "month_end_aum_gbp": {m: 1e9 for m in MONTHS[:12]}
        | {m: 5e9 for m in MONTHS[12:]},
    }
    result = run(inputs)
    assert result.value == pytest.approx(200_000.0)
    assert result.figures["average_aum_gbp"] == pytest.approx(1e9)


def test_k_aum_fx_not_retranslated() -> None:
    # MIFIDPRU 4.7.6G: USD 1bn at 0.8 in each of 6 months and at 0.7 in the
    # other 6 averages to GBP 750m, not to today's rate.
    aum = {}
    for i, month in enumerate(MONTHS[:12]):
        rate = 0.8 if i < 6 else 0.7
        aum[month] = {"amount": 1e9, "currency": "USD", "fx_rate_to_gbp": rate}
    result = run({"calculation_date": "2026-12-01", "month_end_aum_gbp": aum})
    assert result.figures["average_aum_gbp"] == pytest.approx(750e6)
    assert result.figures["fx_rates_used"]["2025-09"]["fx_rate_to_gbp"] == 0.8


def test_k_aum_missing_month_named() -> None:
    aum = {m: 1e9 for m in MONTHS[:12] if m != "2026-01"}
    with pytest.raises(MissingPeriodError) as error:
        run({"calculation_date": "2026-12-01", "month_end_aum_gbp": aum})
    assert error.value.value == ["2026-01"]
    assert error.value.field == "month_end_aum_gbp"


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.floats(min_value=0, max_value=1e11, allow_nan=False),
        min_size=12,
        max_size=12,
    ),
    factor=st.floats(min_value=0, max_value=1000, allow_nan=False),
)
def test_k_aum_scales_linearly(values: list[float], factor: float) -> None:
    # MIFIDPRU 4.7.1R: K-AUM is a fixed fraction of an arithmetic mean.
    series = parse_monthly_series(
        "month_end_aum_gbp", dict(zip(MONTHS[:12], values, strict=True)), DECEMBER
    )
    base = calculate_k_aum(series, DECEMBER).value
    scaled = calculate_k_aum(series.scaled(factor), DECEMBER).value
    assert scaled == pytest.approx(base * factor, rel=1e-9, abs=1e-6)
