"""Audit of the MIFIDPRU coefficients, tables and limits, by hand from the rules.

Each case sits on or next to a boundary of the rule: a threshold, a tranche
bound, a hard limit, or a 30-day or 10-business-day cut-off. There a wrong
comparison, or a figure one binary rounding step too high, changes the outcome.
"""

import pytest

from calc.errors import MissingPeriodError
from calc.k_factors.k_con import ClientExposure, k_con_requirement
from calc.position import firm_position
from calc.registry import get_calculator


@pytest.mark.parametrize(
    ("permissions", "expected"),
    [
        (["portfolio_management", "investment_advice"], 75_000.0),
        (["portfolio_management", "holds_client_money"], 150_000.0),
        (["holds_client_assets", "targeted_support"], 500_000.0),
        (["targeted_support", "deal_on_own_account"], 750_000.0),
        (["operate_otf_without_limitation"], 750_000.0),
        (["depositary_unauthorised_aif", "targeted_support"], 750_000.0),
        (["deal_on_own_account", "depositary_uk_ucits_or_authorised_aif"], 4e6),
    ],
)
def test_pmr_table_2026(permissions: list[str], expected: float) -> None:
    # MIFIDPRU 4.4 table as updated 06/04/2026: the highest row that applies.
    result = get_calculator("pmr")({"permissions": permissions})
    assert result.value == expected


def test_for_fact_sheet_case() -> None:
    # MIFIDPRU 4.5.1R, 4.5.3R: total expenditure 4.0m less bonuses 0.6m,
    # contingent shared commissions 0.2m and non-recurring 0.1m = 3.1m;
    # FOR = 3.1m / 4 = 775,000.
    result = get_calculator("fixed_overheads")(
        {
            "total_expenditure_gbp": 4_000_000.0,
            "deductions_gbp": {
                "staff_bonuses_dependent_on_net_profit": 600_000.0,
                "shared_commissions_contingent_on_receipt": 200_000.0,
                "non_recurring_non_ordinary_expenses": 100_000.0,
            },
        }
    )
    assert result.value == 775_000.0


@pytest.mark.parametrize(
    ("months", "expenditure", "expected_for"),
    [
        # MIFIDPRU 4.5.2R: 6.0m over 18 months = 4.0m a year; FOR 1.0m.
        (18, 6_000_000.0, 1_000_000.0),
        # 3.0m over 9 months = 4.0m a year; FOR 1.0m.
        (9, 3_000_000.0, 1_000_000.0),
        # 12 months: no scaling; 4.0m / 4 = 1.0m.
        (12, 4_000_000.0, 1_000_000.0),
    ],
)
def test_for_annualised(months: int, expenditure: float, expected_for: float) -> None:
    result = get_calculator("fixed_overheads")(
        {"total_expenditure_gbp": expenditure, "period_months": months}
    )
    assert result.value == pytest.approx(expected_for, rel=1e-15)


def test_ofr_three_way_tie() -> None:
    # MIFIDPRU 4.3.2R: max(150,000, 150,000, 150,000) = 150,000; PMR is named
    # binding by the configured order and a reading records the tie.
    result = get_calculator("own_funds_requirement")(
        {
            "is_sni": False,
            "pmr_gbp": 150_000.0,
            "fixed_overheads_requirement_gbp": 150_000.0,
            "k_factor_requirement_gbp": 150_000.0,
        }
    )
    assert result.value == 150_000.0
    assert result.figures["binding"] == "permanent_minimum_requirement"
    assert len(result.figures["tied_components"]) == 3


def test_blar_guarantees_exact_penny() -> None:
    # MIFIDPRU 6.2.1R: FOR 900,000 / 3 = 300,000 plus 1.6% of guarantees of
    # 1,000,175 = 16,002.80, total 316,002.80. Core liquid assets of exactly
    # 316,002.80 meet it: no shortfall and no warning. In binary floating
    # point 0.016 x 1,000,175 is 16,002.800000000001.
    result = get_calculator("liquidity")(
        {
            "fixed_overheads_requirement_gbp": 900_000.0,
            "client_guarantees_gbp": 1_000_175.0,
            "core_liquid_assets_gbp": {"coins_and_banknotes": 316_002.80},
        }
    )
    assert result.figures["guarantees_element_gbp"] == 16_002.80
    assert result.figures["shortfall_gbp"] == 0.0
    assert result.warnings == ()


def test_latr_exact_holding_not_breach() -> None:
    # MIFIDPRU 7.7.3G: LATR = BLAR 16,002.80 (1.6% of 1,000,175, no FOR) plus
    # the higher of 0 and 0. Liquid assets of 16,002.80 meet it exactly.
    bundle = {
        "permissions": ["investment_advice"],
        "fixed_overheads": 0.0,
        "k_factors": {"k_aum": 0.0},
        "liquidity": {
            "client_guarantees_gbp": 1_000_175.0,
            "core_liquid_assets_gbp": {"coins_and_banknotes": 16_002.80},
        },
        "icara": {"own_funds_for_orderly_wind_down_gbp": 0.0},
    }
    icara = firm_position(bundle).results["icara"]
    assert icara.figures["liquid_assets_threshold_requirement_gbp"] == 16_002.80
    assert icara.figures["liquid_assets_state"] == "adequate"


@pytest.mark.parametrize(
    ("days_to_due", "counted"),
    [
        # MIFIDPRU 6.3.3R(2): receivable within 30 days counts; 31 does not.
        # 300,000 less the 50% haircut = 150,000, capped at FOR / 9 = 100,000.
        (30, 100_000.0),
        (31, 0.0),
    ],
)
def test_receivables_30_day_cut_off(days_to_due: int, counted: float) -> None:
    # Core liquid assets: cash 216,000 + receivables counted. Requirement
    # 300,000 + 16,000 (1.6% of 1,000,000), receivables against the FOR part
    # only (6.3.3R(4)): with 100,000 counted the surplus is 0.
    result = get_calculator("liquidity")(
        {
            "fixed_overheads_requirement_gbp": 900_000.0,
            "client_guarantees_gbp": 1_000_000.0,
            "core_liquid_assets_gbp": {"coins_and_banknotes": 216_000.0},
            "trade_receivables": [
                {"amount_gbp": 300_000.0, "days_to_due": days_to_due}
            ],
        }
    )
    assert result.figures["trade_receivables_cap_gbp"] == pytest.approx(100_000.0)
    assert result.figures["trade_receivables_counted_gbp"] == pytest.approx(counted)
    assert result.figures["surplus_gbp"] == pytest.approx(counted - 100_000.0)


def test_k_con_seven_days_doubles_ofre() -> None:
    # MIFIDPRU 5.7.4R(1): excess of 7 business days, OFRE 50,000: K-CON 100,000.
    client = ClientExposure(
        "a", business_days_in_excess=7, own_funds_requirement_for_excess_gbp=50_000.0
    )
    assert k_con_requirement([client], None).value == 100_000.0


def test_k_con_tranches_by_hand() -> None:
    # Own funds 1,000,000; EV 2,000,000; soft limit 25% = 250,000 (5.5.1R);
    # EVE 1,750,000. Client OFR 35,000: OFRE = 35,000 x 1.75m / 2m = 30,625.
    # Tranches of the EVE (5.7.4R(2)): 400k at 200%, 200k at 300%, 200k at
    # 400%, 200k at 500%, 750k at 600%. K-CON = 30,625 / 1.75m x (0.8m + 0.6m
    # + 0.8m + 1.0m + 4.5m) = 17,500 x 7.7 = 134,750.
    client = ClientExposure(
        "a",
        business_days_in_excess=11,
        net_long_trading_book_gbp=2_000_000.0,
        client_own_funds_requirement_gbp=35_000.0,
    )
    result = k_con_requirement([client], 1_000_000.0)
    row = result.figures["clients"][0]
    assert row["exposure_value_excess_gbp"] == 1_750_000.0
    assert row["own_funds_requirement_for_excess_gbp"] == pytest.approx(30_625.0)
    factors = [tranche["factor"] for tranche in row["tranches"]]
    assert factors == [2.0, 3.0, 4.0, 5.0, 6.0]
    assert result.value == pytest.approx(134_750.0, rel=1e-12)


@pytest.mark.parametrize(
    ("exposure", "breached"),
    [(5_000_000.0, False), (5_000_000.01, True)],
)
def test_k_con_500_percent_limit(exposure: float, breached: bool) -> None:
    # MIFIDPRU 5.9.1R(1): within 10 business days the EV must not exceed 500%
    # of own funds of 1,000,000, so 5,000,000 is allowed and 5,000,000.01 is not.
    client = ClientExposure(
        "a",
        business_days_in_excess=10,
        net_long_trading_book_gbp=exposure,
        client_own_funds_requirement_gbp=1_000.0,
    )
    result = k_con_requirement([client], 1_000_000.0)
    assert bool(result.figures["hard_limit_breaches"]) is breached


@pytest.mark.parametrize(
    ("second_exposure", "breached"),
    [(3_000_000.0, False), (3_000_000.01, True)],
)
def test_k_con_600_percent_limit(second_exposure: float, breached: bool) -> None:
    # MIFIDPRU 5.9.1R(2): the EVEs of excesses older than 10 business days must
    # not add up to more than 600% of own funds of 1,000,000. Soft limits are
    # set at 0, so EVE = EV: 3,000,000 + 3,000,000 = 6,000,000 is allowed.
    clients = [
        ClientExposure(
            client_id,
            business_days_in_excess=11,
            net_long_trading_book_gbp=amount,
            soft_limit_gbp=0.0,
            client_own_funds_requirement_gbp=1_000.0,
        )
        for client_id, amount in (("a", 3_000_000.0), ("b", second_exposure))
    ]
    result = k_con_requirement(clients, 1_000_000.0)
    assert result.figures["aggregate_eve_over_ten_days_gbp"] == pytest.approx(
        3_000_000.0 + second_exposure
    )
    assert bool(result.figures["hard_limit_breaches"]) is breached


SNI_PASSING = {
    "average_aum_gbp": 0.0,
    "average_coh_cash_per_day_gbp": 0.0,
    "average_coh_derivatives_per_day_gbp": 0.0,
    "average_asa_gbp": 0.0,
    "average_cmh_gbp": 0.0,
    "deals_on_own_account_or_underwrites": False,
    "balance_sheet_total_gbp": 0.0,
    "gross_revenue_investment_services_gbp_by_year": {"2024": 0.0, "2025": 0.0},
    "clearing_member_or_indirect_clearing": False,
    "average_dtf_gbp": 0.0,
    "depositary": False,
    "financial_year": 2026,
}


@pytest.mark.parametrize(
    ("field", "at_threshold", "below"),
    [
        ("average_aum_gbp", 1.2e9, 1.2e9 - 0.01),
        ("average_coh_cash_per_day_gbp", 100e6, 100e6 - 0.01),
        ("average_coh_derivatives_per_day_gbp", 1e9, 1e9 - 0.01),
        ("balance_sheet_total_gbp", 100e6, 100e6 - 0.01),
        ("average_asa_gbp", 0.01, 0.0),
        ("average_cmh_gbp", 0.01, 0.0),
        ("average_dtf_gbp", 0.01, 0.0),
    ],
)
def test_sni_thresholds_strict(field: str, at_threshold: float, below: float) -> None:
    # MIFIDPRU 1.2.1R: "less than" the amount, or exactly zero.
    failing = get_calculator("sni")(SNI_PASSING | {field: at_threshold})
    passing = get_calculator("sni")(SNI_PASSING | {field: below})
    assert failing.figures["is_sni"] is False
    assert passing.figures["is_sni"] is True


def test_sni_revenue_two_prior_years() -> None:
    # MIFIDPRU 1.2.1R(7): the average of the 2 years before financial year
    # 2026, i.e. 2024 and 2025: (29,999,999 + 30,000,001) / 2 = 30,000,000,
    # which is not less than 30m. The 2023 and 2026 figures play no part.
    revenue = {
        "2023": 0.0,
        "2024": 29_999_999.0,
        "2025": 30_000_001.0,
        "2026": 0.0,
    }
    result = get_calculator("sni")(
        SNI_PASSING | {"gross_revenue_investment_services_gbp_by_year": revenue}
    )
    assert result.figures["average_revenue_gbp"] == 30_000_000.0
    assert result.figures["revenue_years"] == [2024, 2025]
    assert result.figures["failed_conditions"] == ["revenue"]


def test_k_cmg_third_highest_margin() -> None:
    # MIFIDPRU 4.13.5R (IFR Art 23(2) reading): 1.3 x the third-highest daily
    # total margin in the 3 months before 2026-12-01 (September to November).
    # Peaks 10m, 9m, 8m, 7m: 1.3 x 8m = 10.4m. A 50m value in August is
    # outside the window.
    days = {
        "2026-08-28": 50e6,
        "2026-09-15": 10e6,
        "2026-10-15": 9e6,
        "2026-11-16": 8e6,
        "2026-11-17": 7e6,
    }
    result = get_calculator("k_cmg")(
        {
            "calculation_date": "2026-12-01",
            "daily_total_margin_gbp": [[day, amount] for day, amount in days.items()],
        }
    )
    assert result.value == pytest.approx(10.4e6, rel=1e-12)


def test_sni_revenue_gap_year_rejected() -> None:
    # MIFIDPRU 1.2.1R(7): the 2 years immediately before the financial year.
    # With no financial year and figures for 2023 and 2025 only, the latest 2
    # years entered are not consecutive: 2024 is missing. Averaging 2023 and
    # 2025, (40m + 10m) / 2 = 25m, would pass the test wrongly.
    revenue = {"2023": 40_000_000.0, "2025": 10_000_000.0}
    inputs = SNI_PASSING | {"gross_revenue_investment_services_gbp_by_year": revenue}
    del inputs["financial_year"]
    with pytest.raises(MissingPeriodError) as error:
        get_calculator("sni")(inputs)
    assert error.value.value == [2024]
