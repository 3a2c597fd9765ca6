"""The MIFIDPRU 4 averaging windows: months dropped, gaps named, rows ignored."""

import datetime as dt

import pytest
from calc_series_builders import constant_daily_rows, daily_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.averaging import (
    average_daily_values,
    average_month_end_values,
    parse_calculation_date,
)
from calc.calendar import Month, months_before
from calc.errors import InconsistentInputError, MissingPeriodError
from calc.time_series import parse_daily_series, parse_monthly_series

DECEMBER = dt.date(2026, 12, 1)


def _months(count: int) -> list[str]:
    return [str(m) for m in months_before(DECEMBER, count)]


def test_month_end_window_drops_latest_three() -> None:
    # MIFIDPRU 4.7.5R(1): 15 month-ends, drop 3, mean of 12.
    values = {month: float(i) for i, month in enumerate(_months(15), start=1)}
    series = parse_monthly_series("aum", values, DECEMBER)
    window = average_month_end_values(series, DECEMBER, 15, 3)
    assert window.average_gbp == pytest.approx(sum(range(1, 13)) / 12)
    assert [str(m) for m in window.months_excluded] == ["2026-09", "2026-10", "2026-11"]
    assert str(window.months_averaged[0]) == "2025-09"
    assert window.count == 12


def test_month_end_missing_months_all_named() -> None:
    values = {month: 1.0 for month in _months(15)}
    del values["2025-10"]
    del values["2026-03"]
    series = parse_monthly_series("aum", values, DECEMBER)
    with pytest.raises(MissingPeriodError) as error:
        average_month_end_values(series, DECEMBER, 15, 3)
    assert error.value.value == ["2025-10", "2026-03"]
    assert error.value.field == "aum"


def test_month_end_excluded_months_may_be_absent() -> None:
    # The 3 dropped months are not needed (MIFIDPRU 4.7.5R(1)(b)).
    values = {month: 2.0 for month in _months(15)[:12]}
    series = parse_monthly_series("aum", values, DECEMBER)
    assert average_month_end_values(series, DECEMBER, 15, 3).average_gbp == 2.0


def test_daily_window_weights_each_business_day() -> None:
    # MIFIDPRU 4.8.13R: the mean of daily values, not of monthly means.
    rows = daily_rows(DECEMBER, 6, {"2026-06": 22.0, "2026-07": 23.0, "2026-08": 20.0})
    series = parse_daily_series("coh", rows, DECEMBER)
    window = average_daily_values(series, DECEMBER, 6, 3)
    # June 2026 has 22 business days, July 23 and August 20.
    assert window.count == 65
    assert window.average_gbp == pytest.approx((22 * 22 + 23 * 23 + 20 * 20) / 65)


def test_daily_missing_days_all_named() -> None:
    rows = constant_daily_rows(DECEMBER, 6, 1.0)
    rows = [row for row in rows if row[0] not in ("2026-06-15", "2026-08-28")]
    series = parse_daily_series("coh", rows, DECEMBER)
    with pytest.raises(MissingPeriodError) as error:
        average_daily_values(series, DECEMBER, 6, 3)
    assert error.value.value == ["2026-06-15", "2026-08-28"]
    assert "2026-06-15" in str(error.value)


def test_calculation_date_must_be_first_business_day() -> None:
    # MIFIDPRU 4.7.4R: calculated on the first business day of each month.
    with pytest.raises(InconsistentInputError) as error:
        parse_calculation_date("calculation_date", "2026-12-02")
    assert "2026-12-01" in str(error.value)
    assert parse_calculation_date("calculation_date", "2026-12-01") == DECEMBER


amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    in_window=st.lists(amounts, min_size=12, max_size=12),
    outside=st.lists(amounts, min_size=6, max_size=6),
)
def test_month_end_average_ignores_rows_outside(
    in_window: list[float], outside: list[float]
) -> None:
    # MIFIDPRU 4.7.5R: only the 12 averaged month-ends count.
    months = _months(15)
    base = dict(zip(months[:12], in_window, strict=True))
    earlier = [str(Month(2025, 3).shift(i)) for i in range(3)]
    noisy = dict(zip(earlier, outside[:3], strict=True))
    noisy.update(base)
    noisy.update(dict(zip(months[12:], outside[3:], strict=True)))
    plain = average_month_end_values(
        parse_monthly_series("aum", base, DECEMBER), DECEMBER, 15, 3
    )
    with_noise = average_month_end_values(
        parse_monthly_series("aum", noisy, DECEMBER), DECEMBER, 15, 3
    )
    assert with_noise.average_gbp == plain.average_gbp


@settings(max_examples=20, deadline=None)
@given(
    inside=st.floats(min_value=0, max_value=1e10, allow_nan=False),
    before=st.floats(min_value=0, max_value=1e10, allow_nan=False),
    excluded=st.floats(min_value=0, max_value=1e10, allow_nan=False),
)
def test_daily_average_ignores_rows_outside(
    inside: float, before: float, excluded: float
) -> None:
    # MIFIDPRU 4.10.19R window: rows before it and in the 3 dropped months
    # do not move the average.
    amounts_by_month = {
        "2026-05": before,
        "2026-06": inside,
        "2026-07": inside,
        "2026-08": inside,
        "2026-09": excluded,
        "2026-10": excluded,
        "2026-11": excluded,
    }
    rows = daily_rows(DECEMBER, 7, amounts_by_month)
    window = average_daily_values(
        parse_daily_series("coh", rows, DECEMBER), DECEMBER, 6, 3
    )
    assert window.average_gbp == pytest.approx(inside, rel=1e-12, abs=1e-6)
