"""K-AUM requirement, MIFIDPRU 4.7.

K-AUM = 0.02% x average AUM. Average AUM is the arithmetic mean of the total AUM
on the last business day of each of the 12 months that remain after the 3 most
recent of the previous 15 months are dropped (MIFIDPRU 4.7.5R(1)). Each
month-end value is converted to GBP at the market rate recorded on that date, and
is never re-translated later (4.7.5R(2)-(3), 4.7.6G). The requirement is
calculated on the first business day of each month (4.7.4R).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from calc.averaging import average_month_end_values, parse_calculation_date
from calc.result import CalculationResult, Reading, Step
from calc.rules import K_AUM_COEFFICIENT, K_AUM_EXCLUDED_MONTHS, K_AUM_WINDOW_MONTHS
from calc.time_series import MonthlySeries, parse_monthly_series

RULE = "MIFIDPRU 4.7.5R"
SERIES_FIELD = "month_end_aum_gbp"


def calculate_k_aum(
    series: MonthlySeries, calculation_date: dt.date
) -> CalculationResult:
    """Calculate the K-AUM requirement in GBP from month-end AUM.

    Parameters
    ----------
    series : MonthlySeries
        Total AUM on the last business day of each month, each value with its own
        FX rate to GBP. Months outside the 15-month window are ignored.
    calculation_date : date
        The first business day of the month the requirement is calculated for.

    Raises
    ------
    MissingPeriodError
        One of the 12 averaged month-ends has no value.
    """
    window = average_month_end_values(
        series,
        calculation_date,
        K_AUM_WINDOW_MONTHS.value,
        K_AUM_EXCLUDED_MONTHS.value,
    )
    coefficient = K_AUM_COEFFICIENT.value
    requirement = window.average_gbp * coefficient

    steps = [
        Step(
            f"AUM at {obs.date} ({obs.amount:,.2f} {obs.currency} at "
            f"{obs.fx_rate_to_gbp:g} GBP per unit)",
            obs.amount_gbp,
            "GBP",
            "MIFIDPRU 4.7.5R(1)(a), (2)",
        )
        for obs in window.observations
    ]
    steps.append(
        Step(
            "Excluded: the 3 most recent month-ends "
            + ", ".join(str(m) for m in window.months_excluded),
            None,
            "text",
            "MIFIDPRU 4.7.5R(1)(b)",
        )
    )
    steps.append(
        Step(
            f"Average AUM: mean of {window.count} month-ends "
            f"{window.describe_window()}",
            window.average_gbp,
            "GBP",
            "MIFIDPRU 4.7.5R(1)(c)",
        )
    )
    steps.append(
        Step(
            f"K-AUM: average AUM x {coefficient:.2%}",
            requirement,
            "GBP",
            K_AUM_COEFFICIENT.rule,
        )
    )
    figures = window.figures("average_aum")
    figures["k_aum_gbp"] = requirement
    figures["coefficient"] = coefficient
    figures["fx_rates_used"] = {
        str(month): {"currency": obs.currency, "fx_rate_to_gbp": obs.fx_rate_to_gbp}
        for month, obs in zip(window.months_averaged, window.observations, strict=True)
    }
    return CalculationResult(
        calculator="k_aum",
        title="K-AUM requirement",
        value=requirement,
        rule=RULE,
        inputs={
            "calculation_date": calculation_date,
            SERIES_FIELD: {
                str(month): {
                    "amount": obs.amount,
                    "currency": obs.currency,
                    "fx_rate_to_gbp": obs.fx_rate_to_gbp,
                }
                for month, obs in series.values.items()
            },
        },
        figures=figures,
        steps=tuple(steps),
        readings=(
            Reading(
                K_AUM_COEFFICIENT.rule,
                "The 0.02% coefficient is taken from IFR Art 15 because the UK "
                "table is not readable in the Handbook copy seen.",
            ),
        ),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-AUM calculator on a JSON-style mapping (see docs/calculators.md)."""
    calculation_date = parse_calculation_date(
        "calculation_date", inputs.get("calculation_date")
    )
    series = parse_monthly_series(
        SERIES_FIELD, inputs.get(SERIES_FIELD), calculation_date
    )
    return calculate_k_aum(series, calculation_date)
