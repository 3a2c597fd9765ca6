"""K-CMG requirement, MIFIDPRU 4.13.

For portfolios covered by a K-CMG permission, K-CMG replaces K-NPR
(MIFIDPRU 4.13.1R). K-CMG = 1.3 x the third-highest daily total margin required
by the clearing members over the 3 calendar months before the calculation date.
Total margin is initial margin, variation margin and other collateral called under
the clearing member's margin model, without clearing fees (EU RTS 2022/244 Art 1).
The input is one figure per day: where the margin changes during a day, enter the
day's highest. Margins at several clearing members are summed per day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from calc.averaging import parse_calculation_date
from calc.calendar import Month, business_days_between, months_before
from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    MissingPeriodError,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import K_CMG_MARGIN_RANK, K_CMG_MULTIPLIER, K_CMG_WINDOW_MONTHS
from calc.time_series import DailySeries, Observation, parse_bool, parse_daily_series

RULE = "MIFIDPRU 4.13.5R"
SERIES_FIELD = "daily_total_margin_gbp"
BY_MEMBER_FIELD = "daily_total_margin_by_clearing_member_gbp"

# NOTE: the UK formula in MIFIDPRU 4.13.5R is an image that was not readable. The
# multiplier 1.3, the third-highest day and the 3-month window are from memory of
# IFR Art 23(2), so they are configurable in calc/rules.py.
READINGS = (
    Reading(
        RULE,
        "K-CMG = 1.3 x the third-highest daily total margin over the preceding 3 "
        "months (IFR Art 23(2)); the UK formula was not confirmed.",
    ),
)


def sum_by_day(series_by_member: Mapping[str, DailySeries]) -> DailySeries:
    """Return the daily sum of the margin required by every clearing member, GBP."""
    totals: dict[dt.date, float] = {}
    for series in series_by_member.values():
        for obs in series.observations:
            totals[obs.date] = totals.get(obs.date, 0.0) + obs.amount_gbp
    return DailySeries(
        BY_MEMBER_FIELD,
        tuple(Observation(day, totals[day]) for day in sorted(totals)),
    )


def calculate_k_cmg(
    daily_total_margin: DailySeries, calculation_date: dt.date
) -> CalculationResult:
    """Calculate the K-CMG requirement in GBP from daily total margin.

    Parameters
    ----------
    daily_total_margin : DailySeries
        The day's total margin required by the clearing members, GBP. Business
        days without a value are counted in a warning, because a missing day with a
        high margin would make the result too low.
    calculation_date : date
        The first business day of the month.

    Raises
    ------
    MissingPeriodError
        Fewer than 3 daily values fall in the 3-month window.
    """
    months = months_before(calculation_date, K_CMG_WINDOW_MONTHS.value)
    start, end = months[0].first_day, months[-1].last_day
    in_window = [
        obs for obs in daily_total_margin.observations if start <= obs.date <= end
    ]
    rank = K_CMG_MARGIN_RANK.value
    if len(in_window) < rank:
        raise MissingPeriodError(
            daily_total_margin.field,
            len(in_window),
            f"has {len(in_window)} daily value(s) in {months[0]} to {months[-1]}; "
            f"at least {rank} are needed",
            "Enter the daily total margin for every business day in the window.",
        )
    ranked = sorted(in_window, key=lambda obs: obs.amount_gbp, reverse=True)
    chosen = ranked[rank - 1]
    multiplier = K_CMG_MULTIPLIER.value
    requirement = multiplier * chosen.amount_gbp

    business_days = business_days_between(start, end)
    listed = {obs.date for obs in in_window}
    unlisted = [day for day in business_days if day not in listed]
    warnings: list[str] = []
    if unlisted:
        warnings.append(
            f"{len(unlisted)} business day(s) from {months[0]} to {months[-1]} have "
            "no margin value and are taken as lower than the third-highest day. "
            "Enter every day's margin if any of them could be higher."
        )

    steps = [
        Step(
            f"Daily total margin on {obs.date} (rank {position})",
            obs.amount_gbp,
            "GBP",
            RULE,
        )
        for position, obs in enumerate(ranked[:rank], start=1)
    ]
    steps.append(
        Step(
            f"K-CMG: {multiplier:g} x the third-highest day ({chosen.date})",
            requirement,
            "GBP",
            RULE,
        )
    )
    return CalculationResult(
        calculator="k_cmg",
        title="K-CMG requirement",
        value=requirement,
        rule=RULE,
        inputs={
            "calculation_date": calculation_date,
            daily_total_margin.field: [
                [obs.date, obs.amount, obs.currency, obs.fx_rate_to_gbp]
                for obs in daily_total_margin.observations
            ],
        },
        figures={
            "k_cmg_gbp": requirement,
            "third_highest_margin_gbp": chosen.amount_gbp,
            "third_highest_margin_date": chosen.date,
            "multiplier": multiplier,
            "window_months": [str(m) for m in months],
            "values_in_window": len(in_window),
            "business_days_without_value": len(unlisted),
            "highest_margins_gbp": [
                [obs.date, obs.amount_gbp] for obs in ranked[:rank]
            ],
        },
        steps=tuple(steps),
        readings=READINGS,
        warnings=tuple(warnings),
    )


def _default_calculation_date(series: DailySeries) -> dt.date:
    latest = series.observations[-1].date
    return Month.of(latest).shift(1).first_business_day()


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-CMG calculator on a JSON-style mapping (see docs/calculators.md).

    ``calculation_date`` may be left out; it then defaults to the first business
    day of the month after the latest margin value, and a warning records it.
    """
    permission = parse_bool(
        "has_k_cmg_permission", inputs.get("has_k_cmg_permission", True)
    )
    if not permission:
        raise InconsistentInputError(
            "has_k_cmg_permission",
            False,
            "is false, so K-CMG does not apply",
            "Use K-NPR for portfolios without a K-CMG permission (MIFIDPRU 4.13.1R).",
        )
    given_date = inputs.get("calculation_date")
    calculation_date = (
        parse_calculation_date("calculation_date", given_date)
        if given_date is not None
        else None
    )
    if BY_MEMBER_FIELD in inputs:
        raw = inputs[BY_MEMBER_FIELD]
        if not isinstance(raw, Mapping) or not raw:
            raise CalculationInputError(
                BY_MEMBER_FIELD,
                raw,
                "is not an object of daily series by clearing member",
                'Give {"clearing member name": [["YYYY-MM-DD", amount], ...]}.',
            )
        series = sum_by_day(
            {
                str(member): parse_daily_series(
                    f"{BY_MEMBER_FIELD}.{member}", entries, calculation_date
                )
                for member, entries in raw.items()
            }
        )
    else:
        series = parse_daily_series(
            SERIES_FIELD, inputs.get(SERIES_FIELD), calculation_date
        )
    if not series.observations:
        raise MissingPeriodError(
            series.field, [], "is empty", "Enter the daily total margin."
        )
    warnings: tuple[str, ...] = ()
    if calculation_date is None:
        calculation_date = _default_calculation_date(series)
        warnings = (
            f"No calculation_date was given; {calculation_date} (the first business "
            "day after the latest margin value) was used.",
        )
    result = calculate_k_cmg(series, calculation_date)
    if warnings:
        result = dataclasses.replace(result, warnings=warnings + result.warnings)
    return result
