"""SNI conditions, MIFIDPRU 1.2.1R: strict thresholds, headroom, trend."""

import pytest

from calc.calendar import Month
from calc.errors import CalculationInputError, MissingPeriodError, UnknownChoiceError
from calc.sni import project_threshold_crossing, run

BASE = {
    "average_aum_gbp": 800_000_000.0,
    "average_coh_cash_per_day_gbp": 20_000_000.0,
    "average_coh_derivatives_per_day_gbp": 100_000_000.0,
    "average_asa_gbp": 0.0,
    "average_cmh_gbp": 0.0,
    "average_dtf_gbp": 0.0,
    "deals_on_own_account_or_underwrites": False,
    "balance_sheet_total_gbp": 40_000_000.0,
    "gross_revenue_investment_services_gbp_by_year": {"2024": 12e6, "2025": 14e6},
    "clearing_member_or_indirect_clearing": False,
    "depositary": False,
}


def _conditions(result) -> dict:
    return {c["name"]: c for c in result.figures["conditions"]}


def test_sni_headroom_and_percentage() -> None:
    result = run(BASE)
    aum = _conditions(result)["aum"]
    assert aum["headroom_gbp"] == pytest.approx(400e6)
    assert aum["headroom_percent"] == pytest.approx(100 / 3)
    assert aum["passed"] is True
    assert result.figures["average_revenue_gbp"] == 13e6


@pytest.mark.parametrize(
    ("field", "value", "condition"),
    [
        ("average_coh_cash_per_day_gbp", 100e6, "coh_cash"),
        ("average_coh_derivatives_per_day_gbp", 1e9, "coh_derivatives"),
        ("balance_sheet_total_gbp", 100e6, "balance_sheet"),
        ("average_asa_gbp", 0.01, "asa"),
        ("average_cmh_gbp", 0.01, "cmh"),
        ("average_dtf_gbp", 0.01, "dtf"),
        ("deals_on_own_account_or_underwrites", True, "dealing_on_own_account"),
        ("clearing_member_or_indirect_clearing", True, "clearing"),
        ("depositary", True, "depositary"),
    ],
)
def test_sni_each_condition_fails_alone(field: str, value, condition: str) -> None:
    # MIFIDPRU 1.2.1R: "<" is strict and "zero" means exactly zero.
    result = run(BASE | {field: value})
    assert result.figures["is_sni"] is False
    assert result.figures["failed_conditions"] == [condition]


def test_sni_revenue_two_year_average() -> None:
    # MIFIDPRU 1.2.1R(7): 28m and 32m average to 30m, which is not below 30m.
    revenue = {"2023": 99e6, "2024": 28e6, "2025": 32e6}
    result = run(
        BASE
        | {
            "gross_revenue_investment_services_gbp_by_year": revenue,
            "financial_year": 2026,
        }
    )
    assert result.figures["revenue_years"] == [2024, 2025]
    assert result.figures["failed_conditions"] == ["revenue"]


def test_sni_revenue_missing_year_named() -> None:
    with pytest.raises(MissingPeriodError) as error:
        run(BASE | {"financial_year": 2027})
    assert error.value.value == [2026]


def test_sni_missing_condition_rejected() -> None:
    inputs = dict(BASE)
    del inputs["depositary"]
    with pytest.raises(CalculationInputError) as error:
        run(inputs)
    assert error.value.field == "depositary"


def test_sni_trend_projects_crossing_month() -> None:
    # AUM rising 50m a month from 1.0bn in Jan 2026 reaches 1.2bn in May 2026.
    values = {Month(2026, 1).shift(i): 1.0e9 + 50e6 * i for i in range(3)}
    projection = project_threshold_crossing("aum", values)
    assert projection.crossing_month == Month(2026, 5)
    assert projection.already_crossed is False
    assert projection.slope_gbp_per_month == pytest.approx(50e6)


def test_sni_trend_falling_has_no_crossing() -> None:
    values = {Month(2026, 1).shift(i): 1.0e9 - 50e6 * i for i in range(3)}
    assert project_threshold_crossing("aum", values).crossing_month is None


def test_sni_trend_through_run() -> None:
    trend = {"balance_sheet": {"2026-01": 80e6, "2026-02": 90e6}}
    result = run(BASE | {"trend_series": trend})
    projection = result.figures["projections"][0]
    assert projection["crossing_month"] == "2026-03"


def test_sni_trend_rejects_zero_condition() -> None:
    with pytest.raises(UnknownChoiceError):
        project_threshold_crossing("cmh", {Month(2026, 1): 0.0, Month(2026, 2): 0.0})


def test_sni_trend_rejects_gap() -> None:
    with pytest.raises(MissingPeriodError) as error:
        project_threshold_crossing("aum", {Month(2026, 1): 1.0, Month(2026, 3): 2.0})
    assert error.value.value == ["2026-02"]
