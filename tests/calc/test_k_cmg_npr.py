"""K-CMG (MIFIDPRU 4.13) and K-NPR (MIFIDPRU 4.12) requirements."""

import pytest

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    MissingPeriodError,
    UnknownChoiceError,
)
from calc.k_factors import k_cmg, k_npr


def test_k_cmg_ignores_days_before_window() -> None:
    # MIFIDPRU 4.13.5R (IFR Art 23): only the 3 months before December count.
    result = k_cmg.run(
        {
            "calculation_date": "2026-12-01",
            "daily_total_margin_gbp": [
                ["2026-08-03", 99e6],
                ["2026-09-01", 5e6],
                ["2026-10-01", 4e6],
                ["2026-11-02", 3e6],
                ["2026-11-03", 1e6],
            ],
        }
    )
    assert result.value == pytest.approx(1.3 * 3e6)
    assert str(result.figures["third_highest_margin_date"]) == "2026-11-02"


def test_k_cmg_sums_clearing_members() -> None:
    # RTS 2022/244: margins at several clearing members are summed per day.
    result = k_cmg.run(
        {
            "calculation_date": "2026-12-01",
            "daily_total_margin_by_clearing_member_gbp": {
                "member_a": [["2026-09-01", 1e6], ["2026-09-02", 2e6]],
                "member_b": [["2026-09-01", 4e6], ["2026-09-03", 3e6]],
            },
        }
    )
    # Daily totals 5m, 2m, 3m: the third highest is 2m.
    assert result.value == pytest.approx(2.6e6)


def test_k_cmg_needs_three_days() -> None:
    with pytest.raises(MissingPeriodError):
        k_cmg.run(
            {
                "calculation_date": "2026-12-01",
                "daily_total_margin_gbp": [["2026-09-01", 1.0], ["2026-09-02", 1.0]],
            }
        )


def test_k_cmg_without_permission_rejected() -> None:
    # MIFIDPRU 4.13.1R: K-CMG only for portfolios with a K-CMG permission.
    with pytest.raises(InconsistentInputError) as error:
        k_cmg.run({"has_k_cmg_permission": False, "daily_total_margin_gbp": []})
    assert error.value.field == "has_k_cmg_permission"


def test_k_npr_entered_needs_source() -> None:
    with pytest.raises(CalculationInputError) as error:
        k_npr.run({"k_npr_gbp": 10.0})
    assert error.value.field == "source"
    result = k_npr.run({"k_npr_gbp": 10.0, "source": "MIF001 2026-11-30"})
    assert result.value == 10.0


def test_k_npr_fx_standardised_approach() -> None:
    # UK CRR Art 352: longs 300, shorts 250, gold 50 -> 8% x 350 = 28.
    result = k_npr.run(
        {
            "method": "components",
            "source": "risk system",
            "components_gbp": {"equity_position_risk": 100.0},
            "foreign_exchange_positions_gbp": {"USD": 200.0, "EUR": 100.0, "JPY": -250},
            "net_gold_position_gbp": -50.0,
            "total_own_funds_gbp": 1000.0,
        }
    )
    fx = result.figures["requirement_by_risk_class_gbp"]["foreign_exchange_risk"]
    assert fx == pytest.approx(28.0)
    assert result.value == pytest.approx(128.0)


def test_k_npr_fx_below_de_minimis_is_zero() -> None:
    # UK CRR Art 351: no FX requirement at or below 2% of own funds.
    result = k_npr.run(
        {
            "method": "components",
            "source": "risk system",
            "foreign_exchange_positions_gbp": {"USD": 20.0},
            "total_own_funds_gbp": 1000.0,
        }
    )
    assert result.value == 0.0


def test_k_npr_gbp_position_rejected() -> None:
    with pytest.raises(InconsistentInputError):
        k_npr.run(
            {
                "method": "components",
                "source": "x",
                "foreign_exchange_positions_gbp": {"GBP": 1.0},
                "total_own_funds_gbp": 1.0,
            }
        )


def test_k_npr_unknown_risk_class_rejected() -> None:
    with pytest.raises(UnknownChoiceError) as error:
        k_npr.run(
            {"method": "components", "source": "x", "components_gbp": {"crypto": 1.0}}
        )
    assert error.value.field == "components_gbp.crypto"
