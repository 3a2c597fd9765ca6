"""K-CMH requirement, MIFIDPRU 4.8.

K-CMH = 0.4% x average CMH held in segregated accounts + 0.5% x average CMH held
in non-segregated accounts. Average CMH is the mean of the end-of-day values on
every business day of the 6 months that remain after the 3 most recent of the
previous 9 months are dropped (MIFIDPRU 4.8.13R). Units in qualifying money market
funds held as client money count here, not in ASA (4.8.5G).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from calc.averaging import parse_calculation_date
from calc.errors import CalculationInputError
from calc.k_factors._daily import (
    DailyComponent,
    calculate_daily_k_factor,
    parse_optional_daily_series,
)
from calc.result import CalculationResult, Reading
from calc.rules import (
    K_CMH_EXCLUDED_MONTHS,
    K_CMH_NON_SEGREGATED_COEFFICIENT,
    K_CMH_SEGREGATED_COEFFICIENT,
    K_CMH_WINDOW_MONTHS,
)
from calc.time_series import DailySeries

RULE = "MIFIDPRU 4.8.13R"
SEGREGATED_FIELD = "daily_segregated_cmh_gbp"
NON_SEGREGATED_FIELD = "daily_non_segregated_cmh_gbp"

# NOTE: the UK text of MIFIDPRU 4.8.13R was not seen; the 9-month window without
# the 3 most recent months follows IFR Art 18(1).
READINGS = (
    Reading(
        RULE,
        "Average CMH is the mean of the end-of-day values of the 6 months left "
        "after dropping the 3 most recent of the previous 9 (IFR Art 18(1)); the "
        "UK text was not confirmed.",
    ),
    Reading(
        "MIFIDPRU 4.8.1R",
        "The 0.4% and 0.5% coefficients are taken from IFR Art 15.",
    ),
)


def calculate_k_cmh(
    segregated: DailySeries | None,
    non_segregated: DailySeries | None,
    calculation_date: dt.date,
) -> CalculationResult:
    """Calculate the K-CMH requirement in GBP from daily CMH.

    Parameters
    ----------
    segregated, non_segregated : DailySeries or None
        End-of-day client money in segregated and in non-segregated accounts, in
        GBP or with an FX rate per day; None where the firm has none of that
        kind. At least one must be given.
    calculation_date : date
        The first business day of the month.

    Raises
    ------
    MissingPeriodError
        A business day in the 6 averaged months has no value.
    """
    components = []
    if segregated is not None:
        components.append(
            DailyComponent(
                "segregated",
                "Segregated CMH",
                segregated,
                K_CMH_SEGREGATED_COEFFICIENT,
            )
        )
    if non_segregated is not None:
        components.append(
            DailyComponent(
                "non_segregated",
                "Non-segregated CMH",
                non_segregated,
                K_CMH_NON_SEGREGATED_COEFFICIENT,
            )
        )
    if not components:
        raise CalculationInputError(
            SEGREGATED_FIELD,
            None,
            f"is missing, and so is {NON_SEGREGATED_FIELD}",
            "Give the daily CMH in segregated accounts, non-segregated accounts, "
            "or both.",
        )
    warnings = []
    if segregated is None or non_segregated is None:
        absent = SEGREGATED_FIELD if segregated is None else NON_SEGREGATED_FIELD
        warnings.append(f"{absent} was not given and counts as zero.")
    result = calculate_daily_k_factor(
        calculator="k_cmh",
        title="K-CMH requirement",
        rule=RULE,
        calculation_date=calculation_date,
        components=components,
        window_months=K_CMH_WINDOW_MONTHS,
        excluded_months=K_CMH_EXCLUDED_MONTHS,
        readings=READINGS,
        warnings=warnings,
    )
    result.figures.setdefault("average_segregated_gbp", 0.0)
    result.figures.setdefault("average_non_segregated_gbp", 0.0)
    return result


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-CMH calculator on a JSON-style mapping (see docs/calculators.md)."""
    calculation_date = parse_calculation_date(
        "calculation_date", inputs.get("calculation_date")
    )
    return calculate_k_cmh(
        parse_optional_daily_series(inputs, SEGREGATED_FIELD, calculation_date),
        parse_optional_daily_series(inputs, NON_SEGREGATED_FIELD, calculation_date),
        calculation_date,
    )
