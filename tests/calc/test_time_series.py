"""Validation of month-end and daily series (MIFIDPRU 4.7.5R, 4.7.6G, 4.8.13R)."""

import datetime as dt
import math

import pytest

from calc.errors import (
    CalculationInputError,
    DuplicatePeriodError,
    InconsistentInputError,
    NegativeAmountError,
    NotFiniteError,
    PeriodOrderError,
    UnknownChoiceError,
)
from calc.time_series import (
    daily_totals_from_trades,
    parse_daily_series,
    parse_monthly_series,
)

DECEMBER = dt.date(2026, 12, 1)


def test_monthly_fx_uses_own_month_rate() -> None:
    # MIFIDPRU 4.7.6G: each month-end keeps the rate of its own month-end.
    series = parse_monthly_series(
        "aum",
        {
            "2026-01": {"amount": 100.0, "currency": "USD", "fx_rate_to_gbp": 0.8},
            "2026-02": {"amount": 100.0, "currency": "usd", "fx_rate_to_gbp": 0.7},
        },
        DECEMBER,
    )
    values = list(series.values.values())
    assert values[0].amount_gbp == pytest.approx(80.0)
    assert values[1].amount_gbp == pytest.approx(70.0)
    assert values[1].currency == "USD"
    assert values[0].date == dt.date(2026, 1, 30)


def test_monthly_foreign_currency_needs_rate() -> None:
    # MIFIDPRU 4.7.5R(3): the rate used must be recorded.
    with pytest.raises(NotFiniteError) as error:
        parse_monthly_series("aum", {"2026-01": {"amount": 1.0, "currency": "EUR"}})
    assert error.value.field == "aum.2026-01.fx_rate_to_gbp"


def test_monthly_gbp_rate_must_be_one() -> None:
    with pytest.raises(InconsistentInputError):
        parse_monthly_series(
            "aum", {"2026-01": {"amount": 1.0, "currency": "GBP", "fx_rate_to_gbp": 2}}
        )


def test_monthly_rejects_negative_amount() -> None:
    with pytest.raises(NegativeAmountError) as error:
        parse_monthly_series("aum", {"2026-01": -5.0})
    assert error.value.field == "aum.2026-01"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_monthly_rejects_nan_and_infinity(bad: float) -> None:
    with pytest.raises(NotFiniteError) as error:
        parse_monthly_series("aum", {"2026-01": bad})
    assert error.value.field == "aum.2026-01"


def test_monthly_rejects_text_amount() -> None:
    with pytest.raises(NotFiniteError):
        parse_monthly_series("aum", {"2026-01": "100"})


def test_monthly_rejects_months_out_of_order() -> None:
    with pytest.raises(PeriodOrderError) as error:
        parse_monthly_series("aum", {"2026-02": 1.0, "2026-01": 1.0})
    assert error.value.field == "aum.2026-01"


def test_monthly_rejects_duplicate_month_in_list() -> None:
    rows = [{"month": "2026-01", "amount": 1.0}, {"month": "2026-01", "amount": 2.0}]
    with pytest.raises(DuplicatePeriodError) as error:
        parse_monthly_series("aum", rows)
    assert error.value.field == "aum[1]"


def test_monthly_rejects_future_month() -> None:
    # The calculation month itself has no month-end yet.
    with pytest.raises(PeriodOrderError):
        parse_monthly_series("aum", {"2026-12": 1.0}, DECEMBER)


def test_monthly_date_must_be_last_business_day() -> None:
    # MIFIDPRU 4.7.5R(1)(a): measured on the last business day of the month.
    with pytest.raises(InconsistentInputError):
        parse_monthly_series(
            "aum", {"2026-08": {"amount": 1.0, "date": "2026-08-31"}}, DECEMBER
        )


def test_monthly_rejects_bad_month_text() -> None:
    with pytest.raises(CalculationInputError) as error:
        parse_monthly_series("aum", {"2026-13": 1.0})
    assert error.value.field == "aum.2026-13"


def test_daily_names_every_non_business_day() -> None:
    rows = [["2026-04-02", 1.0], ["2026-04-03", 1.0], ["2026-04-04", 1.0]]
    with pytest.raises(InconsistentInputError) as error:
        parse_daily_series("cmh", rows, DECEMBER)
    message = str(error.value)
    assert "2026-04-03 (Good Friday)" in message
    assert "2026-04-04 (Saturday)" in message


def test_daily_rejects_duplicate_day() -> None:
    rows = [["2026-04-02", 1.0], ["2026-04-02", 2.0]]
    with pytest.raises(DuplicatePeriodError) as error:
        parse_daily_series("cmh", rows, DECEMBER)
    assert error.value.field == "cmh[1]"


def test_daily_rejects_days_out_of_order() -> None:
    rows = [["2026-04-08", 1.0], ["2026-04-07", 2.0]]
    with pytest.raises(PeriodOrderError):
        parse_daily_series("cmh", rows, DECEMBER)


def test_daily_rejects_future_day() -> None:
    with pytest.raises(PeriodOrderError):
        parse_daily_series("cmh", [["2026-12-02", 1.0]], DECEMBER)


def test_daily_rejects_nan() -> None:
    with pytest.raises(NotFiniteError) as error:
        parse_daily_series("cmh", [["2026-04-02", math.nan]], DECEMBER)
    assert error.value.field == "cmh[0]"


def test_daily_four_item_row_carries_fx() -> None:
    series = parse_daily_series("cmh", [["2026-04-02", 100.0, "EUR", 0.85]])
    assert series.observations[0].amount_gbp == pytest.approx(85.0)


def test_trades_interest_rate_derivative_adjusted() -> None:
    # IFR Art 20(2)(b): IRD notional x time to maturity in years / 10.
    trades = [
        {"date": "2026-11-02", "kind": "cash", "amount": -1000.0},
        {"date": "2026-11-02", "kind": "cash", "amount": 500.0},
        {
            "date": "2026-11-02",
            "kind": "derivative",
            "amount": 1_000_000.0,
            "interest_rate_derivative": True,
            "time_to_maturity_years": 5,
        },
        {"date": "2026-11-03", "kind": "derivative", "amount": 200.0},
    ]
    cash, derivatives = daily_totals_from_trades(
        "trades", trades, DECEMBER, dt.date(2026, 11, 1)
    )
    cash_by_day = {obs.date: obs.amount for obs in cash.observations}
    derivatives_by_day = {obs.date: obs.amount for obs in derivatives.observations}
    assert cash_by_day[dt.date(2026, 11, 2)] == 1500.0
    assert derivatives_by_day[dt.date(2026, 11, 2)] == pytest.approx(500_000.0)
    assert derivatives_by_day[dt.date(2026, 11, 3)] == 200.0
    assert cash_by_day[dt.date(2026, 11, 30)] == 0.0


def test_trades_unknown_kind_rejected() -> None:
    trades = [{"date": "2026-11-02", "kind": "swap", "amount": 1.0}]
    with pytest.raises(UnknownChoiceError) as error:
        daily_totals_from_trades("trades", trades, DECEMBER, dt.date(2026, 11, 1))
    assert error.value.field == "trades[0].kind"
