"""Own funds by tier and the 56% / 75% / 100% tests, MIFIDPRU 3.2A.4R."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.errors import InconsistentInputError, NegativeAmountError, UnknownChoiceError
from calc.own_funds_composition import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
GOLDEN = [case for case in CASES if case["calculator"] == "own_funds_composition"]


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_composition(case):
    """Golden case cites MIFIDPRU 3 (IFR Art 9(1)): T2 cannot cure an AT1 shortfall."""
    result = run(case["inputs"])
    for key, expected in case["expected"].items():
        if isinstance(expected, bool):
            assert result.figures[key] is expected, key
        else:
            assert result.figures[key] == pytest.approx(expected, abs=0.01), key


def test_all_tests_pass_with_surplus_3_2a_4r():
    result = run(
        {
            "own_funds_requirement_gbp": 1_000_000,
            "cet1_gbp": 1_200_000,
            "t2_gbp": 100_000,
        }
    )
    assert result.figures["all_tests_passed"] is True
    assert result.figures["surplus_gbp"] == pytest.approx(300_000)
    assert result.figures["coverage_ratio"] == pytest.approx(1.3)
    assert result.warnings == ()


def test_cet1_shortfall_in_gbp_3_2a_4r():
    result = run(
        {
            "own_funds_requirement_gbp": 1_000_000,
            "cet1_gbp": 500_000,
            "at1_gbp": 500_000,
        }
    )
    assert result.figures["cet1_test_passed"] is False
    assert result.figures["cet1_shortfall_gbp"] == pytest.approx(60_000)
    assert result.figures["cet1_plus_at1_test_passed"] is True
    assert result.figures["total_test_passed"] is True
    assert len(result.warnings) == 1


def test_deductions_cascade_to_cet1_3_3a():
    result = run(
        {
            "own_funds_requirement_gbp": 1_000_000,
            "cet1_items_gbp": {
                "common_equity_tier1_instruments": 500_000,
                "retained_earnings": 200_000,
            },
            "cet1_deductions_gbp": {"intangible_assets": 100_000},
            "at1_items_gbp": {"additional_tier1_instruments": 50_000},
            "at1_deductions_gbp": {"other_deductions": 80_000},
            "t2_items_gbp": {"tier2_instruments": 300_000},
        }
    )
    figures = result.figures
    assert figures["common_equity_tier1_gbp"] == pytest.approx(570_000)
    assert figures["additional_tier1_gbp"] == 0
    assert figures["tier2_gbp"] == pytest.approx(300_000)
    assert figures["cet1_test_passed"] is True
    assert figures["cet1_plus_at1_shortfall_gbp"] == pytest.approx(180_000)
    assert figures["total_shortfall_gbp"] == pytest.approx(130_000)
    assert figures["maximum_supported_requirement_gbp"] == pytest.approx(760_000)
    assert any("Art 36(1)(j)" in reading.rule for reading in result.readings)


def test_zero_requirement_has_no_coverage_3_2a_4r():
    result = run({"own_funds_requirement_gbp": 0, "cet1_gbp": 10})
    assert result.figures["coverage_ratio"] is None


def test_total_and_items_together_rejected_3_2a():
    with pytest.raises(InconsistentInputError) as error:
        run(
            {
                "own_funds_requirement_gbp": 1,
                "cet1_gbp": 1,
                "cet1_items_gbp": {"retained_earnings": 1},
            }
        )
    assert error.value.field == "cet1_gbp"


def test_unknown_item_rejected_3_3a():
    with pytest.raises(UnknownChoiceError) as error:
        run({"own_funds_requirement_gbp": 1, "cet1_items_gbp": {"goodwill": 5}})
    assert error.value.field == "cet1_items_gbp.goodwill"


def test_negative_deduction_rejected_3_3a():
    with pytest.raises(NegativeAmountError) as error:
        run(
            {
                "own_funds_requirement_gbp": 1,
                "cet1_deductions_gbp": {"intangible_assets": -5},
            }
        )
    assert error.value.field == "cet1_deductions_gbp.intangible_assets"
