"""Audit of the whole-firm position and of own funds at and below zero.

MIFIDPRU 4.3.1R requires own funds of at least the own funds requirement at all
times. Deductions can take own funds below zero, and the dashboard must then show
the negative figure as a breach, never reject it or clamp it to zero.
"""

import pytest

from calc.position import firm_position
from calc.registry import get_calculator

# CET1 items 100,000 less intangible assets 300,000: own funds -200,000.
NEGATIVE_OWN_FUNDS = {
    "cet1_items_gbp": {"common_equity_tier1_instruments": 100_000},
    "cet1_deductions_gbp": {"intangible_assets": 300_000},
}


def base_bundle() -> dict:
    return {
        "permissions": ["portfolio_management"],
        "fixed_overheads": 400_000.0,
        "k_factors": {"k_aum": 100_000.0},
    }


def test_negative_own_funds_with_icara_is_breach() -> None:
    # OFR = max(PMR 75,000, FOR 400,000, KFR 100,000) = 400,000 (4.3.2R).
    # OFTR = max(400,000 + 0, wind-down 200,000) = 400,000 (7.6.4G).
    # Own funds -200,000 < OFTR: breach, surplus -600,000, ratio -0.5.
    bundle = base_bundle() | {
        "own_funds": NEGATIVE_OWN_FUNDS,
        "icara": {"own_funds_for_orderly_wind_down_gbp": 200_000.0},
    }
    position = firm_position(bundle)
    assert position.own_funds_gbp == -200_000.0
    assert position.surplus_gbp == -600_000.0
    assert position.own_funds_threshold_requirement_gbp == 400_000.0
    assert position.early_warning_state == "breach"
    icara = position.results["icara"]
    assert icara.figures["own_funds_to_threshold_ratio"] == pytest.approx(-0.5)


def test_icara_accepts_negative_own_funds() -> None:
    # MIFIDPRU 7.6: own funds of -1 against an OFTR of 1,000 is a breach.
    result = get_calculator("icara")(
        {
            "own_funds_requirement_gbp": 1_000.0,
            "own_funds_for_orderly_wind_down_gbp": 0.0,
            "own_funds_gbp": -1.0,
        }
    )
    assert result.figures["own_funds_state"] == "breach"
    assert result.figures["own_funds_surplus_over_threshold_gbp"] == -1_001.0


def test_k_con_with_negative_own_funds() -> None:
    # MIFIDPRU 5.5.1R: with own funds below zero the soft limit (25% of own
    # funds) is read as 0, so the whole EV of 10,000 is excess: EVE = EV and
    # OFRE = client OFR x EVE / EV = 100 (5.7.3R). Excess 3 business days old:
    # K-CON = 100 x 200% = 200 (5.7.4R(1)). EV 10,000 > 500% of own funds:
    # hard limit breach (5.9.1R(1)).
    bundle = base_bundle() | {"own_funds": NEGATIVE_OWN_FUNDS}
    bundle["k_factors"] = {
        "k_con": {
            "net_long_trading_book_gbp": 10_000.0,
            "client_own_funds_requirement_gbp": 100.0,
            "business_days_in_excess": 3,
        }
    }
    position = firm_position(bundle)
    k_con = position.results["k_con"]
    client = k_con.figures["clients"][0]
    assert client["exposure_value_excess_gbp"] == 10_000.0
    assert client["own_funds_requirement_for_excess_gbp"] == pytest.approx(100.0)
    assert k_con.value == pytest.approx(200.0)
    # No excess is older than 10 business days, so 5.9.1R(2) has nothing to
    # test: the only breach is the 500% one.
    breaches = k_con.figures["hard_limit_breaches"]
    assert [breach["rule"] for breach in breaches] == ["MIFIDPRU 5.9.1R(1)"]


def test_k_con_tranches_never_exceed_eve_share() -> None:
    # MIFIDPRU 5.7.4R(2): the tranche shares of the EVE add up to 1. With own
    # funds of -1,000 every tranche bound is read at 0, so the whole EVE sits in
    # the top tranche: K-CON = OFRE 100 x 900% = 900, not more.
    result = get_calculator("k_con")(
        {
            "own_funds_gbp": -1_000.0,
            "net_long_trading_book_gbp": 10_000.0,
            "client_own_funds_requirement_gbp": 100.0,
            "business_days_in_excess": 20,
        }
    )
    shares = [row["share_of_eve"] for row in result.figures["clients"][0]["tranches"]]
    assert sum(shares) == pytest.approx(1.0)
    assert result.value == pytest.approx(900.0)


def test_composition_negative_cet1_total() -> None:
    # CET1 after deductions of -50,000 entered as a total: own funds -50,000,
    # every test failed, shortfall against 100% of 100,000 = 150,000.
    result = get_calculator("own_funds_composition")(
        {"own_funds_requirement_gbp": 100_000.0, "cet1_gbp": -50_000.0}
    )
    assert result.value == -50_000.0
    assert result.figures["all_tests_passed"] is False
    assert result.figures["total_shortfall_gbp"] == 150_000.0


def test_composition_exact_shares_pass() -> None:
    # MIFIDPRU 3.2A.4R: at least 56%, 75% and 100% of the OFR. With an OFR of
    # 775,000: CET1 434,000 = 56% exactly; CET1 + AT1 581,250 = 75% exactly;
    # total 775,000 = 100%. Each test passes with no shortfall. In binary
    # floating point 0.56 x 775,000 is 434,000.00000000006.
    result = get_calculator("own_funds_composition")(
        {
            "own_funds_requirement_gbp": 775_000.0,
            "cet1_gbp": 434_000.0,
            "at1_gbp": 147_250.0,
            "t2_gbp": 193_750.0,
        }
    )
    assert result.figures["cet1_test_passed"] is True
    assert result.figures["cet1_shortfall_gbp"] == 0.0
    assert result.figures["cet1_plus_at1_test_passed"] is True
    assert result.figures["total_test_passed"] is True
    assert result.figures["all_tests_passed"] is True
    assert result.warnings == ()


def test_composition_one_penny_short_fails() -> None:
    # CET1 433,999.99 is below 56% of 775,000 = 434,000 by 0.01.
    result = get_calculator("own_funds_composition")(
        {
            "own_funds_requirement_gbp": 775_000.0,
            "cet1_gbp": 433_999.99,
            "at1_gbp": 200_000.0,
            "t2_gbp": 200_000.0,
        }
    )
    assert result.figures["cet1_test_passed"] is False
    assert result.figures["cet1_shortfall_gbp"] == pytest.approx(0.01, abs=1e-6)


def test_sni_ofr_ignores_larger_kfr() -> None:
    # MIFIDPRU 4.3.3R: an SNI's OFR = max(PMR 75,000, FOR 400,000) = 400,000,
    # although its K-factors add up to 900,000.
    bundle = base_bundle() | {"is_sni": True}
    bundle["k_factors"] = {"k_aum": 900_000.0}
    position = firm_position(bundle)
    assert position.own_funds_requirement_gbp == 400_000.0
    assert position.binding_component == "fixed_overheads_requirement"
    assert position.k_factor_requirement_gbp == 900_000.0


def test_early_warning_measured_against_oftr() -> None:
    # OFR 400,000; harm add-on 100,000 gives OFTR 500,000 (7.6.4G).
    # Own funds 500,000 = 125% of the OFR but 100% of the OFTR, which is below
    # 110% of the OFTR (550,000): warning, not adequate.
    bundle = base_bundle() | {
        "own_funds": {"cet1_gbp": 500_000.0},
        "icara": {
            "own_funds_for_orderly_wind_down_gbp": 0.0,
            "own_funds_for_ongoing_harms_gbp": 100_000.0,
        },
    }
    position = firm_position(bundle)
    assert position.own_funds_threshold_requirement_gbp == 500_000.0
    assert position.coverage_ratio == pytest.approx(1.25)
    assert position.early_warning_state == "warning"


def test_liquidity_uses_same_run_for() -> None:
    # MIFIDPRU 6.2.1R: BLAR = FOR / 3 + 1.6% x guarantees, with the FOR of this
    # run: 1,000,000 from total expenditure 4,000,000 (4.5.1R);
    # 1,000,000 / 3 + 0.016 x 500,000 = 333,333.33 + 8,000 = 341,333.33.
    # The LATR adds the higher of ongoing need 50,000 and wind-down 20,000.
    bundle = base_bundle() | {
        "fixed_overheads": {"total_expenditure_gbp": 4_000_000.0},
        "liquidity": {"client_guarantees_gbp": 500_000.0},
        "icara": {
            "own_funds_for_orderly_wind_down_gbp": 0.0,
            "liquid_assets_for_ongoing_operations_gbp": 50_000.0,
            "liquid_assets_to_start_wind_down_gbp": 20_000.0,
        },
    }
    position = firm_position(bundle)
    assert position.basic_liquid_assets_requirement_gbp == pytest.approx(
        1_000_000.0 / 3 + 8_000.0, rel=1e-12
    )
    assert position.liquid_assets_threshold_requirement_gbp == pytest.approx(
        1_000_000.0 / 3 + 8_000.0 + 50_000.0, rel=1e-12
    )


def test_totals_are_sums_of_unrounded_parts() -> None:
    # K-factors of 0.004 each, three of them: KFR 0.012, not 0.00 or 0.01 from
    # parts rounded to the penny before summing.
    bundle = base_bundle()
    bundle["k_factors"] = {"k_aum": 0.004, "k_cmh": 0.004, "k_asa": 0.004}
    position = firm_position(bundle)
    assert position.k_factor_requirement_gbp == pytest.approx(0.012, abs=1e-15)


def test_zero_inputs_everywhere() -> None:
    # FOR 0 (deductions equal to total expenditure), K-factors 0: OFR = PMR
    # 75,000 (4.3.2R), BLAR = 0 / 3 + 0 = 0 (6.2.1R).
    bundle = {
        "permissions": ["investment_advice"],
        "fixed_overheads": {
            "total_expenditure_gbp": 250_000.0,
            "deductions_gbp": {"non_recurring_non_ordinary_expenses": 250_000.0},
        },
        "k_factors": {"k_aum": 0.0},
        "own_funds": {"cet1_gbp": 0.0},
        "icara": {"own_funds_for_orderly_wind_down_gbp": 0.0},
    }
    position = firm_position(bundle)
    assert position.results["fixed_overheads"].value == 0.0
    assert position.own_funds_requirement_gbp == 75_000.0
    assert position.basic_liquid_assets_requirement_gbp == 0.0
    assert position.early_warning_state == "breach"


def test_own_funds_equal_to_k_cmg_ofr() -> None:
    # K-CMG = 1.3 x the third-highest daily margin (MIFIDPRU 4.13.5R reading):
    # 1.3 x 1,000,008 = 1,300,010.40, which is the OFR (4.3.2R: above the PMR of
    # 750,000 and a FOR of 0). Own funds of exactly 1,300,010.40 meet it
    # (4.3.1R): every composition test passes. The OFTR is the same amount, so
    # the state is the 110% early warning, not a breach. In binary floating
    # point 1.3 x 1,000,008 is 1,300,010.4000000001.
    margin = [[day, 1_000_008.0] for day in ("2026-09-15", "2026-10-15", "2026-11-16")]
    bundle = {
        "permissions": ["deal_on_own_account"],
        "fixed_overheads": 0.0,
        "k_factors": {
            "k_cmg": {
                "calculation_date": "2026-12-01",
                "daily_total_margin_gbp": margin,
            }
        },
        "own_funds": {"cet1_gbp": 1_300_010.40},
        "icara": {"own_funds_for_orderly_wind_down_gbp": 0.0},
    }
    position = firm_position(bundle)
    assert position.own_funds_requirement_gbp == pytest.approx(1_300_010.40)
    assert position.binding_component == "k_factor_requirement"
    assert position.composition_tests_passed is True
    assert position.results["own_funds_composition"].warnings == ()
    assert position.early_warning_state == "warning"
