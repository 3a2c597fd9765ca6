"""K-COH (MIFIDPRU 4.10) and K-DTF (MIFIDPRU 4.15) requirements."""

import datetime as dt

import pytest
from calc_series_builders import constant_daily_rows, daily_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    MissingPeriodError,
)
from calc.k_factors import k_coh, k_dtf
from calc.time_series import parse_daily_series

DECEMBER = dt.date(2026, 12, 1)


def test_k_coh_cash_and_derivatives() -> None:
    # MIFIDPRU 4.10.1R: 0.1% x 80m + 0.01% x 500m = 130,000.
    result = k_coh.run(
        {
            "calculation_date": "2026-12-01",
            "daily_cash_trades_gbp": constant_daily_rows(DECEMBER, 6, 80e6),
            "daily_derivatives_notional_gbp": constant_daily_rows(DECEMBER, 6, 500e6),
        }
    )
    assert result.value == pytest.approx(130_000.0)
    assert result.figures["cash_requirement_gbp"] == pytest.approx(80_000.0)


def test_k_coh_from_trades_matches_daily_totals() -> None:
    # IFR Art 20(2): absolute buys and sells; IRD notional x maturity / 10.
    trades = [
        {"date": "2026-07-01", "kind": "cash", "amount": 6_300_000.0},
        {"date": "2026-07-02", "kind": "cash", "amount": -6_300_000.0},
        {
            "date": "2026-08-03",
            "kind": "derivative",
            "amount": 130_000_000.0,
            "interest_rate_derivative": True,
            "time_to_maturity_years": 0.5,
        },
    ]
    result = k_coh.run(
        {
            "calculation_date": "2026-12-01",
            "trades": trades,
            "trade_records_complete_from": "2026-06-01",
        }
    )
    # 65 business days from June to August 2026.
    assert result.figures["average_cash_gbp"] == pytest.approx(12_600_000.0 / 65)
    assert result.figures["average_derivatives_gbp"] == pytest.approx(6_500_000.0 / 65)
    assert result.value == pytest.approx(
        12_600_000 / 65 * 0.001 + 6_500_000 / 65 * 1e-4
    )


def test_k_coh_trades_and_totals_together_rejected() -> None:
    with pytest.raises(InconsistentInputError):
        k_coh.run(
            {
                "calculation_date": "2026-12-01",
                "trades": [],
                "trade_records_complete_from": "2026-06-01",
                "daily_cash_trades_gbp": [],
            }
        )


def test_k_coh_incomplete_trade_records_rejected() -> None:
    # Records starting after the window opens leave days unaccounted for.
    with pytest.raises(MissingPeriodError) as error:
        k_coh.run(
            {
                "calculation_date": "2026-12-01",
                "trades": [],
                "trade_records_complete_from": "2026-06-03",
            }
        )
    assert error.value.value == ["2026-06-01", "2026-06-02"]


def test_k_coh_missing_derivative_series_rejected() -> None:
    with pytest.raises(CalculationInputError) as error:
        k_coh.run(
            {
                "calculation_date": "2026-12-01",
                "daily_cash_trades_gbp": constant_daily_rows(DECEMBER, 6, 1.0),
            }
        )
    assert error.value.field == "daily_derivatives_notional_gbp"


def test_k_dtf_six_of_nine_months() -> None:
    # MIFIDPRU 4.15.4R (window not confirmed): Mar-Aug averaged for December.
    cash = daily_rows(
        DECEMBER,
        9,
        {
            m: 80e6
            for m in ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
        }
        | {"2026-09": 9e12},
    )
    result = k_dtf.run(
        {
            "calculation_date": "2026-12-01",
            "daily_cash_trades_gbp": cash,
            "daily_derivatives_notional_gbp": constant_daily_rows(DECEMBER, 9, 500e6),
        }
    )
    assert result.value == pytest.approx(130_000.0)
    assert result.figures["average_cash_months_excluded"] == [
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    assert any(r.rule == "MIFIDPRU 4.15.4R" for r in result.readings)


@settings(max_examples=15, deadline=None)
@given(
    cash_level=st.floats(min_value=0, max_value=1e10, allow_nan=False),
    derivatives_level=st.floats(min_value=0, max_value=1e11, allow_nan=False),
    factor=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_k_coh_scales_linearly(
    cash_level: float, derivatives_level: float, factor: float
) -> None:
    # MIFIDPRU 4.10.1R: each part is a fixed fraction of a mean.
    cash = parse_daily_series(
        "daily_cash_trades_gbp",
        daily_rows(DECEMBER, 6, {"2026-06": cash_level, "2026-08": 3 * cash_level}),
        DECEMBER,
    )
    derivatives = parse_daily_series(
        "daily_derivatives_notional_gbp",
        constant_daily_rows(DECEMBER, 6, derivatives_level),
        DECEMBER,
    )
    base = k_coh.calculate_k_coh(cash, derivatives, DECEMBER).value
    scaled = k_coh.calculate_k_coh(
        cash.scaled(factor), derivatives.scaled(factor), DECEMBER
    ).value
    assert scaled == pytest.approx(base * factor, rel=1e-9, abs=1e-6)


def test_k_coh_calculation_date_checked() -> None:
    # MIFIDPRU 4.7.4R pattern: K-factors are calculated on the first business day.
    with pytest.raises(InconsistentInputError) as error:
        k_coh.run({"calculation_date": "2026-11-30"})
    assert error.value.field == "calculation_date"
