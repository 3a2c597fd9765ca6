"""K-TCD, MIFIDPRU 4.14: golden cases and both exposure value routes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.errors import CalculationInputError, NegativeAmountError, UnknownChoiceError
from calc.k_factors.k_tcd import run
from calc.registry import get_calculator
from tests.saccr.golden import case_by_id, trade_rows

MIFIDPRU_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mifidpru.json"
K_TCD_CASES = [
    case
    for case in json.loads(MIFIDPRU_FIXTURE.read_text("utf-8"))["cases"]
    if case["id"].startswith("k-tcd")
]


@pytest.mark.parametrize("case", K_TCD_CASES, ids=lambda case: case["id"])
def test_golden_k_tcd(case) -> None:
    """MIFIDPRU 4.14 golden cases: K-TCD = 1.2 x EV x RF x CVA, to 0.01 GBP."""
    result = get_calculator("k_tcd")(case["inputs"])
    assert (
        abs(
            result.figures["exposure_value_gbp"]
            - case["expected"]["exposure_value_gbp"]
        )
        <= 0.01
    )
    assert abs(result.value - case["expected"]["k_tcd_gbp"]) <= 0.01
    assert result.rule == "MIFIDPRU 4.14.1R"


def test_cva_exempt_counterparty() -> None:
    """EV 2,500,000, other counterparty, CVA 1.0: 1.2 x 2.5m x 8% x 1 = 240,000."""
    result = run(
        {
            "replacement_cost_gbp": 2_000_000,
            "potential_future_exposure_gbp": 1_000_000,
            "collateral_gbp": 500_000,
            "counterparty_type": "other",
            "cva_applies": False,
        }
    )
    assert result.value == pytest.approx(240_000, abs=0.01)


@pytest.mark.parametrize(
    ("counterparty_type", "risk_factor"),
    [
        ("central_government", 0.016),
        ("central_bank", 0.016),
        ("public_sector_entity", 0.016),
        ("credit_institution", 0.016),
        ("investment_firm", 0.016),
        ("other", 0.08),
    ],
)
def test_risk_factor_by_counterparty_type(counterparty_type, risk_factor) -> None:
    result = run(
        {
            "replacement_cost_gbp": 100,
            "potential_future_exposure_gbp": 0,
            "counterparty_type": counterparty_type,
        }
    )
    assert result.figures["counterparties"][0]["risk_factor"] == risk_factor
    assert result.value == pytest.approx(1.2 * 100 * risk_factor * 1.5, abs=1e-12)


def test_collateral_above_exposure_gives_zero() -> None:
    """EV = max(0, RC + PFE - C): collateral beyond RC + PFE floors EV at zero."""
    result = run(
        {
            "replacement_cost_gbp": 100,
            "potential_future_exposure_gbp": 50,
            "collateral_gbp": 1_000,
            "counterparty_type": "other",
        }
    )
    assert result.figures["exposure_value_gbp"] == 0.0
    assert result.value == 0.0


def test_several_counterparties_are_summed() -> None:
    result = run(
        {
            "counterparties": [
                {
                    "counterparty_id": "BANK",
                    "replacement_cost_gbp": 1000,
                    "potential_future_exposure_gbp": 0,
                    "counterparty_type": "credit_institution",
                },
                {
                    "counterparty_id": "FUND",
                    "replacement_cost_gbp": 1000,
                    "potential_future_exposure_gbp": 0,
                    "counterparty_type": "other",
                    "cva_applies": False,
                },
            ]
        }
    )
    assert result.value == pytest.approx(1.2 * 1000 * (0.016 * 1.5 + 0.08 * 1.0))


def test_saccr_route_uses_ead_and_warns() -> None:
    """SA-CCR route on BCBS 279 Example 1: EV = EAD 569.470..., other, CVA 1.5.

    K-TCD = 1.2 x 569.4701409 x 8% x 1.5; the comparison figure EAD x RF is
    569.4701409 x 8%.
    """
    rows = [
        row | {"counterparty_id": "HEDGE-FUND"}
        for row in trade_rows(case_by_id("bcbs279-ex1-ir-unmargined"))
    ]
    result = run(
        {
            "route": "saccr",
            "trades": rows,
            "counterparties": [
                {
                    "counterparty_id": "HEDGE-FUND",
                    "counterparty_type": "other",
                    "cva_applies": True,
                }
            ],
        }
    )
    ead = 569.4701409373457
    assert result.figures["exposure_value_gbp"] == pytest.approx(ead, abs=1e-6)
    assert result.value == pytest.approx(1.2 * ead * 0.08 * 1.5, abs=1e-6)
    assert result.figures["k_tcd_ifr_article_25_4_shape_gbp"] == pytest.approx(
        ead * 0.08, abs=1e-6
    )
    assert result.warnings
    assert any("Not confirmed" in reading.text for reading in result.readings)


def test_saccr_route_requires_counterparty_entry() -> None:
    rows = trade_rows(case_by_id("derived-fx-forwards"))
    with pytest.raises(CalculationInputError) as caught:
        run({"route": "saccr", "trades": rows, "counterparties": []})
    assert caught.value.field == "counterparties"


def test_invalid_inputs_name_the_field() -> None:
    with pytest.raises(NegativeAmountError) as caught:
        run(
            {
                "replacement_cost_gbp": -1,
                "potential_future_exposure_gbp": 0,
                "counterparty_type": "other",
            }
        )
    assert caught.value.field == "replacement_cost_gbp"
    with pytest.raises(UnknownChoiceError) as caught:
        run(
            {
                "replacement_cost_gbp": 1,
                "potential_future_exposure_gbp": 0,
                "counterparty_type": "bank",
            }
        )
    assert caught.value.field == "counterparty_type"
    with pytest.raises(UnknownChoiceError):
        run({"route": "imm"})
