"""ICARA thresholds and early warning, MIFIDPRU 7.6 and 7.7."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    NegativeAmountError,
)
from calc.icara import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
GOLDEN = [case for case in CASES if case["calculator"] == "icara"]

BASE = {
    "own_funds_requirement_gbp": 1_000_000,
    "own_funds_for_ongoing_harms_gbp": 700_000,
    "own_funds_for_orderly_wind_down_gbp": 1_500_000,
}


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_own_funds_threshold(case):
    """Golden case cites MIFIDPRU 7.6.4G: the wind-down amount binds."""
    result = run(case["inputs"])
    expected = case["expected"]
    assert result.value == pytest.approx(
        expected["own_funds_threshold_requirement_gbp"]
    )
    assert result.figures["binding"] == expected["binding"]
    assert result.figures["early_warning"] is expected["early_warning"]


def test_ongoing_operations_bind_7_6_4g():
    result = run(BASE)
    assert result.value == pytest.approx(1_700_000)
    assert result.figures["binding"] == "ongoing"
    assert "own_funds_state" not in result.figures


@pytest.mark.parametrize(
    ("own_funds", "state"),
    [
        (1_600_000, "breach"),
        (1_800_000, "warning"),
        (1_870_000, "adequate"),
        (2_000_000, "adequate"),
    ],
)
def test_early_warning_states_7_6(own_funds, state):
    result = run({**BASE, "own_funds_gbp": own_funds})
    assert result.figures["own_funds_state"] == state
    assert result.figures["early_warning"] is (state != "adequate")


def test_configurable_early_warning_ratio_7_6():
    result = run({**BASE, "own_funds_gbp": 1_800_000, "early_warning_ratio": 1.05})
    assert result.figures["own_funds_state"] == "adequate"


def test_early_warning_ratio_below_one_rejected_7_6():
    with pytest.raises(CalculationInputError) as error:
        run({**BASE, "early_warning_ratio": 0.9})
    assert error.value.field == "early_warning_ratio"


def test_components_cover_attributable_harms_once_7_6_3r():
    result = run(
        {
            "own_funds_requirement_gbp": 500_000,
            "own_funds_requirement_components_gbp": {"k_aum": 200_000},
            "harms": [
                {"id": "H1", "own_funds_needed_gbp": 150_000, "covered_by": "k_aum"},
                {"id": "H2", "own_funds_needed_gbp": 100_000, "covered_by": "k_aum"},
                {"id": "H3", "own_funds_needed_gbp": 80_000},
            ],
            "own_funds_for_orderly_wind_down_gbp": 0,
        }
    )
    # K-AUM covers H1 in full and 50k of H2; H3 is attributable to nothing.
    assert result.figures["harm_add_ons_gbp"] == pytest.approx(130_000)
    assert result.value == pytest.approx(630_000)


def test_harm_naming_unknown_component_rejected_7_6_3r():
    with pytest.raises(InconsistentInputError) as error:
        run(
            {
                **BASE,
                "harms": [
                    {"id": "H1", "own_funds_needed_gbp": 1, "covered_by": "k_cmh"}
                ],
            }
        )
    assert error.value.field == "harms.0.covered_by"


def test_liquid_assets_threshold_7_7_3g():
    result = run(
        {
            **BASE,
            "basic_liquid_assets_requirement_gbp": 274_333.33,
            "quarterly_liquid_assets_for_ongoing_operations_gbp": [
                100_000,
                250_000,
                180_000,
                90_000,
            ],
            "liquid_assets_to_start_wind_down_gbp": 200_000,
            "liquid_assets_gbp": 500_000,
        }
    )
    figures = result.figures
    assert figures["liquid_assets_threshold_requirement_gbp"] == pytest.approx(
        524_333.33
    )
    assert figures["liquid_assets_binding"] == "ongoing"
    assert figures["liquid_assets_state"] == "breach"


def test_wind_down_start_binds_liquidity_7_7_3g():
    result = run(
        {
            **BASE,
            "basic_liquid_assets_requirement_gbp": 100_000,
            "liquid_assets_for_ongoing_operations_gbp": 50_000,
            "liquid_assets_to_start_wind_down_gbp": 80_000,
        }
    )
    assert result.figures["liquid_assets_threshold_requirement_gbp"] == pytest.approx(
        180_000
    )
    assert result.figures["liquid_assets_binding"] == "wind_down"


def test_negative_wind_down_rejected_7_6_4g():
    with pytest.raises(NegativeAmountError) as error:
        run({**BASE, "own_funds_for_orderly_wind_down_gbp": -1})
    assert error.value.field == "own_funds_for_orderly_wind_down_gbp"


def test_negative_quarter_rejected_7_7_2r():
    with pytest.raises(NegativeAmountError) as error:
        run({**BASE, "quarterly_liquid_assets_for_ongoing_operations_gbp": [1, -2]})
    assert error.value.field == "quarterly_liquid_assets_for_ongoing_operations_gbp.1"
