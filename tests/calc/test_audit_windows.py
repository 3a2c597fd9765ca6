"""Audit of the K-factor averaging windows against MIFIDPRU 4 and IFR Art 18-33.

Each case gives every month a different value, so a window shifted by one month,
a window that keeps a dropped month, or an average of monthly means instead of
business days gives a different figure. Business days are built here from
weekdays less a hand-written list of England and Wales bank holidays (gov.uk
list for 2026), not from the calendar module under test.
"""

import datetime as dt

import pytest

from calc.averaging import parse_calculation_date
from calc.errors import InconsistentInputError
from calc.registry import get_calculator

# England and Wales bank holidays, 2026 and New Year 2027.
BANK_HOLIDAYS = {
    dt.date(2026, 1, 1),
    dt.date(2026, 4, 3),  # Good Friday
    dt.date(2026, 4, 6),  # Easter Monday
    dt.date(2026, 5, 4),
    dt.date(2026, 5, 25),
    dt.date(2026, 8, 31),
    dt.date(2026, 12, 25),
    dt.date(2026, 12, 28),  # Boxing Day substitute
    dt.date(2027, 1, 1),
}


def hand_business_days(year: int, month: int) -> list[dt.date]:
    """Return the weekdays of the month that are not in ``BANK_HOLIDAYS``."""
    day = dt.date(year, month, 1)
    days = []
    while day.month == month:
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def rows(amount_by_month: dict[tuple[int, int], float]) -> list[list]:
    """Return ``[date, amount]`` rows for every business day of each month."""
    return [
        [day.isoformat(), amount]
        for (year, month), amount in sorted(amount_by_month.items())
        for day in hand_business_days(year, month)
    ]


def test_hand_calendar_counts() -> None:
    # The counts used below, by hand from a 2026 calendar. March has 22
    # weekdays. April has 22 less Good Friday and Easter Monday, May 21 less the
    # 4th and 25th, August 21 less the 31st, and January 22 less New Year's Day.
    expected = {
        (2026, 1): 21,
        (2026, 2): 20,
        (2026, 3): 22,
        (2026, 4): 20,
        (2026, 5): 19,
        (2026, 6): 22,
        (2026, 7): 23,
        (2026, 8): 20,
        (2026, 9): 22,
    }
    for (year, month), count in expected.items():
        assert len(hand_business_days(year, month)) == count, (year, month)


def test_first_business_day_after_new_year() -> None:
    # MIFIDPRU 4.7.4R: calculated on the first business day of the month. In
    # January 2027 the 1st is a bank holiday (Friday), so that day is the 4th.
    assert parse_calculation_date("calculation_date", "2027-01-04") == dt.date(
        2027, 1, 4
    )
    with pytest.raises(InconsistentInputError):
        parse_calculation_date("calculation_date", "2027-01-01")


def test_k_aum_window_across_year_end() -> None:
    # MIFIDPRU 4.7.5R(1): the 15 month-ends before January 2027 are 2025-10 to
    # 2026-12. The 3 most recent (2026-10, -11, -12) are dropped and the other
    # 12 averaged. Month k of the 15 is k million, and 2025-09, outside the
    # window, is 999bn.
    # Mean of 1..12 million = 6.5m; K-AUM = 0.02% x 6.5m = 1,300.
    months = [(2025, m) for m in (10, 11, 12)] + [(2026, m) for m in range(1, 13)]
    aum = {"2025-09": 999e9}
    for index, (year, month) in enumerate(months, start=1):
        aum[f"{year:04d}-{month:02d}"] = index * 1e6
    result = get_calculator("k_aum")(
        {"calculation_date": "2027-01-04", "month_end_aum_gbp": aum}
    )
    assert result.figures["average_aum_months_averaged"][0] == "2025-10"
    assert result.figures["average_aum_months_averaged"][-1] == "2026-09"
    assert result.figures["average_aum_months_excluded"] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert result.figures["average_aum_gbp"] == pytest.approx(6.5e6, rel=1e-12)
    assert result.value == pytest.approx(1_300.0, rel=1e-12)


def test_k_aum_month_end_on_bank_holiday() -> None:
    # MIFIDPRU 4.7.5R(1)(a): AUM on the last business day of the month. 31
    # August 2026 is a bank holiday, so August's value is measured on the 28th.
    months = [f"2025-{m:02d}" for m in range(9, 13)] + [
        f"2026-{m:02d}" for m in range(1, 12)
    ]
    aum = {month: 1e9 for month in months}
    aum["2026-08"] = {"amount": 1e9, "date": "2026-08-31"}
    with pytest.raises(InconsistentInputError):
        get_calculator("k_aum")(
            {"calculation_date": "2026-12-01", "month_end_aum_gbp": aum}
        )
    aum["2026-08"] = {"amount": 1e9, "date": "2026-08-28"}
    result = get_calculator("k_aum")(
        {"calculation_date": "2026-12-01", "month_end_aum_gbp": aum}
    )
    assert result.value == pytest.approx(200_000.0, rel=1e-12)


def test_k_cmh_window_with_easter_and_may() -> None:
    # MIFIDPRU 4.8.13R (IFR Art 18(1)): for 2026-12-01 the 9 months are 2026-03
    # to 2026-11. 2026-09, -10 and -11 are dropped, so the daily values of
    # 2026-03 to 2026-08 are averaged. Per-day amounts (GBP m) and business days:
    # Mar 1 x 22, Apr 2 x 20, May 3 x 19, Jun 4 x 22, Jul 5 x 23, Aug 6 x 20.
    # Sum = 22 + 40 + 57 + 88 + 115 + 120 = 442m over 126 days.
    # Segregated 0.4%: 442m / 126 x 0.004 = 14,031.746...;
    # non-segregated 0.5% of the same series: 17,539.682...
    per_month = {(2026, m): float(m - 2) * 1e6 for m in range(3, 9)}
    per_month |= {(2026, 2): 500e6, (2026, 9): 70e6}
    per_month |= {(2026, 10): 80e6, (2026, 11): 90e6}
    series = rows(per_month)
    result = get_calculator("k_cmh")(
        {
            "calculation_date": "2026-12-01",
            "daily_segregated_cmh_gbp": series,
            "daily_non_segregated_cmh_gbp": series,
        }
    )
    assert result.figures["average_segregated_value_count"] == 126
    assert result.figures["average_segregated_gbp"] == pytest.approx(
        442e6 / 126, rel=1e-12
    )
    assert result.figures["segregated_requirement_gbp"] == pytest.approx(
        442e6 / 126 * 0.004, rel=1e-12
    )
    assert result.value == pytest.approx(442e6 / 126 * 0.009, rel=1e-12)
    assert result.value == pytest.approx(31_571.428571428572, rel=1e-12)


def test_k_cmh_bank_holiday_row_rejected() -> None:
    # A value dated on a bank holiday (Easter Monday, 2026-04-06) or a weekend
    # is not an end-of-business-day value; it is rejected rather than averaged.
    series = rows({(2026, m): 1e6 for m in range(3, 12)})
    for bad_day in ("2026-04-06", "2026-05-09"):
        with_bad_day = sorted([*series, [bad_day, 1e9]])
        with pytest.raises(InconsistentInputError):
            get_calculator("k_cmh")(
                {
                    "calculation_date": "2026-12-01",
                    "daily_segregated_cmh_gbp": with_bad_day,
                }
            )


def test_k_asa_window_and_fx_per_day() -> None:
    # K-ASA window (MIFIDPRU 4.9.8R, configured 6 months less 3): for
    # 2026-08-03 the months are 2026-02 to 2026-07, 2026-05 to -07 dropped,
    # 2026-02 to -04 averaged. USD 1m each day, converted at each day's own rate:
    # Feb 0.80 x 20 days, Mar 0.75 x 22, Apr 0.70 x 20 (Easter).
    # GBP sum = 16 + 16.5 + 14 = 46.5m over 62 days = 0.75m;
    # K-ASA = 0.04% x 0.75m = 300 (at April's rate alone it would be 280).
    rates = {2: 0.80, 3: 0.75, 4: 0.70, 5: 0.1, 6: 0.1, 7: 0.1}
    series = [
        [day.isoformat(), 1e6, "USD", rates[month]]
        for month in range(2, 8)
        for day in hand_business_days(2026, month)
    ]
    result = get_calculator("k_asa")(
        {"calculation_date": "2026-08-03", "daily_asa_gbp": series}
    )
    assert result.figures["average_asa_value_count"] == 62
    assert result.figures["average_asa_months_averaged"] == [
        "2026-02",
        "2026-03",
        "2026-04",
    ]
    assert result.figures["average_asa_gbp"] == pytest.approx(0.75e6, rel=1e-12)
    assert result.value == pytest.approx(300.0, rel=1e-12)


def test_k_coh_window_into_january() -> None:
    # MIFIDPRU 4.10.19R (IFR Art 20(1)): for 2027-01-04 the 6 months are 2026-07
    # to 2026-12; 2026-10 to -12 are dropped; 2026-07 to -09 are averaged.
    # Cash per day: Jul 10m x 23, Aug 20m x 20 (31 Aug holiday), Sep 30m x 22.
    # Sum = 230 + 400 + 660 = 1,290m over 65 days; x 0.1% = 19,846.15...
    # Derivatives 500m a day throughout: x 0.01% = 50,000.
    cash = rows(
        {(2026, 7): 10e6, (2026, 8): 20e6, (2026, 9): 30e6}
        | {(2026, m): 1e12 for m in (10, 11, 12)}
    )
    derivatives = rows({(2026, m): 500e6 for m in range(7, 13)})
    result = get_calculator("k_coh")(
        {
            "calculation_date": "2027-01-04",
            "daily_cash_trades_gbp": cash,
            "daily_derivatives_notional_gbp": derivatives,
        }
    )
    assert result.figures["average_cash_value_count"] == 65
    assert result.figures["average_cash_gbp"] == pytest.approx(1290e6 / 65, rel=1e-12)
    assert result.figures["derivatives_requirement_gbp"] == pytest.approx(
        50_000.0, rel=1e-12
    )
    assert result.value == pytest.approx(1290e6 / 65 * 0.001 + 50_000.0, rel=1e-12)


def test_k_dtf_six_of_nine_months() -> None:
    # K-DTF window (MIFIDPRU 4.15.4R, configured 9 months less 3): for
    # 2026-10-01 the months are 2026-01 to -09; -07 to -09 dropped; -01 to -06
    # averaged. Cash per day (m) x days: Jan 7 x 21, Feb 2 x 20, Mar 3 x 22,
    # Apr 4 x 20, May 5 x 19, Jun 6 x 22. Sum = 147 + 40 + 66 + 80 + 95 + 132
    # = 560m over 124 days; x 0.1% = 4,516.13 (a mean of the monthly means
    # would give 4.5m and 4,500).
    cash = rows(
        {(2026, 1): 7e6, (2026, 2): 2e6, (2026, 3): 3e6, (2026, 4): 4e6}
        | {(2026, 5): 5e6, (2026, 6): 6e6}
        | {(2026, m): 1e11 for m in (7, 8, 9)}
    )
    derivatives = rows({(2026, m): 0.0 for m in range(1, 10)})
    result = get_calculator("k_dtf")(
        {
            "calculation_date": "2026-10-01",
            "daily_cash_trades_gbp": cash,
            "daily_derivatives_notional_gbp": derivatives,
        }
    )
    assert result.figures["average_cash_value_count"] == 124
    assert result.figures["average_cash_gbp"] == pytest.approx(560e6 / 124, rel=1e-12)
    assert result.value == pytest.approx(4_516.129032258064, rel=1e-12)


def test_k_cmh_all_zero_days() -> None:
    # MIFIDPRU 4.8.13R: zero on every business day gives an average of 0 and a
    # K-CMH of 0, with 126 values counted for 2026-12-01.
    series = rows({(2026, m): 0.0 for m in range(3, 12)})
    result = get_calculator("k_cmh")(
        {"calculation_date": "2026-12-01", "daily_segregated_cmh_gbp": series}
    )
    assert result.figures["average_segregated_value_count"] == 126
    assert result.value == 0.0


def test_k_cmh_single_huge_day() -> None:
    # One day of 1e15 among 126 averaged days, every other day 0: average
    # 1e15 / 126 = 7,936,507,936,507.94; K-CMH = 0.4% of it = 31,746,031,746.03.
    # The same amount in a dropped month (2026-10-15) changes nothing.
    series = rows({(2026, m): 0.0 for m in range(3, 12)})
    for row in series:
        if row[0] in ("2026-05-05", "2026-10-15"):
            row[1] = 1e15
    result = get_calculator("k_cmh")(
        {"calculation_date": "2026-12-01", "daily_segregated_cmh_gbp": series}
    )
    assert result.figures["average_segregated_gbp"] == pytest.approx(
        1e15 / 126, rel=1e-12
    )
    assert result.value == pytest.approx(31_746_031_746.031746, rel=1e-12)
