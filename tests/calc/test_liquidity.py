"""Basic liquid assets requirement and core liquid assets, MIFIDPRU 6."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from calc.errors import CalculationInputError, NotFiniteError, UnknownChoiceError
from calc.liquidity import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
GOLDEN = [case for case in CASES if case["calculator"] == "liquidity"]

RECEIVABLES_FIRM = {
    "fixed_overheads_requirement_gbp": 900_000,
    "client_guarantees_gbp": 1_000_000,
    "core_liquid_assets_gbp": {
        "coins_and_banknotes": 10_000,
        "short_term_deposits_uk_credit_institution": 200_000,
    },
    "trade_receivables": [
        {"amount_gbp": 150_000, "days_to_due": 20},
        {"amount_gbp": 100_000, "days_to_due": 45},
        {"amount_gbp": 100_000, "days_to_due": 10, "haircut": 0.6},
    ],
}


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_basic_liquid_assets(case):
    """Golden case cites MIFIDPRU 6.2.1R: FOR / 3 + 1.6% of client guarantees."""
    result = run(case["inputs"])
    expected = case["expected"]["basic_liquid_assets_requirement_gbp"]
    assert result.value == pytest.approx(expected, abs=0.01)
    assert result.figures["basic_liquid_assets_requirement_gbp"] == result.value


def test_requirement_elements_6_2_1r():
    result = run(
        {"fixed_overheads_requirement_gbp": 300_000, "client_guarantees_gbp": 0}
    )
    assert result.figures["fixed_overheads_element_gbp"] == pytest.approx(100_000)
    assert result.figures["guarantees_element_gbp"] == 0


def test_surplus_from_core_liquid_assets_6_3_1r():
    result = run(
        {
            "fixed_overheads_requirement_gbp": 300_000,
            "core_liquid_assets_gbp": {
                "uk_government_or_bank_of_england_claims": 150_000
            },
        }
    )
    assert result.figures["surplus_gbp"] == pytest.approx(50_000)
    assert result.figures["shortfall_gbp"] == 0
    assert result.warnings == ()


def test_receivables_haircut_window_and_cap_6_3_3r():
    result = run(RECEIVABLES_FIRM)
    figures = result.figures
    # 150k x 50% + 100k x 40%; the receivable due in 45 days is left out.
    assert figures["trade_receivables_after_haircut_gbp"] == pytest.approx(115_000)
    assert figures["trade_receivables_cap_gbp"] == pytest.approx(100_000)
    assert figures["trade_receivables_counted_gbp"] == pytest.approx(100_000)
    assert figures["shortfall_gbp"] == pytest.approx(6_000)
    assert result.readings[0].rule == "MIFIDPRU 6.3.3R(3)"


def test_receivables_never_cover_guarantees_6_3_3r_4():
    inputs = {
        "fixed_overheads_requirement_gbp": 900_000,
        "client_guarantees_gbp": 1_000_000,
        "core_liquid_assets_gbp": {"coins_and_banknotes": 200_000},
        "trade_receivables": [{"amount_gbp": 1_000_000, "days_to_due": 5}],
    }
    result = run(inputs)
    # Receivables count 100k against the 300k FOR element; 200k + 16k must come
    # from the other assets, so the 200k held leaves a 16k shortfall.
    assert result.figures["shortfall_gbp"] == pytest.approx(16_000)


def test_dealing_firm_no_receivables_6_3_3r():
    result = run({**RECEIVABLES_FIRM, "deals_on_own_account_or_underwrites": True})
    assert result.figures["trade_receivables_counted_gbp"] == 0
    assert result.figures["shortfall_gbp"] == pytest.approx(106_000)
    assert any("6.3.3R(1)" in warning for warning in result.warnings)


def test_sni_keeps_receivables_6_3_3r():
    result = run(
        {
            **RECEIVABLES_FIRM,
            "deals_on_own_account_or_underwrites": True,
            "is_sni": True,
        }
    )
    assert result.figures["trade_receivables_counted_gbp"] == pytest.approx(100_000)


def test_haircut_below_half_rejected_6_3_3r_5():
    inputs = {
        "fixed_overheads_requirement_gbp": 1,
        "trade_receivables": [{"amount_gbp": 1, "days_to_due": 1, "haircut": 0.3}],
    }
    with pytest.raises(CalculationInputError) as error:
        run(inputs)
    assert error.value.field == "trade_receivables.0.haircut"


def test_unknown_asset_type_rejected_6_3_1r():
    with pytest.raises(UnknownChoiceError) as error:
        run(
            {
                "fixed_overheads_requirement_gbp": 1,
                "core_liquid_assets_gbp": {"gold": 1},
            }
        )
    assert error.value.field == "core_liquid_assets_gbp.gold"


def test_nan_guarantees_rejected_6_2_1r():
    with pytest.raises(NotFiniteError) as error:
        run({"fixed_overheads_requirement_gbp": 1, "client_guarantees_gbp": math.nan})
    assert error.value.field == "client_guarantees_gbp"
