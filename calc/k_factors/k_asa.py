"""K-ASA requirement, MIFIDPRU 4.9.

K-ASA = 0.04% x average ASA. Average ASA is the mean of the end-of-day values on
every business day of the months that remain after the 3 most recent of the
previous 6 months are dropped (MIFIDPRU 4.9.8R). Units in qualifying money market
funds treated as client money are excluded (4.9.4R), and only MiFID business
counts (4.9.5G).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from calc.averaging import parse_calculation_date
from calc.k_factors._daily import DailyComponent, calculate_daily_k_factor
from calc.result import CalculationResult, Reading
from calc.rules import K_ASA_COEFFICIENT, K_ASA_EXCLUDED_MONTHS, K_ASA_WINDOW_MONTHS
from calc.time_series import DailySeries, parse_daily_series

RULE = "MIFIDPRU 4.9.8R"
SERIES_FIELD = "daily_asa_gbp"

# NOTE: neither MIFIDPRU 4.9.8R nor IFR Art 19 was seen. The window of 6 months
# less the 3 most recent is from memory of IFR Art 19, so it is configurable in
# calc/rules.py.
READINGS = (
    Reading(
        RULE,
        "Average ASA is the mean of the end-of-day values of the 3 months left "
        "after dropping the 3 most recent of the previous 6. This window is not "
        "confirmed in the UK or the EU text.",
    ),
    Reading("MIFIDPRU 4.9.1R", "The 0.04% coefficient is taken from IFR Art 15."),
)


def calculate_k_asa(
    series: DailySeries, calculation_date: dt.date
) -> CalculationResult:
    """Calculate the K-ASA requirement in GBP from daily ASA.

    Raises
    ------
    MissingPeriodError
        A business day in the averaged months has no value.
    """
    return calculate_daily_k_factor(
        calculator="k_asa",
        title="K-ASA requirement",
        rule=RULE,
        calculation_date=calculation_date,
        components=[DailyComponent("asa", "ASA", series, K_ASA_COEFFICIENT)],
        window_months=K_ASA_WINDOW_MONTHS,
        excluded_months=K_ASA_EXCLUDED_MONTHS,
        readings=READINGS,
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-ASA calculator on a JSON-style mapping (see docs/calculators.md)."""
    calculation_date = parse_calculation_date(
        "calculation_date", inputs.get("calculation_date")
    )
    series = parse_daily_series(
        SERIES_FIELD, inputs.get(SERIES_FIELD), calculation_date
    )
    return calculate_k_asa(series, calculation_date)
