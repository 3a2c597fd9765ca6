"""Orderly wind-down cost, MIFIDPRU 7.6.4G(2)(b) and 7.7.3G(2)(b)."""

from __future__ import annotations

import pytest

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    UnknownChoiceError,
)
from calc.wind_down import run

PLAN = {
    "period_months": 6,
    "phases": [
        {"name": "preparation", "months": 1},
        {"name": "run_off", "months": 4},
        {"name": "closure", "months": 1},
    ],
    "costs": [
        {"name": "staff", "monthly_cost_gbp": 100_000, "stress_uplift": 0.1},
        {"name": "it", "monthly_cost_gbp": 60_000, "behaviour": "falls_away"},
        {"name": "premises_depreciation", "monthly_cost_gbp": 20_000, "cash": False},
    ],
    "one_off_costs": [{"name": "redundancy", "amount_gbp": 90_000, "month": 6}],
    "revenue": [
        {
            "name": "fees",
            "monthly_amount_gbp": 50_000,
            "falls_away_months": 3,
            "stress_haircut": 0.2,
        }
    ],
}


def test_costs_by_category_7_6_4g():
    result = run(PLAN)
    by_category = result.figures["cost_by_category_gbp"]
    assert by_category["staff"] == pytest.approx(660_000)
    # Falls away in a straight line: 6/6 + 5/6 + ... + 1/6 = 3.5 months of cost.
    assert by_category["it"] == pytest.approx(210_000)
    assert by_category["premises_depreciation"] == pytest.approx(120_000)
    assert by_category["redundancy"] == pytest.approx(90_000)


def test_costs_by_phase_7_6_4g():
    by_phase = run(PLAN).figures["cost_by_phase_gbp"]
    assert by_phase["preparation"] == pytest.approx(190_000)
    assert by_phase["run_off"] == pytest.approx(660_000)
    assert by_phase["closure"] == pytest.approx(230_000)


def test_resources_needed_7_6_4g():
    result = run(PLAN)
    # Costs 1,080k less stressed revenue 80k; liquidity leaves out depreciation.
    assert result.value == pytest.approx(1_000_000)
    assert result.figures["total_revenue_gbp"] == pytest.approx(80_000)
    assert result.figures["liquid_assets_for_wind_down_gbp"] == pytest.approx(880_000)
    assert result.figures["fixed_costs_gbp"] == pytest.approx(780_000)
    assert result.figures["falling_away_costs_gbp"] == pytest.approx(210_000)


def test_monthly_profile_for_chart_7_6_4g():
    profile = run(PLAN).figures["monthly_profile"]
    assert [row["month"] for row in profile] == [1, 2, 3, 4, 5, 6]
    assert [row["phase"] for row in profile] == [
        "preparation",
        "run_off",
        "run_off",
        "run_off",
        "run_off",
        "closure",
    ]
    assert profile[0]["net_cost_gbp"] == pytest.approx(150_000)
    assert profile[-1]["cumulative_net_cost_gbp"] == pytest.approx(1_000_000)


def test_peak_not_final_cumulative_7_6_4g():
    result = run(
        {
            "period_months": 3,
            "one_off_costs": [{"name": "exit_fee", "amount_gbp": 100_000, "month": 1}],
            "revenue": [
                {"name": "fees", "monthly_amount_gbp": 30_000, "behaviour": "fixed"}
            ],
        }
    )
    assert result.value == pytest.approx(70_000)
    assert result.figures["peak_month"] == 1


def test_cost_limited_to_phases_7_6_4g():
    plan = {
        **PLAN,
        "costs": [
            {"name": "liquidator", "monthly_cost_gbp": 10_000, "phases": ["closure"]}
        ],
    }
    plan.pop("one_off_costs")
    plan.pop("revenue")
    assert run(plan).value == pytest.approx(10_000)


def test_phases_must_cover_period_7_6_4g():
    with pytest.raises(InconsistentInputError) as error:
        run({**PLAN, "period_months": 7})
    assert error.value.field == "phases"


def test_unknown_behaviour_rejected_7_6_4g():
    plan = {
        **PLAN,
        "costs": [{"name": "x", "monthly_cost_gbp": 1, "behaviour": "variable"}],
    }
    with pytest.raises(UnknownChoiceError) as error:
        run(plan)
    assert error.value.field == "costs.0.behaviour"


def test_negative_cost_rejected_7_6_4g():
    plan = {**PLAN, "costs": [{"name": "x", "monthly_cost_gbp": -1}]}
    with pytest.raises(CalculationInputError) as error:
        run(plan)
    assert error.value.field == "costs.0.monthly_cost_gbp"


def test_one_off_after_period_rejected_7_6_4g():
    plan = {**PLAN, "one_off_costs": [{"name": "x", "amount_gbp": 1, "month": 9}]}
    with pytest.raises(InconsistentInputError) as error:
        run(plan)
    assert error.value.field == "one_off_costs.0.month"


def test_cost_by_phase_amounts_7_6_4g():
    plan = {
        "period_months": 4,
        "phases": [
            {"name": "preparation", "months": 1},
            {"name": "run_off", "months": 3},
        ],
        "costs": [
            {
                "name": "staff",
                "monthly_cost_by_phase_gbp": {"preparation": 50_000, "run_off": 20_000},
                "stress_uplift": 0.5,
            }
        ],
    }
    result = run(plan)
    # (50k + 3 x 20k) x 1.5
    assert result.value == pytest.approx(165_000)
    assert result.figures["cost_by_phase_gbp"]["preparation"] == pytest.approx(75_000)


def test_cost_by_phase_unknown_phase_7_6_4g():
    plan = {
        "period_months": 2,
        "costs": [{"name": "staff", "monthly_cost_by_phase_gbp": {"closure": 1}}],
    }
    with pytest.raises(UnknownChoiceError) as error:
        run(plan)
    assert error.value.field == "costs.0.monthly_cost_by_phase_gbp.closure"


def test_cost_both_amount_forms_rejected_7_6_4g():
    plan = {
        "period_months": 2,
        "costs": [
            {
                "name": "staff",
                "monthly_cost_gbp": 1,
                "monthly_cost_by_phase_gbp": {"wind_down": 1},
            }
        ],
    }
    with pytest.raises(InconsistentInputError) as error:
        run(plan)
    assert error.value.field == "costs.0.monthly_cost_gbp"
