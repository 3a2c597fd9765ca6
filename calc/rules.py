"""Every coefficient, window and threshold the calculators use, as data.

Each parameter carries its rule reference, the status of that reference (seen in
the UK FCA Handbook text, taken from the EU IFR that MIFIDPRU follows, or not
confirmed), and a note on the reading chosen where the text is unclear. Results
record ``RULES_VERSION`` so a saved figure can be traced to the rules it used.

Add a parameter by defining a module-level ``Parameter`` constant in the section
for its rule; ``all_parameters()`` collects them for the app and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

HANDBOOK_DATE = "2026-04-06"
RULES_VERSION = f"FCA Handbook MIFIDPRU as in force on {HANDBOOK_DATE}"
CALCULATOR_VERSION = "1.0.0"


class SourceStatus(StrEnum):
    """Strength of the source behind a parameter's value."""

    UK_HANDBOOK = "seen in the FCA Handbook text"
    EU_IFR = "taken from the EU IFR; UK wording not confirmed"
    UNCONFIRMED = "not confirmed in the Handbook text; configurable"
    READING = "our reading of the rule; shown next to the figure"


@dataclass(frozen=True)
class Parameter:
    """One regulatory parameter with its provenance.

    ``unit`` is one of ``"GBP"``, ``"ratio"`` (0.0002 for 0.02%), ``"months"``,
    ``"business days"``, ``"count"`` or ``"text"``.
    """

    name: str
    value: Any
    unit: str
    rule: str
    status: SourceStatus
    note: str = ""


def all_parameters() -> list[Parameter]:
    """Return every ``Parameter`` defined in this module, in definition order."""
    return [value for value in globals().values() if isinstance(value, Parameter)]


# Sections follow. Each calculator module reads its parameters from here.


# --- Core calculators: PMR, FOR, K-AUM, K-CMH, K-ASA, K-COH, K-DTF, K-NPR, K-CMG,
# --- total K-factor requirement and the SNI test (calc/permanent_minimum.py,
# --- calc/fixed_overheads.py, calc/k_factors/, calc/sni.py).

PMR_DEPOSITARY_UK_UCITS_OR_AUTHORISED_AIF = Parameter(
    "pmr_depositary_uk_ucits_or_authorised_aif",
    4_000_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (1)",
    SourceStatus.UK_HANDBOOK,
    "Table updated 06/04/2026; its rule number is not shown in the copy read.",
)
PMR_DEALING_OR_UNDERWRITING = Parameter(
    "pmr_dealing_or_underwriting",
    750_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (2)",
    SourceStatus.UK_HANDBOOK,
    "Dealing on own account, underwriting or placing on a firm commitment basis, "
    "or operating an OTF without the MAR 5A.3.5R limitation.",
)
PMR_DEPOSITARY_UNAUTHORISED_AIF = Parameter(
    "pmr_depositary_unauthorised_aif",
    750_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (3)",
    SourceStatus.UK_HANDBOOK,
    "Depositary of an unauthorised AIF under FUND 3.11.10R(2).",
)
PMR_TARGETED_SUPPORT = Parameter(
    "pmr_targeted_support",
    500_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (4)",
    SourceStatus.UK_HANDBOOK,
    "Added to the table on 06/04/2026.",
)
PMR_MTF_OR_CLIENT_MONEY = Parameter(
    "pmr_mtf_or_client_money",
    150_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (5)",
    SourceStatus.UK_HANDBOOK,
    "Operating an MTF, operating an OTF with the MAR 5A.3.5R limitation, or "
    "holding client money or client assets in the course of MiFID business.",
)
PMR_OTHER_SERVICES = Parameter(
    "pmr_other_services",
    75_000.0,
    "GBP",
    "MIFIDPRU 4.4 table row (6)",
    SourceStatus.UK_HANDBOOK,
    "Reception and transmission of orders, execution of orders, portfolio "
    "management, investment advice, placing without a firm commitment basis.",
)

FOR_FRACTION_OF_RELEVANT_EXPENDITURE = Parameter(
    "for_fraction_of_relevant_expenditure",
    0.25,
    "ratio",
    "MIFIDPRU 4.5.1R",
    SourceStatus.UK_HANDBOOK,
    "One quarter of the relevant expenditure of the preceding year.",
)
FOR_MONTHS_IN_YEAR = Parameter(
    "for_months_in_year",
    12,
    "months",
    "MIFIDPRU 4.5.2R",
    SourceStatus.UK_HANDBOOK,
    "Expenditure for a period other than 12 months is divided by the months "
    "covered and multiplied by 12.",
)

K_AUM_COEFFICIENT = Parameter(
    "k_aum_coefficient",
    0.0002,
    "ratio",
    "MIFIDPRU 4.7.1R",
    SourceStatus.EU_IFR,
    "0.02% of average AUM; the UK table is an image, value from IFR Art 15.",
)
K_AUM_WINDOW_MONTHS = Parameter(
    "k_aum_window_months",
    15,
    "months",
    "MIFIDPRU 4.7.5R(1)(a)",
    SourceStatus.UK_HANDBOOK,
)
K_AUM_EXCLUDED_MONTHS = Parameter(
    "k_aum_excluded_months",
    3,
    "months",
    "MIFIDPRU 4.7.5R(1)(b)",
    SourceStatus.UK_HANDBOOK,
)

K_CMH_SEGREGATED_COEFFICIENT = Parameter(
    "k_cmh_segregated_coefficient",
    0.004,
    "ratio",
    "MIFIDPRU 4.8.1R",
    SourceStatus.EU_IFR,
    "0.4% of average CMH held in segregated accounts; value from IFR Art 15.",
)
K_CMH_NON_SEGREGATED_COEFFICIENT = Parameter(
    "k_cmh_non_segregated_coefficient",
    0.005,
    "ratio",
    "MIFIDPRU 4.8.1R",
    SourceStatus.EU_IFR,
    "0.5% of average CMH held in non-segregated accounts; value from IFR Art 15.",
)
K_CMH_WINDOW_MONTHS = Parameter(
    "k_cmh_window_months",
    9,
    "months",
    "MIFIDPRU 4.8.13R",
    SourceStatus.EU_IFR,
    "UK text not seen; IFR Art 18(1): end-of-day CMH over the previous 9 months.",
)
K_CMH_EXCLUDED_MONTHS = Parameter(
    "k_cmh_excluded_months",
    3,
    "months",
    "MIFIDPRU 4.8.13R",
    SourceStatus.EU_IFR,
    "IFR Art 18(1) excludes the 3 most recent months.",
)

K_ASA_COEFFICIENT = Parameter(
    "k_asa_coefficient",
    0.0004,
    "ratio",
    "MIFIDPRU 4.9.1R",
    SourceStatus.EU_IFR,
    "0.04% of average ASA; value from IFR Art 15.",
)
K_ASA_WINDOW_MONTHS = Parameter(
    "k_asa_window_months",
    6,
    "months",
    "MIFIDPRU 4.9.8R",
    SourceStatus.UNCONFIRMED,
    "Neither the UK nor the IFR text was seen; 6 months is from memory of IFR Art 19.",
)
K_ASA_EXCLUDED_MONTHS = Parameter(
    "k_asa_excluded_months", 3, "months", "MIFIDPRU 4.9.8R", SourceStatus.UNCONFIRMED
)

K_COH_CASH_COEFFICIENT = Parameter(
    "k_coh_cash_coefficient",
    0.001,
    "ratio",
    "MIFIDPRU 4.10.1R",
    SourceStatus.UK_HANDBOOK,
)
K_COH_DERIVATIVES_COEFFICIENT = Parameter(
    "k_coh_derivatives_coefficient",
    0.0001,
    "ratio",
    "MIFIDPRU 4.10.1R",
    SourceStatus.UK_HANDBOOK,
)
K_COH_WINDOW_MONTHS = Parameter(
    "k_coh_window_months",
    6,
    "months",
    "MIFIDPRU 4.10.19R",
    SourceStatus.EU_IFR,
    "UK text not seen; IFR Art 20(1): previous 6 months.",
)
K_COH_EXCLUDED_MONTHS = Parameter(
    "k_coh_excluded_months", 3, "months", "MIFIDPRU 4.10.19R", SourceStatus.EU_IFR
)
INTEREST_RATE_DERIVATIVE_DURATION_DIVISOR = Parameter(
    "interest_rate_derivative_duration_divisor",
    10.0,
    "count",
    "MIFIDPRU 4.10 and 4.15 (IFR Art 20(2)(b), Art 33(2)(b))",
    SourceStatus.EU_IFR,
    "Interest rate derivative notional is multiplied by time to maturity in "
    "years divided by 10; UK wording not confirmed.",
)

K_DTF_CASH_COEFFICIENT = Parameter(
    "k_dtf_cash_coefficient",
    0.001,
    "ratio",
    "MIFIDPRU 4.15.1R",
    SourceStatus.EU_IFR,
    "0.1% of average DTF in cash trades; value from IFR Art 15.",
)
K_DTF_DERIVATIVES_COEFFICIENT = Parameter(
    "k_dtf_derivatives_coefficient",
    0.0001,
    "ratio",
    "MIFIDPRU 4.15.1R",
    SourceStatus.EU_IFR,
    "0.01% of average DTF in derivatives; value from IFR Art 15.",
)
K_DTF_WINDOW_MONTHS = Parameter(
    "k_dtf_window_months",
    9,
    "months",
    "MIFIDPRU 4.15.4R",
    SourceStatus.EU_IFR,
    "UK text not seen. IFR Art 33(1): daily values over the previous 9 months, "
    "the 3 most recent dropped, mean of the other 6.",
)
K_DTF_EXCLUDED_MONTHS = Parameter(
    "k_dtf_excluded_months", 3, "months", "MIFIDPRU 4.15.4R", SourceStatus.EU_IFR
)

K_CMG_MULTIPLIER = Parameter(
    "k_cmg_multiplier",
    1.3,
    "ratio",
    "MIFIDPRU 4.13.5R",
    SourceStatus.UNCONFIRMED,
    "The UK formula is an image; 1.3 is from memory of IFR Art 23(2).",
)
K_CMG_MARGIN_RANK = Parameter(
    "k_cmg_margin_rank",
    3,
    "count",
    "MIFIDPRU 4.13.5R",
    SourceStatus.UNCONFIRMED,
    "The third-highest daily total margin; from memory of IFR Art 23(2).",
)
K_CMG_WINDOW_MONTHS = Parameter(
    "k_cmg_window_months",
    3,
    "months",
    "MIFIDPRU 4.13.5R",
    SourceStatus.UNCONFIRMED,
    "The preceding 3 months; from memory of IFR Art 23(2).",
)

K_NPR_FX_CAPITAL_RATIO = Parameter(
    "k_npr_fx_capital_ratio",
    0.08,
    "ratio",
    "MIFIDPRU 4.12.2R via UK CRR Art 351",
    SourceStatus.UNCONFIRMED,
    "Standardised approach to foreign-exchange risk: 8% of the overall net "
    "foreign-exchange position plus the net gold position; UK CRR text not seen.",
)
K_NPR_FX_DE_MINIMIS_RATIO = Parameter(
    "k_npr_fx_de_minimis_ratio",
    0.02,
    "ratio",
    "MIFIDPRU 4.12.2R via UK CRR Art 351",
    SourceStatus.UNCONFIRMED,
    "No foreign-exchange requirement while the overall net position and net gold "
    "position do not exceed 2% of total own funds; UK CRR text not seen.",
)

SNI_AUM_THRESHOLD = Parameter(
    "sni_aum_threshold",
    1_200_000_000.0,
    "GBP",
    "MIFIDPRU 1.2.1R(1)",
    SourceStatus.UK_HANDBOOK,
    "Average AUM must be less than this amount.",
)
SNI_COH_CASH_THRESHOLD = Parameter(
    "sni_coh_cash_threshold",
    100_000_000.0,
    "GBP",
    "MIFIDPRU 1.2.1R(2)",
    SourceStatus.UK_HANDBOOK,
    "Average COH for cash trades must be less than this amount per day.",
)
SNI_COH_DERIVATIVES_THRESHOLD = Parameter(
    "sni_coh_derivatives_threshold",
    1_000_000_000.0,
    "GBP",
    "MIFIDPRU 1.2.1R(2)",
    SourceStatus.UK_HANDBOOK,
    "Average COH for derivatives must be less than this amount per day.",
)
SNI_BALANCE_SHEET_THRESHOLD = Parameter(
    "sni_balance_sheet_threshold",
    100_000_000.0,
    "GBP",
    "MIFIDPRU 1.2.1R(6)",
    SourceStatus.UK_HANDBOOK,
    "On- and off-balance sheet total must be less than this amount.",
)
SNI_REVENUE_THRESHOLD = Parameter(
    "sni_revenue_threshold",
    30_000_000.0,
    "GBP",
    "MIFIDPRU 1.2.1R(7)",
    SourceStatus.UK_HANDBOOK,
    "Total annual gross revenue from investment services and activities must be "
    "less than this amount.",
)
SNI_REVENUE_YEARS = Parameter(
    "sni_revenue_years",
    2,
    "count",
    "MIFIDPRU 1.2.1R(7)",
    SourceStatus.UK_HANDBOOK,
    "Revenue is the average of the annual figures for the 2 years immediately "
    "before the financial year in question.",
)


# --- Own funds requirement, composition, liquidity, ICARA, wind-down, risk
# assessment and K-CON (calc/own_funds.py, own_funds_composition.py,
# liquidity.py, icara.py, wind_down.py, risk_assessment.py, k_factors/k_con.py) ---

OWN_FUNDS_REQUIREMENT_TIE_ORDER = Parameter(
    "own_funds_requirement_tie_order",
    (
        "permanent_minimum_requirement",
        "fixed_overheads_requirement",
        "k_factor_requirement",
    ),
    "text",
    "MIFIDPRU 4.3.2R, 4.3.3R",
    SourceStatus.READING,
    "Where two components are equal, the one listed first here is named binding.",
)
CET1_MINIMUM_SHARE = Parameter(
    "cet1_minimum_share",
    0.56,
    "ratio",
    "MIFIDPRU 3.2A.4R (IFR Art 9(1)(a))",
    SourceStatus.EU_IFR,
    "Rule reference seen in the Handbook; the ratio is an image there, so the "
    "value is the IFR Art 9(1) one, not verified.",
)
TIER1_MINIMUM_SHARE = Parameter(
    "tier1_minimum_share",
    0.75,
    "ratio",
    "MIFIDPRU 3.2A.4R (IFR Art 9(1)(b))",
    SourceStatus.EU_IFR,
    "Common equity tier 1 plus additional tier 1 as a share of the own funds "
    "requirement; value matches IFR Art 9(1).",
)
TOTAL_OWN_FUNDS_MINIMUM_SHARE = Parameter(
    "total_own_funds_minimum_share",
    1.0,
    "ratio",
    "MIFIDPRU 4.3.1R, 3.2A.4R",
    SourceStatus.UK_HANDBOOK,
    "Own funds must at all times be at least the own funds requirement.",
)
BASIC_LIQUID_ASSETS_FOR_SHARE = Parameter(
    "basic_liquid_assets_fixed_overheads_share",
    1 / 3,
    "ratio",
    "MIFIDPRU 6.2.1R(1)",
    SourceStatus.UK_HANDBOOK,
)
BASIC_LIQUID_ASSETS_GUARANTEES_SHARE = Parameter(
    "basic_liquid_assets_guarantees_share",
    0.016,
    "ratio",
    "MIFIDPRU 6.2.1R(2)",
    SourceStatus.UK_HANDBOOK,
)
TRADE_RECEIVABLES_MAXIMUM_DAYS = Parameter(
    "trade_receivables_maximum_days",
    30,
    "days",
    "MIFIDPRU 6.3.3R(2)",
    SourceStatus.UK_HANDBOOK,
)
TRADE_RECEIVABLES_MINIMUM_HAIRCUT = Parameter(
    "trade_receivables_minimum_haircut",
    0.5,
    "ratio",
    "MIFIDPRU 6.3.3R(5)",
    SourceStatus.UK_HANDBOOK,
)
TRADE_RECEIVABLES_CAP_SHARE = Parameter(
    "trade_receivables_cap_share",
    1 / 3,
    "ratio",
    "MIFIDPRU 6.3.3R(3)",
    SourceStatus.READING,
    "Receivables may make up at most one third of the 6.2.1R(1) element, which is "
    "itself one third of the FOR, so the cap is FOR / 9; applied after the haircut.",
)
REQUIREMENT_COMPARISON_TOLERANCE = Parameter(
    "requirement_comparison_tolerance",
    1e-12,
    "ratio",
    "MIFIDPRU 4.3.1R, 3.2A.4R, 7.6 (house method)",
    SourceStatus.READING,
    "An amount held meets a computed requirement when it falls short by less than "
    "this share of it. Binary floating point leaves a product such as 1.3 x "
    "1,000,008 one rounding step above its decimal value 1,300,010.40. The "
    "margin is below a penny for requirements under GBP 10bn.",
)
EARLY_WARNING_RATIO = Parameter(
    "early_warning_ratio",
    1.10,
    "ratio",
    "MIFIDPRU 7.6 (own funds threshold requirement)",
    SourceStatus.UNCONFIRMED,
    "Own funds below 110% of the own funds threshold requirement raise the early "
    "warning; the Handbook rule number for this level was not found.",
)
RISK_SCORE_SCALE_MAXIMUM = Parameter(
    "risk_score_scale_maximum",
    5,
    "count",
    "MIFIDPRU 7.4.13R (house methodology)",
    SourceStatus.READING,
    "Likelihood and impact are scored 1 to 5; score = likelihood x impact.",
)
RISK_RATING_BANDS = Parameter(
    "risk_rating_bands",
    ((4, "low"), (9, "medium"), (15, "high"), (25, "critical")),
    "count",
    "MIFIDPRU 7.4.13R (house methodology)",
    SourceStatus.READING,
    "Upper bound of each band of the 1-25 score, inclusive.",
)
CONTROL_EFFECTIVENESS_REDUCTION = Parameter(
    "control_effectiveness_reduction",
    {"none": 0.0, "weak": 0.2, "moderate": 0.4, "strong": 0.6, "very_strong": 0.8},
    "ratio",
    "MIFIDPRU 7.4.9R (house methodology)",
    SourceStatus.READING,
    "Share by which controls reduce the likelihood score; impact is unchanged.",
)
CORRELATION_TOLERANCE = Parameter(
    "correlation_tolerance",
    1e-9,
    "ratio",
    "MIFIDPRU 7.6.2R (harm aggregation)",
    SourceStatus.READING,
    "Numerical tolerance for symmetry, unit diagonal and the smallest eigenvalue.",
)
K_CON_SOFT_LIMIT_SHARE = Parameter(
    "k_con_soft_limit_share",
    0.25,
    "ratio",
    "MIFIDPRU 5.5.1R (IFR Art 37(1))",
    SourceStatus.UNCONFIRMED,
    "The 5.5.1R text was not available; 25% of own funds is the IFR value, "
    "not verified.",
)
K_CON_INSTITUTION_SOFT_LIMIT_GBP = Parameter(
    "k_con_institution_soft_limit_gbp",
    150_000_000.0,
    "GBP",
    "MIFIDPRU 5.5.1R (IFR Art 37(1))",
    SourceStatus.UNCONFIRMED,
    "For credit institutions and investment firms: the higher of 25% of own funds "
    "and this amount, at most 100% of own funds. The IFR amount is EUR 150m; "
    "neither it nor a UK amount was verified.",
)
K_CON_INSTITUTION_SOFT_LIMIT_CAP_SHARE = Parameter(
    "k_con_institution_soft_limit_cap_share",
    1.0,
    "ratio",
    "MIFIDPRU 5.5.1R (IFR Art 37(1))",
    SourceStatus.UNCONFIRMED,
)
K_CON_SHORT_EXCESS_DAYS = Parameter(
    "k_con_short_excess_business_days",
    10,
    "business days",
    "MIFIDPRU 5.7.4R(1), 5.9.1R",
    SourceStatus.UK_HANDBOOK,
)
K_CON_SHORT_EXCESS_FACTOR = Parameter(
    "k_con_short_excess_factor",
    2.0,
    "ratio",
    "MIFIDPRU 5.7.4R(1)",
    SourceStatus.UK_HANDBOOK,
)
K_CON_TRANCHE_FACTORS = Parameter(
    "k_con_tranche_factors",
    ((0.40, 2.0), (0.60, 3.0), (0.80, 4.0), (1.00, 5.0), (2.50, 6.0), (None, 9.0)),
    "ratio",
    "MIFIDPRU 5.7.4R(2) Table 1 (IFR Art 39(2) Table)",
    SourceStatus.UNCONFIRMED,
    "Upper bound of each EVE tranche as a share of own funds (None: no bound) and "
    "its factor. The UK table is an image; the values are the IFR ones, not "
    "verified.",
)
K_CON_SINGLE_CLIENT_HARD_LIMIT_SHARE = Parameter(
    "k_con_single_client_hard_limit_share",
    5.0,
    "ratio",
    "MIFIDPRU 5.9.1R(1)",
    SourceStatus.UK_HANDBOOK,
)
K_CON_AGGREGATE_HARD_LIMIT_SHARE = Parameter(
    "k_con_aggregate_hard_limit_share",
    6.0,
    "ratio",
    "MIFIDPRU 5.9.1R(2)",
    SourceStatus.UK_HANDBOOK,
)


# --- K-TCD (calc/k_factors/k_tcd.py) and SA-CCR (calc/saccr/, whose supervisory
# --- factor, correlation and volatility tables are in calc/saccr/parameters.py).

K_TCD_ALPHA = Parameter(
    "k_tcd_alpha",
    1.2,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 26)",
    SourceStatus.EU_IFR,
    "TCD own funds requirement = alpha x EV x RF x CVA; the UK formula is an image "
    "that did not come through in the Handbook copy read.",
)
K_TCD_RISK_FACTOR_GOVERNMENT = Parameter(
    "k_tcd_risk_factor_government",
    0.016,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 26 Table 2)",
    SourceStatus.EU_IFR,
    "Central governments, central banks and public sector entities.",
)
K_TCD_RISK_FACTOR_INSTITUTION = Parameter(
    "k_tcd_risk_factor_institution",
    0.016,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 26 Table 2)",
    SourceStatus.EU_IFR,
    "Credit institutions and investment firms.",
)
K_TCD_RISK_FACTOR_OTHER = Parameter(
    "k_tcd_risk_factor_other",
    0.08,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 26 Table 2)",
    SourceStatus.EU_IFR,
    "Every other counterparty.",
)
K_TCD_CVA_FACTOR = Parameter(
    "k_tcd_cva_factor",
    1.5,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 32)",
    SourceStatus.EU_IFR,
    "Credit valuation adjustment factor for transactions that are not exempt.",
)
K_TCD_CVA_FACTOR_EXEMPT = Parameter(
    "k_tcd_cva_factor_exempt",
    1.0,
    "ratio",
    "MIFIDPRU 4.14 (EU IFR Art 32)",
    SourceStatus.EU_IFR,
    "Non-financial counterparties below the clearing thresholds, intragroup "
    "transactions, long settlement transactions, SFTs and loans.",
)
SACCR_ALPHA = Parameter(
    "saccr_alpha",
    1.4,
    "ratio",
    "UK CRR Art 274(2); Basel Framework CRE52.1",
    SourceStatus.READING,
    "EAD = 1.4 x (RC + PFE). Used on the K-TCD SA-CCR route, whose UK basis in "
    "MIFIDPRU 4.14 is not confirmed.",
)
