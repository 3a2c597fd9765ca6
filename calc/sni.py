"""Small and non-interconnected (SNI) test, MIFIDPRU 1.2.1R.

A firm is an SNI investment firm only if every condition of MIFIDPRU 1.2.1R
holds. Thresholds are strict: a measured value equal to a threshold fails, and a
"zero" condition passes only at exactly zero. For each condition the result gives
the measured value, the threshold, the headroom (threshold - measured, GBP), the
headroom as a percentage of the threshold, and whether it passed.

The caller supplies each measure on its own basis. Average AUM (4.7.5R) and
average COH (4.10.19R) are combined across the group. Average ASA (4.9.8R), DTF
(4.15.4R) and CMH (4.8.13R, measured intra-day) are for the firm alone. The
balance sheet total and revenue come from the end of the last financial year with
finalised accounts. Revenue is the average of the annual figures for the 2 years
immediately before the financial year in question.

From a monthly series of a measure, the linear trend of the values projects the
month in which a threshold would be crossed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from calc.calendar import Month
from calc.errors import CalculationInputError, MissingPeriodError, UnknownChoiceError
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    SNI_AUM_THRESHOLD,
    SNI_BALANCE_SHEET_THRESHOLD,
    SNI_COH_CASH_THRESHOLD,
    SNI_COH_DERIVATIVES_THRESHOLD,
    SNI_REVENUE_THRESHOLD,
    SNI_REVENUE_YEARS,
    Parameter,
)
from calc.time_series import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    parse_amount,
    parse_bool,
    parse_monthly_series,
)

RULE = "MIFIDPRU 1.2.1R"


class ConditionKind(StrEnum):
    """Comparison a condition makes between the measured value and its threshold."""

    LESS_THAN = "less_than"
    ZERO = "zero"
    FALSE = "false"


@dataclass(frozen=True)
class ConditionSpec:
    """One SNI condition: its name, input field, rule and threshold."""

    name: str
    field: str
    description: str
    rule: str
    kind: ConditionKind
    threshold: Parameter | None = None


CONDITIONS: tuple[ConditionSpec, ...] = (
    ConditionSpec(
        "aum",
        "average_aum_gbp",
        "Average AUM below GBP 1.2bn",
        "MIFIDPRU 1.2.1R(1)",
        ConditionKind.LESS_THAN,
        SNI_AUM_THRESHOLD,
    ),
    ConditionSpec(
        "coh_cash",
        "average_coh_cash_per_day_gbp",
        "Average COH for cash trades below GBP 100m a day",
        "MIFIDPRU 1.2.1R(2)",
        ConditionKind.LESS_THAN,
        SNI_COH_CASH_THRESHOLD,
    ),
    ConditionSpec(
        "coh_derivatives",
        "average_coh_derivatives_per_day_gbp",
        "Average COH for derivatives below GBP 1bn a day",
        "MIFIDPRU 1.2.1R(2)",
        ConditionKind.LESS_THAN,
        SNI_COH_DERIVATIVES_THRESHOLD,
    ),
    ConditionSpec(
        "asa",
        "average_asa_gbp",
        "Average ASA is zero",
        "MIFIDPRU 1.2.1R(3)",
        ConditionKind.ZERO,
    ),
    ConditionSpec(
        "cmh",
        "average_cmh_gbp",
        "Average CMH is zero",
        "MIFIDPRU 1.2.1R(4)",
        ConditionKind.ZERO,
    ),
    ConditionSpec(
        "dealing_on_own_account",
        "deals_on_own_account_or_underwrites",
        "No permission to deal on own account or to underwrite or place on a firm "
        "commitment basis",
        "MIFIDPRU 1.2.1R(5)",
        ConditionKind.FALSE,
    ),
    ConditionSpec(
        "balance_sheet",
        "balance_sheet_total_gbp",
        "On- and off-balance sheet total below GBP 100m",
        "MIFIDPRU 1.2.1R(6)",
        ConditionKind.LESS_THAN,
        SNI_BALANCE_SHEET_THRESHOLD,
    ),
    ConditionSpec(
        "revenue",
        "gross_revenue_investment_services_gbp_by_year",
        "Average annual gross revenue from investment services below GBP 30m",
        "MIFIDPRU 1.2.1R(7)",
        ConditionKind.LESS_THAN,
        SNI_REVENUE_THRESHOLD,
    ),
    ConditionSpec(
        "clearing",
        "clearing_member_or_indirect_clearing",
        "Not made non-SNI by MIFIDPRU 10.2 (clearing member or indirect clearing firm)",
        "MIFIDPRU 1.2.1R(8)",
        ConditionKind.FALSE,
    ),
    ConditionSpec(
        "dtf",
        "average_dtf_gbp",
        "Average DTF is zero",
        "MIFIDPRU 1.2.1R(9)",
        ConditionKind.ZERO,
    ),
    ConditionSpec(
        "depositary",
        "depositary",
        "Not a depositary under FUND 3.11.10R(2) or COLL 6.6A.8R(3)(b)(i)",
        "MIFIDPRU 1.2.1R(10)",
        ConditionKind.FALSE,
    ),
)
CONDITIONS_BY_NAME = {spec.name: spec for spec in CONDITIONS}


@dataclass(frozen=True)
class ConditionOutcome:
    """The test of one SNI condition.

    ``measured`` and ``threshold`` are GBP for money conditions and booleans for
    the yes/no conditions; ``headroom_gbp`` and ``headroom_percent`` are None for
    the yes/no and zero conditions.
    """

    name: str
    description: str
    rule: str
    kind: ConditionKind
    measured: float | bool
    threshold: float | bool
    headroom_gbp: float | None
    headroom_percent: float | None
    passed: bool


@dataclass(frozen=True)
class ThresholdProjection:
    """The month a linear trend of a measure reaches its SNI threshold.

    ``crossing_month`` is None when the trend is flat or falling and the latest
    fitted value is below the threshold.
    """

    name: str
    slope_gbp_per_month: float
    intercept_gbp: float
    first_month: Month
    last_month: Month
    crossing_month: Month | None
    already_crossed: bool


def evaluate_condition(spec: ConditionSpec, measured: float | bool) -> ConditionOutcome:
    """Test one condition with its strict comparison (MIFIDPRU 1.2.1R)."""
    if spec.kind == ConditionKind.LESS_THAN:
        threshold = spec.threshold.value
        headroom = threshold - measured
        return ConditionOutcome(
            spec.name,
            spec.description,
            spec.rule,
            spec.kind,
            measured,
            threshold,
            headroom,
            headroom / threshold * 100.0,
            measured < threshold,
        )
    if spec.kind == ConditionKind.ZERO:
        return ConditionOutcome(
            spec.name,
            spec.description,
            spec.rule,
            spec.kind,
            measured,
            0.0,
            None,
            None,
            measured == 0,
        )
    return ConditionOutcome(
        spec.name,
        spec.description,
        spec.rule,
        spec.kind,
        measured,
        False,
        None,
        None,
        measured is False,
    )


def average_revenue(
    revenue_by_year: Mapping[int, float], financial_year: int | None
) -> tuple[float, list[int]]:
    """Return the average annual revenue of the 2 years before ``financial_year``.

    Without ``financial_year`` the 2 latest years given are used.

    Raises
    ------
    MissingPeriodError
        A year needed is not given.
    """
    count = SNI_REVENUE_YEARS.value
    if financial_year is None:
        years = sorted(revenue_by_year)[-count:]
        if len(years) < count:
            raise MissingPeriodError(
                "gross_revenue_investment_services_gbp_by_year",
                sorted(revenue_by_year),
                f"has {len(years)} year(s); {count} are needed",
                "Enter the gross revenue of each of the 2 years before the "
                "financial year tested.",
            )
        # The years averaged must be the ones immediately before the financial
        # year, so the latest years entered must follow each other.
        expected = list(range(years[-1] - count + 1, years[-1] + 1))
        gaps = [year for year in expected if year not in revenue_by_year]
        if gaps:
            raise MissingPeriodError(
                "gross_revenue_investment_services_gbp_by_year",
                gaps,
                f"has no figure for {', '.join(str(y) for y in gaps)}",
                f"Enter the gross revenue of {expected[0]} and {expected[-1]}, or "
                "give financial_year.",
            )
    else:
        years = list(range(financial_year - count, financial_year))
        missing = [year for year in years if year not in revenue_by_year]
        if missing:
            raise MissingPeriodError(
                "gross_revenue_investment_services_gbp_by_year",
                missing,
                f"has no figure for {', '.join(str(y) for y in missing)}",
                f"Enter the gross revenue of {years[0]} and {years[-1]}.",
            )
    return math.fsum(revenue_by_year[year] for year in years) / count, years


def project_threshold_crossing(
    name: str, monthly_values_gbp: Mapping[Month, float]
) -> ThresholdProjection:
    """Project the month a measure reaches its SNI threshold on a linear trend.

    Fits value = intercept + slope x month index by least squares (numpy.polyfit,
    degree 1) over the months given, in GBP. The crossing month is the first month
    whose fitted value is at or above the threshold, since the thresholds are
    strict. It may lie before the last month given, and then ``already_crossed``
    is true.

    Raises
    ------
    UnknownChoiceError
        ``name`` is not a condition with a GBP threshold.
    MissingPeriodError
        Fewer than 2 months are given, or a month between the first and the last
        is missing.
    """
    spec = CONDITIONS_BY_NAME.get(name)
    if spec is None or spec.kind != ConditionKind.LESS_THAN:
        supported = [s.name for s in CONDITIONS if s.kind == ConditionKind.LESS_THAN]
        raise UnknownChoiceError(
            f"trend_series.{name}",
            name,
            "is not a condition with a GBP threshold",
            f"Use one of: {', '.join(supported)}.",
        )
    months = sorted(monthly_values_gbp)
    if len(months) < 2:
        raise MissingPeriodError(
            f"trend_series.{name}",
            [str(m) for m in months],
            "has fewer than 2 months",
            "Enter at least 2 consecutive months to fit a trend.",
        )
    first = months[0]
    expected = [first.shift(i) for i in range(_months_between(first, months[-1]) + 1)]
    missing = [str(m) for m in expected if m not in monthly_values_gbp]
    if missing:
        raise MissingPeriodError(
            f"trend_series.{name}",
            missing,
            f"has no value for {', '.join(missing)}",
            "Enter a value for every month between the first and the last.",
        )
    x = np.arange(len(months), dtype=float)
    y = np.array([monthly_values_gbp[m] for m in months], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    threshold = spec.threshold.value
    last_index = len(months) - 1
    crossing: Month | None
    if slope > 0:
        # The fit carries rounding error of about 1e-15 relative, so a crossing
        # that lands on a whole month is not pushed into the next one.
        position = (threshold - intercept) / slope
        index = max(0, math.ceil(position - 1e-9 * max(1.0, abs(position))))
        crossing = first.shift(index)
        already = index <= last_index
    elif intercept + slope * last_index >= threshold:
        crossing = first.shift(last_index)
        already = True
    else:
        crossing = None
        already = False
    return ThresholdProjection(
        name, float(slope), float(intercept), first, months[-1], crossing, already
    )


def _months_between(first: Month, last: Month) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def calculate_sni(
    measured: Mapping[str, float | bool],
    revenue_by_year: Mapping[int, float],
    financial_year: int | None = None,
    trend_series: Mapping[str, Mapping[Month, float]] | None = None,
) -> CalculationResult:
    """Test every SNI condition of MIFIDPRU 1.2.1R.

    Parameters
    ----------
    measured : mapping
        Condition name to measured value: GBP for money conditions, bool for the
        yes/no conditions, without ``"revenue"``.
    revenue_by_year : mapping of int to float
        Gross revenue from investment services and activities, GBP, by year.
    financial_year : int, optional
        The financial year tested; revenue averages the 2 years before it.
    trend_series : mapping, optional
        Condition name to monthly values (GBP) for the threshold projection.

    Returns
    -------
    CalculationResult
        ``value`` is 1.0 for SNI and 0.0 otherwise (``unit="count"``);
        ``figures["is_sni"]``, ``figures["failed_conditions"]`` and
        ``figures["conditions"]`` carry the detail.
    """
    revenue, years = average_revenue(revenue_by_year, financial_year)
    values = dict(measured)
    values["revenue"] = revenue
    outcomes = [evaluate_condition(spec, values[spec.name]) for spec in CONDITIONS]
    failed = [outcome.name for outcome in outcomes if not outcome.passed]
    is_sni = not failed

    steps = [
        Step(
            f"Revenue: mean of {', '.join(str(y) for y in years)}",
            revenue,
            "GBP",
            "MIFIDPRU 1.2.1R(7)",
        )
    ]
    for outcome in outcomes:
        verdict = "passed" if outcome.passed else "failed"
        if outcome.kind == ConditionKind.FALSE:
            steps.append(
                Step(
                    f"{outcome.description}: {verdict}",
                    None,
                    "text",
                    outcome.rule,
                    note=f"measured {outcome.measured}",
                )
            )
        else:
            steps.append(
                Step(
                    f"{outcome.description}: {verdict}",
                    float(outcome.measured),
                    "GBP",
                    outcome.rule,
                    note=f"threshold {outcome.threshold:,.2f}, strict",
                )
            )
    steps.append(
        Step(
            "SNI: every condition holds" if is_sni else "Not SNI: " + ", ".join(failed),
            None,
            "text",
            RULE,
        )
    )

    projections = [
        project_threshold_crossing(name, series)
        for name, series in (trend_series or {}).items()
    ]
    readings: list[Reading] = []
    if financial_year is None:
        readings.append(
            Reading(
                "MIFIDPRU 1.2.1R(7)",
                f"No financial year was given; the 2 latest years entered "
                f"({years[0]} and {years[-1]}) are taken as the 2 years before it.",
            )
        )
    if projections:
        readings.append(
            Reading(
                RULE,
                "Projected crossing months come from a least-squares straight "
                "line through the monthly values; they are an estimate, not a "
                "rule.",
            )
        )
    return CalculationResult(
        calculator="sni",
        title="SNI classification",
        value=1.0 if is_sni else 0.0,
        rule=RULE,
        inputs={
            **{
                spec.field: values[spec.name]
                for spec in CONDITIONS
                if spec.name != "revenue"
            },
            "gross_revenue_investment_services_gbp_by_year": {
                str(year): amount for year, amount in revenue_by_year.items()
            },
            "financial_year": financial_year,
        },
        figures={
            "is_sni": is_sni,
            "failed_conditions": failed,
            "average_revenue_gbp": revenue,
            "revenue_years": years,
            "conditions": [outcome.__dict__ for outcome in outcomes],
            "projections": [
                {
                    "name": p.name,
                    "slope_gbp_per_month": p.slope_gbp_per_month,
                    "intercept_gbp": p.intercept_gbp,
                    "first_month": str(p.first_month),
                    "last_month": str(p.last_month),
                    "crossing_month": str(p.crossing_month)
                    if p.crossing_month
                    else None,
                    "already_crossed": p.already_crossed,
                }
                for p in projections
            ],
        },
        steps=tuple(steps),
        readings=tuple(readings),
        unit="count",
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the SNI test on a JSON-style mapping (see docs/calculators.md)."""
    measured: dict[str, float | bool] = {}
    for spec in CONDITIONS:
        if spec.name == "revenue":
            continue
        if spec.field not in inputs:
            raise CalculationInputError(
                spec.field,
                None,
                "is missing",
                f"Enter it: {spec.description} ({spec.rule}).",
            )
        if spec.kind == ConditionKind.FALSE:
            measured[spec.name] = parse_bool(spec.field, inputs[spec.field])
        else:
            measured[spec.name] = parse_amount(spec.field, inputs[spec.field])

    field = "gross_revenue_investment_services_gbp_by_year"
    raw = inputs.get(field)
    if not isinstance(raw, Mapping):
        raise CalculationInputError(
            field, raw, "is not an object", 'Give {"2024": 12000000.0, "2025": ...}.'
        )
    revenue: dict[int, float] = {}
    for year, amount in raw.items():
        if not str(year).isdigit() or len(str(year)) != 4:
            raise CalculationInputError(
                f"{field}.{year}", year, "is not a year", "Write the year as YYYY."
            )
        revenue[int(year)] = parse_amount(f"{field}.{year}", amount)

    financial_year = inputs.get("financial_year")
    if financial_year is not None and (
        isinstance(financial_year, bool)
        or not isinstance(financial_year, int)
        or not EARLIEST_YEAR <= financial_year <= LATEST_YEAR
    ):
        raise CalculationInputError(
            "financial_year",
            financial_year,
            f"is not a year from {EARLIEST_YEAR} to {LATEST_YEAR}",
            "Enter it as YYYY.",
        )

    trend_raw = inputs.get("trend_series") or {}
    if not isinstance(trend_raw, Mapping):
        raise CalculationInputError(
            "trend_series",
            trend_raw,
            "is not an object",
            'Give {"aum": {"2026-01": 900000000.0, ...}}.',
        )
    trend = {
        str(name): parse_monthly_series(f"trend_series.{name}", series).values
        for name, series in trend_raw.items()
    }
    trend_gbp = {
        name: {month: obs.amount_gbp for month, obs in values.items()}
        for name, values in trend.items()
    }
    return calculate_sni(measured, revenue, financial_year, trend_gbp)
