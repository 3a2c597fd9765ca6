"""Built-in calculator cases with known results, for the health check.

``MIFIDPRU_CASES`` and ``SACCR_CASES`` repeat golden cases of the same id from
the test fixtures: MIFIDPRU cases derived by hand from the rule cited, and
SA-CCR examples published by the Basel Committee. ``HAND_DERIVED_CASES`` cover
the other calculators, with the working beside each. The cases are copied here
so that the running app never reads ``tests/``; a test checks that each copy
still matches its fixture.

Money is GBP. A figure matches when it is within ``tolerance`` of the expected
value (0.01 GBP unless a case says otherwise). Booleans, text and lists must be
equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# England and Wales bank holidays inside the windows of the daily series
# below: Good Friday, Easter Monday, the early May and spring bank holidays
# and the summer bank holiday of 2026.
BANK_HOLIDAYS_2026 = frozenset(
    dt.date.fromisoformat(day)
    for day in ("2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31")
)


@dataclass(frozen=True)
class HealthCase:
    """One calculator run with its expected figures.

    ``expected`` maps a key of ``CalculationResult.figures`` to its value. A
    dotted key reaches into nested figures, with list positions as numbers
    (``netting_sets.0.exposure_at_default``). ``tolerance`` is the largest
    absolute difference accepted for numbers, in the unit of the figure.
    """

    case_id: str
    calculator: str
    rule: str
    inputs: Mapping[str, Any]
    expected: Mapping[str, Any]
    tolerance: float = 0.01


def business_day_series(
    first_day: str, last_day: str, value_by_month: Mapping[str, float]
) -> list[list[Any]]:
    """Return ``[date, value]`` rows for each England and Wales business day.

    Parameters
    ----------
    first_day, last_day : str
        ISO dates; both ends are included.
    value_by_month : Mapping
        The value for every business day of a month, keyed ``"YYYY-MM"``.

    Notes
    -----
    Only the 2026 holidays in ``BANK_HOLIDAYS_2026`` are skipped, which is
    enough for the windows used here.
    """
    day = dt.date.fromisoformat(first_day)
    end = dt.date.fromisoformat(last_day)
    rows: list[list[Any]] = []
    while day <= end:
        if day.weekday() < 5 and day not in BANK_HOLIDAYS_2026:
            rows.append([day.isoformat(), value_by_month[day.strftime("%Y-%m")]])
        day += dt.timedelta(days=1)
    return rows


def _months(first: str, last: str, value: float) -> dict[str, float]:
    """Return ``value`` for each month from ``first`` to ``last`` (``YYYY-MM``)."""
    year, month = (int(part) for part in first.split("-"))
    end_year, end_month = (int(part) for part in last.split("-"))
    months: dict[str, float] = {}
    while (year, month) <= (end_year, end_month):
        months[f"{year:04d}-{month:02d}"] = value
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


_CMH_SEGREGATED_BY_MONTH = {
    "2026-03": 40_000_000,
    "2026-04": 42_000_000,
    "2026-05": 44_000_000,
    "2026-06": 46_000_000,
    "2026-07": 48_000_000,
    "2026-08": 50_000_000,
    **_months("2026-09", "2026-11", 500_000_000),
}

MIFIDPRU_CASES: tuple[HealthCase, ...] = (
    HealthCase(
        case_id="pmr-client-money",
        calculator="pmr",
        rule="MIFIDPRU 4.4",
        inputs={"permissions": ["portfolio_management", "holds_client_money"]},
        expected={"pmr_gbp": 150_000},
    ),
    HealthCase(
        case_id="for-deductions",
        calculator="fixed_overheads",
        rule="MIFIDPRU 4.5.1R, 4.5.3R",
        inputs={
            "period_months": 12,
            "audited": True,
            "total_expenditure_gbp": 4_000_000,
            "deductions_gbp": {
                "staff_bonuses_dependent_on_net_profit": 600_000,
                "shared_commissions_contingent_on_receipt": 200_000,
                "non_recurring_non_ordinary_expenses": 100_000,
            },
        },
        expected={
            "relevant_expenditure_gbp": 3_100_000,
            "fixed_overheads_requirement_gbp": 775_000,
        },
    ),
    HealthCase(
        case_id="k-aum-drop-latest-three",
        calculator="k_aum",
        rule="MIFIDPRU 4.7.5R",
        inputs={
            "calculation_date": "2026-12-01",
            "month_end_aum_gbp": {
                "2025-09": 100_000_000,
                "2025-10": 200_000_000,
                "2025-11": 300_000_000,
                "2025-12": 400_000_000,
                "2026-01": 500_000_000,
                "2026-02": 600_000_000,
                "2026-03": 700_000_000,
                "2026-04": 800_000_000,
                "2026-05": 900_000_000,
                "2026-06": 1_000_000_000,
                "2026-07": 1_100_000_000,
                "2026-08": 1_200_000_000,
                "2026-09": 9_999_000_000,
                "2026-10": 9_999_000_000,
                "2026-11": 9_999_000_000,
            },
        },
        expected={"average_aum_gbp": 650_000_000, "k_aum_gbp": 130_000},
    ),
    HealthCase(
        case_id="k-cmh-six-of-nine-months",
        calculator="k_cmh",
        rule="MIFIDPRU 4.8.13R",
        inputs={
            "calculation_date": "2026-12-01",
            "daily_segregated_cmh_gbp": business_day_series(
                "2026-03-02", "2026-11-30", _CMH_SEGREGATED_BY_MONTH
            ),
            "daily_non_segregated_cmh_gbp": business_day_series(
                "2026-03-02", "2026-11-30", _months("2026-03", "2026-11", 10_000_000)
            ),
        },
        expected={
            "average_segregated_gbp": 45_015_873.015873015,
            "average_non_segregated_gbp": 10_000_000,
            "k_cmh_gbp": 230_063.49206349207,
        },
    ),
    HealthCase(
        case_id="k-coh-cash-and-derivatives",
        calculator="k_coh",
        rule="MIFIDPRU 4.10.1R, 4.10.19R",
        inputs={
            "calculation_date": "2026-12-01",
            "daily_cash_trades_gbp": business_day_series(
                "2026-06-01", "2026-11-30", _months("2026-06", "2026-11", 80_000_000)
            ),
            "daily_derivatives_notional_gbp": business_day_series(
                "2026-06-01", "2026-11-30", _months("2026-06", "2026-11", 500_000_000)
            ),
        },
        expected={
            "average_cash_gbp": 80_000_000,
            "average_derivatives_gbp": 500_000_000,
            "k_coh_gbp": 130_000,
        },
    ),
    HealthCase(
        case_id="k-cmg-third-highest",
        calculator="k_cmg",
        rule="MIFIDPRU 4.13",
        inputs={
            "daily_total_margin_gbp": [
                ["2026-09-01", 7_000_000],
                ["2026-09-02", 10_000_000],
                ["2026-10-01", 8_000_000],
                ["2026-11-02", 9_000_000],
                ["2026-11-03", 6_000_000],
            ]
        },
        expected={"k_cmg_gbp": 10_400_000},
    ),
    HealthCase(
        case_id="k-tcd-other-counterparty",
        calculator="k_tcd",
        rule="MIFIDPRU 4.14",
        inputs={
            "replacement_cost_gbp": 2_000_000,
            "potential_future_exposure_gbp": 1_000_000,
            "collateral_gbp": 500_000,
            "counterparty_type": "other",
            "cva_applies": True,
        },
        expected={"exposure_value_gbp": 2_500_000, "k_tcd_gbp": 360_000},
    ),
    HealthCase(
        case_id="k-con-excess-within-ten-days",
        calculator="k_con",
        rule="MIFIDPRU 5.7.4R(1)",
        inputs={
            "own_funds_requirement_for_excess_gbp": 50_000,
            "business_days_in_excess": 7,
        },
        expected={"k_con_gbp": 100_000},
    ),
    HealthCase(
        case_id="sni-all-conditions-met",
        calculator="sni",
        rule="MIFIDPRU 1.2.1R",
        inputs={
            "average_aum_gbp": 800_000_000,
            "average_coh_cash_per_day_gbp": 20_000_000,
            "average_coh_derivatives_per_day_gbp": 100_000_000,
            "average_asa_gbp": 0,
            "average_cmh_gbp": 0,
            "average_dtf_gbp": 0,
            "deals_on_own_account_or_underwrites": False,
            "balance_sheet_total_gbp": 40_000_000,
            "gross_revenue_investment_services_gbp_by_year": {
                "2024": 12_000_000,
                "2025": 14_000_000,
            },
            "clearing_member_or_indirect_clearing": False,
            "depositary": False,
        },
        expected={"is_sni": True, "failed_conditions": []},
    ),
    HealthCase(
        case_id="ofr-non-sni-kfr-binds",
        calculator="own_funds_requirement",
        rule="MIFIDPRU 4.3.2R",
        inputs={
            "is_sni": False,
            "pmr_gbp": 150_000,
            "fixed_overheads_requirement_gbp": 300_000,
            "k_factor_requirement_gbp": 420_000,
        },
        expected={
            "own_funds_requirement_gbp": 420_000,
            "binding": "k_factor_requirement",
        },
    ),
    HealthCase(
        case_id="composition-at1-shortfall",
        calculator="own_funds_composition",
        rule="MIFIDPRU 3",
        inputs={
            "own_funds_requirement_gbp": 1_000_000,
            "cet1_gbp": 600_000,
            "at1_gbp": 100_000,
            "t2_gbp": 400_000,
        },
        expected={
            "cet1_test_passed": True,
            "cet1_plus_at1_test_passed": False,
            "total_test_passed": True,
            "cet1_plus_at1_shortfall_gbp": 50_000,
        },
    ),
    HealthCase(
        case_id="basic-liquid-assets-requirement",
        calculator="liquidity",
        rule="MIFIDPRU 6.2.1R",
        inputs={
            "fixed_overheads_requirement_gbp": 775_000,
            "client_guarantees_gbp": 1_000_000,
        },
        expected={"basic_liquid_assets_requirement_gbp": 274_333.3333333334},
    ),
    HealthCase(
        case_id="ofar-threshold-wind-down-binds",
        calculator="icara",
        rule="MIFIDPRU 7.6.4G",
        inputs={
            "own_funds_requirement_gbp": 1_000_000,
            "own_funds_for_ongoing_harms_gbp": 300_000,
            "own_funds_for_orderly_wind_down_gbp": 1_600_000,
            "own_funds_gbp": 1_700_000,
        },
        expected={
            "own_funds_threshold_requirement_gbp": 1_600_000,
            "binding": "wind_down",
            "early_warning": True,
        },
    ),
)

# Cases derived by hand for the calculators that the golden fixtures do not
# cover. Each expected figure is worked out in the comment above it.
HAND_DERIVED_CASES: tuple[HealthCase, ...] = (
    # Window: the 6 months before December, less the latest 3, leaves June to
    # August 2026 with 22, 23 and 20 business days (31 August is a holiday).
    # Average = (22 x 100m + 23 x 200m + 20 x 300m) / 65 = 12,800m / 65;
    # K-ASA = 0.04% of that = 78,769.2307...
    HealthCase(
        case_id="k-asa-weighted-by-business-days",
        calculator="k_asa",
        rule="MIFIDPRU 4.9",
        inputs={
            "calculation_date": "2026-12-01",
            "daily_asa_gbp": business_day_series(
                "2026-06-01",
                "2026-11-30",
                {
                    "2026-06": 100_000_000,
                    "2026-07": 200_000_000,
                    "2026-08": 300_000_000,
                    **_months("2026-09", "2026-11", 900_000_000),
                },
            ),
        },
        expected={
            "average_asa_gbp": 12_800_000_000 / 65,
            "k_asa_gbp": 0.0004 * 12_800_000_000 / 65,
        },
    ),
    # Window: the 9 months before December, less the latest 3, leaves March to
    # August. K-DTF = 0.1% x 50m cash + 0.01% x 200m derivatives = 70,000.
    HealthCase(
        case_id="k-dtf-constant-flows",
        calculator="k_dtf",
        rule="MIFIDPRU 4.15",
        inputs={
            "calculation_date": "2026-12-01",
            "daily_cash_trades_gbp": business_day_series(
                "2026-03-02", "2026-11-30", _months("2026-03", "2026-11", 50_000_000)
            ),
            "daily_derivatives_notional_gbp": business_day_series(
                "2026-03-02", "2026-11-30", _months("2026-03", "2026-11", 200_000_000)
            ),
        },
        expected={
            "average_cash_gbp": 50_000_000,
            "average_derivatives_gbp": 200_000_000,
            "k_dtf_gbp": 70_000,
        },
    ),
    # K-NPR from components is their sum: 100,000 + 50,000 + 25,000.
    HealthCase(
        case_id="k-npr-components-sum",
        calculator="k_npr",
        rule="MIFIDPRU 4.12",
        inputs={
            "method": "components",
            "source": "health check case",
            "components_gbp": {
                "interest_rate_position_risk": 100_000,
                "equity_position_risk": 50_000,
                "foreign_exchange_risk": 25_000,
            },
        },
        expected={"k_npr_gbp": 175_000},
    ),
    # The K-factor requirement is the sum of the K-factors: 130,000 + 250,000
    # + 130,000 + 405,000 = 915,000, grouped as MIFIDPRU 8.5 discloses them.
    HealthCase(
        case_id="k-factor-requirement-sum",
        calculator="k_factor_requirement",
        rule="MIFIDPRU 4.6",
        inputs={
            "k_factors_gbp": {
                "k_aum": 130_000,
                "k_cmh": 250_000,
                "k_coh": 130_000,
                "k_npr": 405_000,
            }
        },
        expected={
            "k_factor_requirement_gbp": 915_000,
            "disclosure_groups_gbp.k_aum_k_cmh_k_asa": 380_000,
            "disclosure_groups_gbp.k_coh_k_dtf": 130_000,
            "disclosure_groups_gbp.k_npr_k_cmg_k_tcd_k_con": 405_000,
        },
    ),
    # Six months of a fixed 100,000 cost plus a 50,000 one-off in month 6 and
    # no revenue: the cumulative cost peaks at 650,000 in month 6.
    HealthCase(
        case_id="wind-down-fixed-and-one-off",
        calculator="wind_down",
        rule="MIFIDPRU 7.6.4G(2)(b)",
        inputs={
            "period_months": 6,
            "costs": [
                {"name": "staff", "monthly_cost_gbp": 100_000, "behaviour": "fixed"}
            ],
            "one_off_costs": [{"name": "redundancy", "amount_gbp": 50_000, "month": 6}],
        },
        expected={
            "own_funds_for_orderly_wind_down_gbp": 650_000,
            "liquid_assets_for_wind_down_gbp": 650_000,
            "peak_month": 6,
        },
    ),
    # Two uncorrelated harms of 300,000 and 400,000 aggregate to
    # sqrt(300,000^2 + 400,000^2) = 500,000.
    HealthCase(
        case_id="risk-assessment-uncorrelated",
        calculator="risk_assessment",
        rule="MIFIDPRU 7.4.13R",
        inputs={
            "risks": [
                {
                    "id": "R1",
                    "title": "Key person loss",
                    "category": "operational",
                    "likelihood": 4,
                    "impact": 5,
                    "velocity": "fast",
                    "control_effectiveness": "strong",
                    "harm_capital_gbp": 300_000,
                },
                {
                    "id": "R2",
                    "title": "Complaint redress",
                    "category": "harm_to_clients",
                    "likelihood": 3,
                    "impact": 2,
                    "velocity": "slow",
                    "control_effectiveness": "moderate",
                    "harm_capital_gbp": 400_000,
                },
            ],
            "correlation": {"risk_ids": ["R1", "R2"], "matrix": [[1, 0], [0, 1]]},
        },
        expected={
            "harm_capital_sum_gbp": 700_000,
            "aggregated_harm_capital_gbp": 500_000,
        },
    ),
)

_UNMARGINED_TERMS = {
    "margined": "false",
    "threshold": 0,
    "minimum_transfer_amount": 0,
    "nica": 0,
    "variation_margin_net_held": 0,
    "remargin_period_days": 1,
}

# BCBS 279 Annex 4a, Examples 1 and 2, in USD thousands as printed there. The
# expected values are the full-precision ones recomputed from the rules, which
# round to the printed RC 60, add-on 347 and EAD 569 (Example 1) and add-on
# 282, multiplier 0.965 and EAD 381 (Example 2).
SACCR_CASES: tuple[HealthCase, ...] = (
    HealthCase(
        case_id="bcbs279-ex1-ir-unmargined",
        calculator="saccr",
        rule="CRE52, BCBS 279 Annex 4a Example 1",
        inputs={
            "trades": [
                {
                    "trade_id": "EX1-T1",
                    "netting_set_id": "bcbs279-ex1-ir-unmargined",
                    "asset_class": "interest_rate",
                    "hedging_set": "USD",
                    "notional": 10_000,
                    "maturity_years": 10,
                    "start_years": 0,
                    "end_years": 10,
                    "direction": "long",
                    "mtm": 30,
                    "transaction_kind": "linear",
                    **_UNMARGINED_TERMS,
                },
                {
                    "trade_id": "EX1-T2",
                    "netting_set_id": "bcbs279-ex1-ir-unmargined",
                    "asset_class": "interest_rate",
                    "hedging_set": "USD",
                    "notional": 10_000,
                    "maturity_years": 4,
                    "start_years": 0,
                    "end_years": 4,
                    "direction": "short",
                    "mtm": -20,
                    "transaction_kind": "linear",
                    **_UNMARGINED_TERMS,
                },
                {
                    "trade_id": "EX1-T3",
                    "netting_set_id": "bcbs279-ex1-ir-unmargined",
                    "asset_class": "interest_rate",
                    "hedging_set": "EUR",
                    "notional": 5_000,
                    "maturity_years": 11,
                    "start_years": 1,
                    "end_years": 11,
                    "direction": "short",
                    "mtm": 50,
                    "transaction_kind": "linear",
                    "option_type": "put",
                    "option_position": "bought",
                    "underlying_price": 0.06,
                    "strike": 0.05,
                    "exercise_years": 1,
                    **_UNMARGINED_TERMS,
                },
            ]
        },
        expected={
            "netting_sets.0.replacement_cost": 60,
            "netting_sets.0.add_on_interest_rate": 346.7643863838184,
            "netting_sets.0.multiplier": 1.0,
            "netting_sets.0.potential_future_exposure": 346.7643863838184,
            "netting_sets.0.exposure_at_default": 569.4701409373457,
            "exposure_at_default_total": 569.4701409373457,
        },
        tolerance=1e-6,
    ),
    HealthCase(
        case_id="bcbs279-ex2-credit-unmargined",
        calculator="saccr",
        rule="CRE52, BCBS 279 Annex 4a Example 2",
        inputs={
            "trades": [
                {
                    "trade_id": "EX2-T1",
                    "netting_set_id": "bcbs279-ex2-credit-unmargined",
                    "asset_class": "credit",
                    "sub_class": "AA",
                    "risk_factor": "Firm A",
                    "notional": 10_000,
                    "maturity_years": 3,
                    "start_years": 0,
                    "end_years": 3,
                    "direction": "long",
                    "mtm": 20,
                    "transaction_kind": "linear",
                    **_UNMARGINED_TERMS,
                },
                {
                    "trade_id": "EX2-T2",
                    "netting_set_id": "bcbs279-ex2-credit-unmargined",
                    "asset_class": "credit",
                    "sub_class": "BBB",
                    "risk_factor": "Firm B",
                    "notional": 10_000,
                    "maturity_years": 6,
                    "start_years": 0,
                    "end_years": 6,
                    "direction": "short",
                    "mtm": -40,
                    "transaction_kind": "linear",
                    **_UNMARGINED_TERMS,
                },
                {
                    "trade_id": "EX2-T3",
                    "netting_set_id": "bcbs279-ex2-credit-unmargined",
                    "asset_class": "credit",
                    "sub_class": "IG_index",
                    "risk_factor": "CDX.IG 5y",
                    "notional": 10_000,
                    "maturity_years": 5,
                    "start_years": 0,
                    "end_years": 5,
                    "direction": "long",
                    "mtm": 0,
                    "transaction_kind": "linear",
                    **_UNMARGINED_TERMS,
                },
            ]
        },
        expected={
            "netting_sets.0.replacement_cost": 0.0,
            "netting_sets.0.add_on_credit": 282.1288318596666,
            "netting_sets.0.multiplier": 0.965208280997999,
            "netting_sets.0.potential_future_exposure": 272.3130848192423,
            "netting_sets.0.exposure_at_default": 381.2383187469392,
        },
        tolerance=1e-6,
    ),
)

HEALTH_CASES: tuple[HealthCase, ...] = MIFIDPRU_CASES + HAND_DERIVED_CASES + SACCR_CASES


def cases_by_calculator() -> dict[str, list[HealthCase]]:
    """Return the built-in cases grouped by calculator name."""
    grouped: dict[str, list[HealthCase]] = {}
    for case in HEALTH_CASES:
        grouped.setdefault(case.calculator, []).append(case)
    return grouped
