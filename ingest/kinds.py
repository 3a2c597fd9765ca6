"""The upload schemas, one per kind of data a firm uploads.

Each schema names the rule its data feeds. Choice values for expenditure
categories, own funds items and core liquid asset types come from the
calculators (``calc.fixed_overheads``, ``calc.own_funds_composition`` and
``calc.liquidity``) so an upload can only use names the calculators accept.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from calc.calendar import Month, bank_holiday_name, is_business_day
from calc.fixed_overheads import DEDUCTION_CHECKLIST
from calc.liquidity import CORE_LIQUID_ASSET_TYPES
from calc.own_funds_composition import (
    AT1_DEDUCTIONS,
    AT1_ITEMS,
    CET1_DEDUCTIONS,
    CET1_ITEMS,
    T2_DEDUCTIONS,
    T2_ITEMS,
)
from calc.risk_assessment import CATEGORIES as RISK_CATEGORIES
from calc.risk_assessment import CONTROL_LEVELS
from calc.risk_assessment import VELOCITIES as RISK_VELOCITIES
from ingest.issues import ParseIssue, show_value
from ingest.schemas import (
    Column,
    ColumnType,
    Period,
    Required,
    UploadSchema,
    choice_map,
    normalise_choice,
)

GBP = "GBP"

# GBP per one unit of each currency, as (low, high). A rate outside its band is
# almost always entered the wrong way round (currency per GBP).
# NOTE: the bands lie a little outside the month-end rates since 2000 as
# recalled, not as checked against a data source. Widen a band here if a real
# rate is rejected.
PLAUSIBLE_RATE_BANDS: dict[str, tuple[float, float]] = {
    "USD": (0.45, 1.0),
    "EUR": (0.55, 1.0),
    "CHF": (0.35, 1.0),
    "CAD": (0.35, 0.8),
    "AUD": (0.3, 0.75),
    "NZD": (0.28, 0.65),
    "SGD": (0.3, 0.75),
}

NOT_DEDUCTED = "not_deducted"
THIRD_PARTY_FIXED_EXPENSES = "third_party_fixed_expenses"
TRADE_RECEIVABLE = "trade_receivable"
NOT_CORE = "not_core_liquid_asset"


def _date(*aliases: str, description: str, example: str) -> Column:
    return Column(
        "date",
        ColumnType.DATE,
        description=description,
        example=example,
        aliases=aliases,
    )


def _amount(
    description: str,
    example: str,
    *aliases: str,
    allow_negative: bool = False,
    name: str = "amount",
) -> Column:
    return Column(
        name,
        ColumnType.AMOUNT,
        description=description,
        example=example,
        aliases=aliases,
        allow_negative=allow_negative,
    )


def _currency(required: Required = Required.OPTIONAL) -> Column:
    return Column(
        "currency",
        ColumnType.CURRENCY,
        required=required,
        description="ISO 4217 code of the amount, e.g. GBP or USD; GBP when empty",
        example="GBP",
        aliases=("ccy", "currency_code", "curr"),
        default=GBP,
    )


def _fx_rate(required: Required = Required.OPTIONAL) -> Column:
    return Column(
        "fx_rate_to_gbp",
        ColumnType.NUMBER,
        required=required,
        description="GBP per one unit of the currency on the row's date (0.79 for "
        "USD); empty or 1 for GBP",
        example="1",
        aliases=("fx_rate", "fx", "rate_to_gbp", "gbp_rate", "exchange_rate"),
        default=None,
        minimum=0.0,
    )


def check_currency_rate(row: dict[str, Any], number: int) -> list[ParseIssue]:
    """Check the FX rate against the currency; fill 1.0 for empty GBP rates."""
    currency = row.get("currency", GBP)
    rate = row.get("fx_rate_to_gbp")
    if currency == GBP:
        if rate is None:
            row["fx_rate_to_gbp"] = 1.0
            return []
        if rate != 1.0:
            return [
                ParseIssue(
                    number,
                    "fx_rate_to_gbp",
                    show_value(rate),
                    "is not 1 for a GBP amount",
                    "Leave the rate empty or enter 1 for GBP, or correct the currency.",
                )
            ]
        return []
    if rate is None:
        return [
            ParseIssue(
                number,
                "fx_rate_to_gbp",
                "",
                f"is empty for a {currency} amount",
                f"Enter the GBP value of one {currency} on the row's date.",
            )
        ]
    if rate <= 0:
        return [
            ParseIssue(
                number,
                "fx_rate_to_gbp",
                show_value(rate),
                "is not a positive rate",
                f"Enter the GBP value of one {currency}, e.g. 0.79 for USD.",
            )
        ]
    low, high = PLAUSIBLE_RATE_BANDS.get(currency, (0.0, math.inf))
    if not low <= rate <= high:
        return [
            ParseIssue(
                number,
                "fx_rate_to_gbp",
                show_value(rate),
                f"is outside the usual {low} to {high} GBP per {currency}, so it "
                f"looks like {currency} per GBP",
                f"Enter GBP per one {currency} (the inverse, 1 / {rate:g}).",
            )
        ]
    return []


def check_month_end(row: dict[str, Any], number: int) -> list[ParseIssue]:
    """Require the last calendar day or the last business day of a month."""
    day: date = row["date"]
    month = Month.of(day)
    if day in (month.last_day, month.last_business_day()):
        return []
    return [
        ParseIssue(
            number,
            "date",
            day.isoformat(),
            "is not a month-end date",
            f"Enter the value at the end of {month} with the date "
            f"{_month_end_choices(month)}.",
        )
    ]


def _month_end_choices(month: Month) -> str:
    last_day = f"{month.last_day:%d/%m/%Y}"
    last_business_day = f"{month.last_business_day():%d/%m/%Y}"
    if last_day == last_business_day:
        return last_day
    return f"{last_day} or {last_business_day}"


def check_business_day(row: dict[str, Any], number: int) -> list[ParseIssue]:
    """Reject weekend days and England and Wales bank holidays."""
    day: date = row["date"]
    if is_business_day(day):
        return []
    reason = bank_holiday_name(day) or day.strftime("%A")
    return [
        ParseIssue(
            number,
            "date",
            day.isoformat(),
            f"is not an England and Wales business day ({reason})",
            "Remove the row, or move the value to the business day it belongs to.",
        )
    ]


def check_interest_rate_derivative(
    row: dict[str, Any], number: int
) -> list[ParseIssue]:
    """Require a time to maturity for interest rate derivatives, and only for them."""
    flagged = row.get("interest_rate_derivative", False)
    years = row.get("time_to_maturity_years")
    if flagged and row.get("kind") != "derivative":
        return [
            ParseIssue(
                number,
                "interest_rate_derivative",
                "yes",
                "is yes on a cash trade",
                "Set kind to derivative, or interest_rate_derivative to no.",
            )
        ]
    if flagged and (years is None or years <= 0):
        return [
            ParseIssue(
                number,
                "time_to_maturity_years",
                show_value(years),
                "is needed for an interest rate derivative and must be above 0",
                "Enter the remaining time to maturity in years, e.g. 2.5.",
            )
        ]
    if not flagged and years is not None:
        return [
            ParseIssue(
                number,
                "time_to_maturity_years",
                show_value(years),
                "is given for a row that is not an interest rate derivative",
                "Set interest_rate_derivative to yes, or clear the maturity.",
            )
        ]
    return []


AUM_MONTH_END = UploadSchema(
    kind="aum_month_end",
    title="Month-end assets under management",
    rule="MIFIDPRU 4.7 (K-AUM)",
    description="One row per month end, portfolio and currency: the value of "
    "assets managed on a discretionary basis or under ongoing advice.",
    columns=(
        _date(
            "month_end",
            "as_at",
            "as_at_date",
            "valuation_date",
            "period_end",
            description="Month-end date: the last calendar day or last business day",
            example="30/11/2026",
        ),
        _amount(
            "Value of the assets in the row's currency",
            "1,250,000.00",
            "aum",
            "assets_under_management",
            "market_value",
            "value",
        ),
        _currency(Required.YES),
        _fx_rate(Required.YES),
        Column(
            "portfolio",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Portfolio or mandate name",
            "Balanced GBP",
            aliases=("mandate", "fund", "strategy"),
            default="",
        ),
        Column(
            "type",
            ColumnType.CHOICE,
            Required.OPTIONAL,
            "discretionary or ongoing_advice",
            "discretionary",
            aliases=("aum_type", "mandate_type", "service"),
            default="discretionary",
            choices=choice_map(
                ("discretionary", ("discretionary portfolio management", "dpm")),
                (
                    "ongoing_advice",
                    ("advisory", "non-discretionary", "ongoing advice", "advice"),
                ),
            ),
        ),
    ),
    key=("date", "portfolio", "currency", "type"),
    period=Period.MONTH_END,
    row_checks=(check_month_end, check_currency_rate),
)


CLIENT_MONEY_DAILY = UploadSchema(
    kind="client_money_daily",
    title="Daily client money held",
    rule="MIFIDPRU 4.8 (K-CMH)",
    description="End-of-day client money balances on every England and Wales "
    "business day, split by segregated and non-segregated accounts.",
    columns=(
        _date(
            "business_date",
            "as_at",
            "balance_date",
            description="Business day of the end-of-day balance",
            example="30/11/2026",
        ),
        Column(
            "segregated",
            ColumnType.BOOLEAN,
            description="yes for money in segregated accounts, no otherwise",
            example="yes",
            aliases=("is_segregated", "segregated_account"),
        ),
        _amount(
            "End-of-day client money balance",
            "42,500,000.00",
            "balance",
            "client_money",
            "client_money_held",
        ),
        Column(
            "account",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Bank account name",
            "Client account 1",
            aliases=("bank", "bank_account", "account_name"),
            default="",
        ),
        _currency(),
        _fx_rate(),
    ),
    key=("date", "segregated", "account", "currency"),
    period=Period.BUSINESS_DAY,
    row_checks=(check_business_day, check_currency_rate),
)


ASSETS_SAFEGUARDED_DAILY = UploadSchema(
    kind="assets_safeguarded_daily",
    title="Daily assets safeguarded and administered",
    rule="MIFIDPRU 4.9 (K-ASA)",
    description="End-of-day value of client assets safeguarded and administered "
    "on every England and Wales business day.",
    columns=(
        _date(
            "business_date",
            "as_at",
            "valuation_date",
            description="Business day of the end-of-day value",
            example="30/11/2026",
        ),
        _amount(
            "End-of-day value of assets safeguarded",
            "310,000,000.00",
            "value",
            "assets_safeguarded",
            "asa",
            "market_value",
        ),
        Column(
            "custodian",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Custodian or account name",
            "Custodian A",
            aliases=("account", "depositary"),
            default="",
        ),
        _currency(),
        _fx_rate(),
    ),
    key=("date", "custodian", "currency"),
    period=Period.BUSINESS_DAY,
    row_checks=(check_business_day, check_currency_rate),
)


def _trade_columns(amount_description: str) -> tuple[Column, ...]:
    return (
        _date(
            "trade_date",
            "business_date",
            "order_date",
            description="Business day the order or trade was handled",
            example="30/11/2026",
        ),
        Column(
            "kind",
            ColumnType.CHOICE,
            description="cash (value paid or received) or derivative (notional)",
            example="cash",
            aliases=("trade_kind", "type", "order_type", "instrument_type"),
            choices=choice_map(
                ("cash", ("cash trade", "cash trades", "securities", "equity")),
                ("derivative", ("derivatives", "derivative notional", "otc")),
            ),
        ),
        _amount(
            amount_description,
            "1,500,000.00",
            "value",
            "notional",
            "consideration",
            allow_negative=True,
        ),
        _currency(),
        _fx_rate(),
        Column(
            "interest_rate_derivative",
            ColumnType.BOOLEAN,
            Required.OPTIONAL,
            "yes for an interest rate derivative, whose notional is scaled by "
            "time to maturity / 10",
            "no",
            aliases=("ir_derivative", "is_interest_rate_derivative"),
            default=False,
        ),
        Column(
            "time_to_maturity_years",
            ColumnType.NUMBER,
            Required.OPTIONAL,
            "Remaining maturity in years, for interest rate derivatives only",
            "",
            aliases=("maturity_years", "ir_maturity", "residual_maturity_years"),
            default=None,
            minimum=0.0,
        ),
        Column(
            "order_id",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Your reference for the order or trade, checked for duplicates",
            "ORD-000123",
            aliases=("trade_id", "reference_id", "id"),
            default=None,
        ),
    )


CLIENT_ORDERS_DAILY = UploadSchema(
    kind="client_orders_daily",
    title="Client orders handled",
    rule="MIFIDPRU 4.10 (K-COH)",
    description="Client orders executed or received and transmitted, one row per "
    "order or per business day and kind. Buys and sells both count, so the sign "
    "of an amount is ignored.",
    columns=_trade_columns("Value of a cash trade, or notional of a derivative"),
    key=("order_id",),
    period=Period.BUSINESS_DAY,
    missing_days_are_errors=False,
    row_checks=(
        check_business_day,
        check_currency_rate,
        check_interest_rate_derivative,
    ),
)


TRADING_FLOW_DAILY = UploadSchema(
    kind="trading_flow_daily",
    title="Daily trading flow",
    rule="MIFIDPRU 4.15 (K-DTF)",
    description="Trades dealt on own account or executed in the firm's own name "
    "for clients, one row per trade or per business day and kind. The sign of "
    "an amount is ignored.",
    columns=_trade_columns("Value of a cash trade, or notional of a derivative"),
    key=("order_id",),
    period=Period.BUSINESS_DAY,
    missing_days_are_errors=False,
    row_checks=(
        check_business_day,
        check_currency_rate,
        check_interest_rate_derivative,
    ),
)


TOTAL_MARGIN_DAILY = UploadSchema(
    kind="total_margin_daily",
    title="Daily total margin required",
    rule="MIFIDPRU 4.13 (K-CMG)",
    description="Total margin required by each clearing member at the end of every "
    "England and Wales business day.",
    columns=(
        _date(
            "business_date",
            "as_at",
            description="Business day of the margin call",
            example="30/11/2026",
        ),
        _amount(
            "Total margin required by the clearing member",
            "2,400,000.00",
            "total_margin",
            "margin",
            "margin_required",
        ),
        Column(
            "clearing_member",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Clearing member name",
            "Clearing Bank plc",
            aliases=("clearer", "broker"),
            default="",
        ),
        _currency(),
        _fx_rate(),
    ),
    key=("date", "clearing_member", "currency"),
    period=Period.BUSINESS_DAY,
    row_checks=(check_business_day, check_currency_rate),
)


def _expenditure_categories() -> dict[str, str]:
    groups: list[tuple[str, tuple[str, ...]]] = [
        (NOT_DEDUCTED, ("fixed", "relevant", "none", "no deduction", "not deductible")),
        (
            THIRD_PARTY_FIXED_EXPENSES,
            ("fixed expenses paid by third parties", "third party", "add back"),
        ),
    ]
    for item in DEDUCTION_CHECKLIST:
        groups.append((item.name, (item.description,)))
    return choice_map(*groups)


EXPENDITURE = UploadSchema(
    kind="expenditure",
    title="Expenditure lines for the fixed overheads requirement",
    rule="MIFIDPRU 4.5 (FOR)",
    description="Total expenditure of the last financial year by line, each with "
    "its category on the deduction checklist. Lines categorised "
    f"{THIRD_PARTY_FIXED_EXPENSES} are fixed expenses paid by third parties on the "
    "firm's behalf and are added to the expenditure.",
    columns=(
        Column(
            "line_item",
            ColumnType.TEXT,
            description="Name of the expenditure line in the accounts",
            example="Staff salaries",
            aliases=("item", "description", "account_name", "expense", "line"),
        ),
        _amount(
            "Expenditure in the year, GBP",
            "1,850,000.00",
            "expenditure",
            "cost",
            "value",
        ),
        Column(
            "category",
            ColumnType.CHOICE,
            description=f"{NOT_DEDUCTED}, a deduction name from the checklist, or "
            f"{THIRD_PARTY_FIXED_EXPENSES}",
            example=NOT_DEDUCTED,
            aliases=("deduction", "for_category", "deduction_category"),
            choices=_expenditure_categories(),
        ),
        Column(
            "account_code",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "General ledger code",
            "6100",
            aliases=("gl_code", "nominal_code", "code"),
            default="",
        ),
    ),
)


OWN_FUNDS_TIERS = {
    "CET1": (CET1_ITEMS, CET1_DEDUCTIONS),
    "AT1": (AT1_ITEMS, AT1_DEDUCTIONS),
    "T2": (T2_ITEMS, T2_DEDUCTIONS),
}


def check_own_funds_item(row: dict[str, Any], number: int) -> list[ParseIssue]:
    """Match the item to its tier's lists; normalise its name; check the sign."""
    items, deductions = OWN_FUNDS_TIERS[row["tier"]]
    key = normalise_choice(row["item"])
    issues = []
    if key in deductions and not row["deduction"]:
        issues.append(
            ParseIssue(
                number,
                "deduction",
                "no",
                f"is no but '{key}' is a {row['tier']} deduction",
                "Set deduction to yes and enter the amount as a positive number.",
            )
        )
    elif key in items and row["deduction"]:
        issues.append(
            ParseIssue(
                number,
                "deduction",
                "yes",
                f"is yes but '{key}' is a {row['tier']} item, not a deduction",
                "Set deduction to no, or use a deduction name such as "
                f"{deductions[-1]}.",
            )
        )
    elif key not in items and key not in deductions:
        issues.append(
            ParseIssue(
                number,
                "item",
                row["item"],
                f"is not a {row['tier']} item or deduction",
                f"Use one of: {', '.join(items + deductions)}.",
            )
        )
    row["item"] = key
    if row["deduction"] and row["amount"] < 0:
        issues.append(
            ParseIssue(
                number,
                "amount",
                show_value(row["amount"]),
                "is negative on a deduction row, which would add to own funds",
                "Enter deductions as positive amounts with deduction set to yes.",
            )
        )
    return issues


OWN_FUNDS = UploadSchema(
    kind="own_funds",
    title="Own funds by tier",
    rule="MIFIDPRU 3 (own funds)",
    description="Own funds items and deductions by tier, as at the reporting date. "
    "Items may be negative (a loss in retained earnings); deductions are positive "
    "amounts with deduction set to yes.",
    columns=(
        Column(
            "item",
            ColumnType.TEXT,
            description="Item or deduction name, e.g. retained_earnings, "
            "intangible_assets",
            example="common_equity_tier1_instruments",
            aliases=("own_funds_item", "component", "line_item"),
        ),
        Column(
            "tier",
            ColumnType.CHOICE,
            description="CET1, AT1 or T2",
            example="CET1",
            aliases=("capital_tier",),
            choices=choice_map(
                ("CET1", ("common equity tier 1", "cet 1", "ce t1")),
                ("AT1", ("additional tier 1", "at 1")),
                ("T2", ("tier 2", "tier2", "t 2")),
            ),
        ),
        _amount("Amount in GBP", "2,000,000.00", "value", allow_negative=True),
        Column(
            "deduction",
            ColumnType.BOOLEAN,
            Required.OPTIONAL,
            "yes if the amount is deducted from the tier",
            "no",
            aliases=("is_deduction", "deduct"),
            default=False,
        ),
    ),
    key=("item", "tier"),
    row_checks=(check_own_funds_item,),
)


FX_RATES = UploadSchema(
    kind="fx_rates",
    title="FX rates to GBP",
    rule="MIFIDPRU 4.7.5R (translation of values at each month end)",
    description="GBP per one unit of each currency on each date.",
    columns=(
        _date(
            "rate_date",
            "as_at",
            description="Date of the rate",
            example="30/11/2026",
        ),
        Column(
            "currency",
            ColumnType.CURRENCY,
            description="ISO 4217 code, e.g. USD",
            example="USD",
            aliases=("ccy", "currency_code"),
        ),
        Column(
            "fx_rate_to_gbp",
            ColumnType.NUMBER,
            description="GBP per one unit of the currency",
            example="0.7874",
            aliases=("fx_rate", "rate", "rate_to_gbp", "gbp_rate"),
            minimum=0.0,
        ),
    ),
    key=("date", "currency"),
    row_checks=(check_currency_rate,),
)


def _with_aliases(
    canonical: tuple[str, ...], aliases: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    return choice_map(*((name, aliases.get(name, ())) for name in canonical))


def _scale(name: str, description: str) -> Column:
    return Column(
        name,
        ColumnType.INTEGER,
        description=description,
        example="3",
        minimum=1,
        maximum=5,
    )


RISK_REGISTER = UploadSchema(
    kind="risk_register",
    title="Risk register",
    rule="MIFIDPRU 7.4 (assessing harms)",
    description="One row per risk: likelihood and impact scored 1 to 5, the "
    "velocity, the control effectiveness and the own funds held against it.",
    columns=(
        Column(
            "risk_id",
            ColumnType.TEXT,
            description="Unique reference",
            example="R01",
            aliases=("id", "ref_id", "risk_reference"),
        ),
        Column(
            "title",
            ColumnType.TEXT,
            description="Short name of the risk",
            example="Key person dependency",
            aliases=("risk", "risk_title", "name"),
        ),
        Column(
            "category",
            ColumnType.CHOICE,
            description=", ".join(RISK_CATEGORIES),
            example="operational",
            aliases=("risk_category", "harm_type"),
            choices=_with_aliases(
                RISK_CATEGORIES,
                {
                    "harm_to_clients": ("clients", "client harm"),
                    "harm_to_markets": ("markets", "market harm"),
                    "harm_to_firm": ("firm", "harm to the firm"),
                    "operational": ("operational risk", "op risk"),
                    "business_model": ("business", "business risk", "strategic"),
                    "credit": ("credit risk", "counterparty"),
                    "market": ("market risk",),
                    "liquidity": ("liquidity risk",),
                    "concentration": ("concentration risk",),
                    "conduct": ("conduct risk",),
                    "regulatory": ("regulatory risk", "legal", "compliance"),
                },
            ),
        ),
        _scale("likelihood", "1 (rare) to 5 (almost certain)"),
        _scale("impact", "1 (minor) to 5 (severe)"),
        Column(
            "velocity",
            ColumnType.CHOICE,
            Required.OPTIONAL,
            "How fast the harm would crystallise: " + ", ".join(RISK_VELOCITIES),
            "moderate",
            aliases=("speed", "speed_of_onset"),
            default="moderate",
            choices=_with_aliases(
                RISK_VELOCITIES, {"very_fast": ("immediate", "very fast")}
            ),
        ),
        Column(
            "control_effectiveness",
            ColumnType.CHOICE,
            Required.OPTIONAL,
            "How much controls reduce the likelihood: " + ", ".join(CONTROL_LEVELS),
            "moderate",
            aliases=("controls", "control_rating", "control"),
            default="none",
            choices=_with_aliases(
                CONTROL_LEVELS,
                {
                    "strong": ("effective", "good"),
                    "moderate": ("partially effective", "partial", "adequate"),
                    "weak": ("poor", "ineffective"),
                },
            ),
        ),
        _amount(
            "Own funds held against the harm, GBP; 0 if none",
            "250,000.00",
            "capital",
            "capital_gbp",
            "capital_held",
            "harm_capital",
            name="harm_capital_gbp",
        ),
        Column(
            "owner",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Risk owner",
            "Chief Operating Officer",
            aliases=("risk_owner",),
            default="",
        ),
    ),
    key=("risk_id",),
)


def check_liquid_asset(row: dict[str, Any], number: int) -> list[ParseIssue]:
    """Require days to due on receivables, and only on them."""
    issues = check_currency_rate(row, number)
    due = row.get("due_days")
    if row["asset_type"] == TRADE_RECEIVABLE and due is None:
        issues.append(
            ParseIssue(
                number,
                "due_days",
                "",
                "is needed for a trade receivable",
                "Enter the days until the receivable is due, e.g. 30.",
            )
        )
    if row["asset_type"] != TRADE_RECEIVABLE and due is not None:
        issues.append(
            ParseIssue(
                number,
                "due_days",
                show_value(due),
                "is given for an asset that is not a trade receivable",
                "Clear the cell, or set asset_type to trade_receivable.",
            )
        )
    return issues


LIQUID_ASSETS = UploadSchema(
    kind="liquid_assets",
    title="Liquid assets",
    rule="MIFIDPRU 6.3 (core liquid assets)",
    description="Liquid assets as at the reporting date by type. Trade receivables "
    f"({TRADE_RECEIVABLE}) need the days until due; assets of type {NOT_CORE} are "
    "listed but do not count.",
    columns=(
        Column(
            "asset_type",
            ColumnType.CHOICE,
            description=", ".join(
                (*CORE_LIQUID_ASSET_TYPES, TRADE_RECEIVABLE, NOT_CORE)
            ),
            example="short_term_deposits_uk_credit_institution",
            aliases=("type", "asset", "liquid_asset_type"),
            choices=choice_map(
                ("coins_and_banknotes", ("cash in hand", "petty cash")),
                (
                    "short_term_deposits_uk_credit_institution",
                    ("bank deposit", "cash at bank", "short term deposit"),
                ),
                (
                    "uk_government_or_bank_of_england_claims",
                    ("gilts", "treasury bills", "uk government"),
                ),
                ("short_term_money_market_fund_units", ("money market fund", "mmf")),
                ("comparable_third_country_fund_units", ("third country mmf",)),
                (TRADE_RECEIVABLE, ("receivable", "fees receivable", "debtors")),
                (NOT_CORE, ("other", "not core", "non core")),
            ),
        ),
        _amount("Value in the row's currency", "3,000,000.00", "value", "balance"),
        _currency(),
        _fx_rate(),
        Column(
            "due_days",
            ColumnType.INTEGER,
            Required.OPTIONAL,
            "Days until a trade receivable is due",
            "",
            aliases=("days_to_due", "days_until_due"),
            default=None,
            minimum=0,
        ),
        Column(
            "description",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Account or holding name",
            "Deposit at Bank A",
            aliases=("name", "holding", "account"),
            default="",
        ),
    ),
    row_checks=(check_liquid_asset,),
)


CLIENT_GUARANTEES = UploadSchema(
    kind="client_guarantees",
    title="Guarantees provided to clients",
    rule="MIFIDPRU 6.2.1R (1.6% of client guarantees)",
    description="Each guarantee the firm has provided to a client, as at the "
    "reporting date.",
    columns=(
        Column(
            "guarantee_id",
            ColumnType.TEXT,
            description="Unique reference",
            example="G-001",
            aliases=("id", "reference_id"),
        ),
        Column(
            "client",
            ColumnType.TEXT,
            Required.OPTIONAL,
            "Client name or code",
            "Client 1042",
            aliases=("beneficiary", "client_name"),
            default="",
        ),
        _amount("Amount guaranteed", "500,000.00", "guaranteed_amount", "value"),
        _currency(),
        _fx_rate(),
    ),
    key=("guarantee_id",),
    row_checks=(check_currency_rate,),
)


SCHEMAS: dict[str, UploadSchema] = {
    schema.kind: schema
    for schema in (
        AUM_MONTH_END,
        CLIENT_MONEY_DAILY,
        ASSETS_SAFEGUARDED_DAILY,
        CLIENT_ORDERS_DAILY,
        TRADING_FLOW_DAILY,
        TOTAL_MARGIN_DAILY,
        EXPENDITURE,
        OWN_FUNDS,
        FX_RATES,
        RISK_REGISTER,
        LIQUID_ASSETS,
        CLIENT_GUARANTEES,
    )
}
