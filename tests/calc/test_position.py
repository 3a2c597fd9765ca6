"""Whole-firm position: every calculator run in order, MIFIDPRU 3 to 7."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.__main__ import main
from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    NegativeAmountError,
    UnknownChoiceError,
)
from calc.position import firm_position

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = {
    case["id"]: case
    for case in json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
}

FIGURES_ONLY = {
    "pmr": 150_000,
    "fixed_overheads": 775_000,
    "k_factors": {"k_aum": 130_000, "k_cmh": 250_000},
    "own_funds": {"cet1_gbp": 800_000, "t2_gbp": 100_000},
    "liquidity": {
        "core_liquid_assets_gbp": {"short_term_deposits_uk_credit_institution": 300_000}
    },
    "wind_down": {
        "period_months": 3,
        "costs": [{"name": "staff", "monthly_cost_gbp": 300_000}],
    },
    "icara": {"own_funds_for_ongoing_harms_gbp": 100_000},
}


def test_position_from_figures_4_3_2r():
    position = firm_position(FIGURES_ONLY)
    assert position.is_sni is False
    assert position.k_factor_requirement_gbp == pytest.approx(380_000)
    assert position.own_funds_requirement_gbp == pytest.approx(775_000)
    assert position.binding_component == "fixed_overheads_requirement"
    assert position.own_funds_gbp == pytest.approx(900_000)
    assert position.surplus_gbp == pytest.approx(125_000)
    assert position.coverage_ratio == pytest.approx(900_000 / 775_000)
    assert position.composition_tests_passed is True


def test_position_liquidity_and_icara_7_6_4g():
    position = firm_position(FIGURES_ONLY)
    assert position.basic_liquid_assets_requirement_gbp == pytest.approx(258_333.333333)
    assert position.liquidity_surplus_gbp == pytest.approx(41_666.666667)
    # Wind-down 900k beats ongoing 775k + 100k; own funds 900k are under 110%.
    assert position.own_funds_threshold_requirement_gbp == pytest.approx(900_000)
    assert position.results["icara"].figures["binding"] == "wind_down"
    assert position.early_warning_state == "warning"
    assert position.liquid_assets_threshold_requirement_gbp == pytest.approx(
        1_158_333.333333
    )
    assert position.results["icara"].figures["liquid_assets_state"] == "breach"


def test_position_runs_calculators_in_order_4_3():
    position = firm_position(FIGURES_ONLY)
    assert list(position.results) == [
        "pmr",
        "fixed_overheads",
        "k_aum",
        "k_cmh",
        "k_factor_requirement",
        "own_funds_requirement",
        "own_funds_composition",
        "liquidity",
        "wind_down",
        "icara",
    ]
    assert any("entered as a figure" in warning for warning in position.warnings)
    json.dumps(position.to_dict())


def test_position_from_calculator_inputs_4_3_2r():
    bundle = {
        "permissions": ["portfolio_management", "holds_client_money"],
        "fixed_overheads": CASES["for-deductions"]["inputs"],
        "k_factors": {"k_aum": CASES["k-aum-drop-latest-three"]["inputs"]},
        "own_funds": {"cet1_gbp": 1_000_000},
    }
    position = firm_position(bundle)
    assert position.results["pmr"].value == pytest.approx(150_000)
    assert position.results["fixed_overheads"].value == pytest.approx(775_000)
    assert position.results["k_aum"].value == pytest.approx(130_000)
    assert position.own_funds_requirement_gbp == pytest.approx(775_000)
    assert position.own_funds_threshold_requirement_gbp is None


def test_position_sni_ignores_kfr_4_3_3r():
    bundle = {
        "sni": CASES["sni-all-conditions-met"]["inputs"],
        "pmr": 75_000,
        "fixed_overheads": 200_000,
        "k_factors": {"k_aum": 900_000},
    }
    position = firm_position(bundle)
    assert position.is_sni is True
    assert position.own_funds_requirement_gbp == pytest.approx(200_000)
    assert position.binding_component == "fixed_overheads_requirement"


def test_position_risk_register_feeds_icara_7_6_3r():
    bundle = {
        **FIGURES_ONLY,
        "icara": {},
        "risk_assessment": {
            "risks": [
                {
                    "id": "R1",
                    "category": "operational",
                    "likelihood": 3,
                    "impact": 4,
                    "harm_capital_gbp": 300_000,
                }
            ]
        },
    }
    position = firm_position(bundle)
    assert position.results["icara"].figures["harm_add_ons_gbp"] == pytest.approx(
        300_000
    )
    assert position.own_funds_threshold_requirement_gbp == pytest.approx(1_075_000)


def test_position_error_names_nested_field_4_7():
    bundle = {**FIGURES_ONLY, "k_factors": {"k_aum": -1}}
    with pytest.raises(NegativeAmountError) as error:
        firm_position(bundle)
    assert error.value.field == "k_factors.k_aum"


def test_position_error_in_calculator_input_7_6_4g():
    bundle = {**FIGURES_ONLY, "wind_down": {"period_months": 0}}
    with pytest.raises(CalculationInputError) as error:
        firm_position(bundle)
    assert error.value.field == "wind_down.period_months"


def test_position_sni_conflict_1_2_1r():
    bundle = {
        **FIGURES_ONLY,
        "is_sni": True,
        "sni": CASES["sni-all-conditions-met"]["inputs"],
    }
    with pytest.raises(InconsistentInputError) as error:
        firm_position(bundle)
    assert error.value.field == "is_sni"


def test_position_unknown_k_factor_rejected_4_6():
    with pytest.raises(UnknownChoiceError) as error:
        firm_position({**FIGURES_ONLY, "k_factors": {"k_xyz": 1}})
    assert error.value.field == "k_factors.k_xyz"


EXAMPLES = FIXTURES / "examples"
EXAMPLE_VALUES = {
    "own_funds_requirement": 775_000,
    "own_funds_composition": 900_000,
    "liquidity": 274_333.333333,
    "icara": 955_000,
    "wind_down": 1_033_000,
    "risk_assessment": 608_276.253030,
    "k_con": 1_600_000,
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_VALUES))
def test_documented_example_through_cli(name, capsys):
    """Each example in docs/calculators-position.md runs through ``python -m calc``."""
    exit_status = main([name, str(EXAMPLES / f"{name}.json")])
    output = json.loads(capsys.readouterr().out)
    assert exit_status == 0
    assert output["calculator"] == name
    assert output["value"] == pytest.approx(EXAMPLE_VALUES[name], abs=0.01)
    assert output["rules_version"]


def test_documented_position_example_7_6_4g():
    bundle = json.loads((EXAMPLES / "position.json").read_text("utf-8"))
    position = firm_position(bundle)
    # Ongoing: 775k + sqrt(60k^2 + 80k^2 + 2 x 0.25 x 60k x 80k); wind-down 825k.
    assert position.own_funds_threshold_requirement_gbp == pytest.approx(886_355.287257)
    assert position.early_warning_state == "adequate"
    assert position.liquidity_surplus_gbp == pytest.approx(141_666.666667)


def test_position_k_con_own_funds_5_5_1r():
    client = {
        "client_id": "ACME",
        "net_long_trading_book_gbp": 400_000,
        "client_own_funds_requirement_gbp": 40_000,
        "business_days_in_excess": 2,
    }
    bundle = {**FIGURES_ONLY, "k_factors": {"k_con": {"clients": [client]}}}
    position = firm_position(bundle)
    # Own funds 900k give a 225k soft limit: EVE 175k, OFRE 40k x 175/400 = 17.5k.
    assert position.results["k_con"].value == pytest.approx(35_000)
    assert position.k_factor_requirement_gbp == pytest.approx(35_000)


def test_position_without_liquid_assets_6_2_1r():
    bundle = {key: value for key, value in FIGURES_ONLY.items() if key != "liquidity"}
    position = firm_position(bundle)
    assert position.liquidity_surplus_gbp is None
    assert position.results["liquidity"].warnings == (
        "No core liquid assets were entered, so only the basic liquid assets "
        "requirement is shown.",
    )


def test_position_harms_use_binding_kfr_7_6_3r():
    bundle = {
        **FIGURES_ONLY,
        "fixed_overheads": 100_000,
        "icara": {
            "harms": [
                {"id": "H1", "own_funds_needed_gbp": 200_000, "covered_by": "k_cmh"},
                {"id": "H2", "own_funds_needed_gbp": 50_000},
            ]
        },
    }
    position = firm_position(bundle)
    icara = position.results["icara"]
    # KFR 380k binds; K-CMH (250k) covers H1, so only H2 is added.
    assert position.binding_component == "k_factor_requirement"
    assert icara.figures["harm_add_ons_gbp"] == pytest.approx(50_000)
    assert icara.inputs["own_funds_requirement_gbp"] == pytest.approx(380_000)


def test_position_liquidity_conflict_6_3_3r():
    bundle = {**FIGURES_ONLY, "liquidity": {"is_sni": True}}
    with pytest.raises(InconsistentInputError) as error:
        firm_position(bundle)
    assert error.value.field == "liquidity.is_sni"


def test_position_dealing_permission_6_3_3r():
    without_pmr = {key: value for key, value in FIGURES_ONLY.items() if key != "pmr"}
    bundle = {
        **without_pmr,
        "permissions": ["deal_on_own_account"],
        "liquidity": {
            "core_liquid_assets_gbp": {"coins_and_banknotes": 300_000},
            "trade_receivables": [{"amount_gbp": 100_000, "days_to_due": 10}],
        },
    }
    position = firm_position(bundle)
    assert position.results["pmr"].value == pytest.approx(750_000)
    assert position.results["liquidity"].figures["trade_receivables_counted_gbp"] == 0


def test_position_icara_requirement_conflict_7_6_3r():
    bundle = {**FIGURES_ONLY, "icara": {"own_funds_requirement_gbp": 1}}
    with pytest.raises(InconsistentInputError) as error:
        firm_position(bundle)
    assert error.value.field == "icara.own_funds_requirement_gbp"
