"""K-CMH (MIFIDPRU 4.8.13R) and K-ASA (MIFIDPRU 4.9.8R) requirements."""

import datetime as dt

import pytest
from calc_series_builders import constant_daily_rows, daily_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import CalculationInputError, MissingPeriodError
from calc.k_factors import k_asa, k_cmh
from calc.time_series import parse_daily_series

DECEMBER = dt.date(2026, 12, 1)


def test_k_cmh_segregated_and_non_segregated() -> None:
    # MIFIDPRU 4.8.1R: 0.4% x 50m + 0.5% x 10m = 250,000.
    result = k_cmh.run(
        {
            "calculation_date": "2026-12-01",
            "daily_segregated_cmh_gbp": constant_daily_rows(DECEMBER, 9, 50e6),
            "daily_non_segregated_cmh_gbp": constant_daily_rows(DECEMBER, 9, 10e6),
        }
    )
    assert result.value == pytest.approx(250_000.0)


def test_k_cmh_window_is_six_of_nine_months() -> None:
    # MIFIDPRU 4.8.13R (IFR Art 18(1)): Mar-Aug 2026 averaged for December.
    result = k_cmh.run(
        {
            "calculation_date": "2026-12-01",
            "daily_segregated_cmh_gbp": daily_rows(
                DECEMBER, 9, {"2026-09": 1e9, "2026-10": 1e9, "2026-11": 1e9}
            ),
        }
    )
    assert result.value == 0.0
    assert result.figures["average_segregated_months_averaged"][0] == "2026-03"
    assert result.figures["average_non_segregated_gbp"] == 0.0
    assert any("daily_non_segregated_cmh_gbp" in w for w in result.warnings)


def test_k_cmh_needs_a_series() -> None:
    with pytest.raises(CalculationInputError):
        k_cmh.run({"calculation_date": "2026-12-01"})


def test_k_cmh_missing_business_day_named() -> None:
    rows = [r for r in constant_daily_rows(DECEMBER, 9, 1.0) if r[0] != "2026-05-05"]
    with pytest.raises(MissingPeriodError) as error:
        k_cmh.run({"calculation_date": "2026-12-01", "daily_segregated_cmh_gbp": rows})
    assert error.value.value == ["2026-05-05"]


def test_k_asa_four_basis_points() -> None:
    # MIFIDPRU 4.9.1R: 0.04% of average ASA of 100m is 40,000.
    result = k_asa.run(
        {
            "calculation_date": "2026-12-01",
            "daily_asa_gbp": daily_rows(
                DECEMBER, 6, {"2026-06": 100e6, "2026-07": 100e6, "2026-08": 100e6}
            ),
        }
    )
    assert result.value == pytest.approx(40_000.0)
    assert result.figures["average_asa_months_averaged"] == [
        "2026-06",
        "2026-07",
        "2026-08",
    ]
    assert result.readings


@settings(max_examples=15, deadline=None)
@given(
    level=st.floats(min_value=0, max_value=1e10, allow_nan=False),
    factor=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_k_cmh_scales_linearly(level: float, factor: float) -> None:
    # MIFIDPRU 4.8.1R: each part is a fixed fraction of a mean.
    rows = daily_rows(DECEMBER, 9, {"2026-04": level, "2026-07": 2 * level})
    series = parse_daily_series("daily_segregated_cmh_gbp", rows, DECEMBER)
    base = k_cmh.calculate_k_cmh(series, series, DECEMBER).value
    scaled_series = series.scaled(factor)
    scaled = k_cmh.calculate_k_cmh(scaled_series, scaled_series, DECEMBER).value
    assert scaled == pytest.approx(base * factor, rel=1e-9, abs=1e-6)
