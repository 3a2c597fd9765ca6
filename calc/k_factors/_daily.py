"""The shared working of the K-factors measured on daily values.

K-CMH, K-ASA, K-COH and K-DTF each average one or two daily series over their
window and multiply each average by its coefficient. The requirement is the sum of
those parts. Each K-factor module names its series, window and coefficients and
calls ``calculate_daily_k_factor``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calc.averaging import WindowAverage, average_daily_values
from calc.calendar import Month
from calc.errors import CalculationInputError, InconsistentInputError
from calc.result import CalculationResult, Reading, Step
from calc.rules import Parameter
from calc.time_series import (
    DailySeries,
    daily_totals_from_trades,
    parse_daily_series,
    parse_date,
)


@dataclass(frozen=True)
class DailyComponent:
    """One averaged daily series and the coefficient applied to its average.

    ``name`` keys the figures, e.g. ``"segregated"`` gives
    ``average_segregated_gbp``.
    """

    name: str
    label: str
    series: DailySeries
    coefficient: Parameter


def monthly_means(window: WindowAverage) -> list[tuple[Month, int, float]]:
    """Return (month, business days, mean GBP value) for each averaged month."""
    rows = []
    for month in window.months_averaged:
        values = [
            obs.amount_gbp for obs in window.observations if Month.of(obs.date) == month
        ]
        rows.append((month, len(values), math.fsum(values) / len(values)))
    return rows


def calculate_daily_k_factor(
    *,
    calculator: str,
    title: str,
    rule: str,
    calculation_date: dt.date,
    components: Sequence[DailyComponent],
    window_months: Parameter,
    excluded_months: Parameter,
    readings: Sequence[Reading] = (),
    warnings: Sequence[str] = (),
    extra_inputs: Mapping[str, Any] | None = None,
) -> CalculationResult:
    """Average each component over the window and sum average x coefficient.

    The window is ``window_months`` calendar months before the calculation date
    with the most recent ``excluded_months`` dropped. The average is over every
    England and Wales business day of the remaining months. Amounts are GBP.
    """
    steps: list[Step] = []
    figures: dict[str, Any] = {}
    inputs: dict[str, Any] = {"calculation_date": calculation_date}
    parts: list[float] = []
    for component in components:
        window = average_daily_values(
            component.series,
            calculation_date,
            window_months.value,
            excluded_months.value,
        )
        for month, days, mean in monthly_means(window):
            steps.append(
                Step(
                    f"{component.label}: mean of {days} business days in {month}",
                    mean,
                    "GBP",
                    window_months.rule,
                )
            )
        steps.append(
            Step(
                f"{component.label}: months excluded as the most recent "
                + ", ".join(str(m) for m in window.months_excluded),
                None,
                "text",
                excluded_months.rule,
            )
        )
        steps.append(
            Step(
                f"Average {component.label}: mean of {window.count} business-day "
                f"values, {window.describe_window()}",
                window.average_gbp,
                "GBP",
                window_months.rule,
            )
        )
        part = window.average_gbp * component.coefficient.value
        steps.append(
            Step(
                f"{component.label} x {component.coefficient.value:.2%}",
                part,
                "GBP",
                component.coefficient.rule,
            )
        )
        parts.append(part)
        figures.update(window.figures(f"average_{component.name}"))
        figures[f"{component.name}_requirement_gbp"] = part
        figures[f"{component.name}_coefficient"] = component.coefficient.value
        inputs[component.series.field] = [
            [obs.date, obs.amount, obs.currency, obs.fx_rate_to_gbp]
            for obs in component.series.observations
        ]
    requirement = math.fsum(parts)
    steps.append(Step(f"{title}: sum of the parts", requirement, "GBP", rule))
    figures[f"{calculator}_gbp"] = requirement
    if extra_inputs:
        inputs.update(extra_inputs)
    return CalculationResult(
        calculator=calculator,
        title=title,
        value=requirement,
        rule=rule,
        inputs=inputs,
        figures=figures,
        steps=tuple(steps),
        readings=tuple(readings),
        warnings=tuple(warnings),
    )


def parse_optional_daily_series(
    inputs: Mapping[str, Any], field: str, calculation_date: dt.date
) -> DailySeries | None:
    """Return the daily series in ``inputs[field]``, or None when it is absent."""
    raw = inputs.get(field)
    if raw is None:
        return None
    return parse_daily_series(field, raw, calculation_date)


def parse_trade_flow_inputs(
    inputs: Mapping[str, Any],
    calculation_date: dt.date,
    cash_field: str,
    derivatives_field: str,
) -> tuple[DailySeries, DailySeries, dict[str, Any]]:
    """Return the daily cash and derivative series for K-COH or K-DTF.

    Either ``trades`` with ``trade_records_complete_from`` (trade-level records,
    summed per day), or the two daily series of pre-adjusted totals.

    Returns
    -------
    tuple
        (cash series, derivatives series, extra inputs to record).
    """
    if "trades" in inputs:
        if cash_field in inputs or derivatives_field in inputs:
            raise InconsistentInputError(
                "trades",
                "trades and daily totals",
                f"are both given with {cash_field} or {derivatives_field}",
                "Give either trade-level records or daily totals, not both.",
            )
        complete_from = parse_date(
            "trade_records_complete_from", inputs.get("trade_records_complete_from")
        )
        cash, derivatives = daily_totals_from_trades(
            "trades", inputs["trades"], calculation_date, complete_from
        )
        extra = {
            "trades": inputs["trades"],
            "trade_records_complete_from": complete_from,
        }
        return (
            DailySeries(cash_field, cash.observations),
            DailySeries(derivatives_field, derivatives.observations),
            extra,
        )
    cash = parse_optional_daily_series(inputs, cash_field, calculation_date)
    derivatives = parse_optional_daily_series(
        inputs, derivatives_field, calculation_date
    )
    if cash is None or derivatives is None:
        missing = cash_field if cash is None else derivatives_field
        raise CalculationInputError(
            missing,
            None,
            "is missing",
            f"Give both {cash_field} and {derivatives_field} (zeros where there "
            "was no activity), or trade-level records in trades.",
        )
    return cash, derivatives, {}
