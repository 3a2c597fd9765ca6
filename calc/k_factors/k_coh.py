"""K-COH requirement, MIFIDPRU 4.10.

K-COH = 0.1% x average COH for cash trades + 0.01% x average COH for derivatives
(MIFIDPRU 4.10.1R). Average COH is the mean of the daily values on every business
day of the 3 months that remain after the 3 most recent of the previous 6 months
are dropped (4.10.19R). A daily value is the sum of the absolute buys and sells:
the amount paid or received for cash trades, the notional for derivatives, and
for interest rate derivatives the notional x time to maturity in years / 10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from calc.averaging import parse_calculation_date
from calc.k_factors._daily import (
    DailyComponent,
    calculate_daily_k_factor,
    parse_trade_flow_inputs,
)
from calc.result import CalculationResult, Reading
from calc.rules import (
    K_COH_CASH_COEFFICIENT,
    K_COH_DERIVATIVES_COEFFICIENT,
    K_COH_EXCLUDED_MONTHS,
    K_COH_WINDOW_MONTHS,
)
from calc.time_series import DailySeries

RULE = "MIFIDPRU 4.10.19R"
CASH_FIELD = "daily_cash_trades_gbp"
DERIVATIVES_FIELD = "daily_derivatives_notional_gbp"

# NOTE: the UK text of MIFIDPRU 4.10.19R and of the COH valuation was not seen.
# The window and the interest rate derivative adjustment follow IFR Art 20.
READINGS = (
    Reading(
        RULE,
        "Average COH is the mean of the daily values of the 3 months left after "
        "dropping the 3 most recent of the previous 6 (IFR Art 20(1)); the UK "
        "text was not confirmed.",
    ),
    Reading(
        "MIFIDPRU 4.10",
        "Interest rate derivative notionals are multiplied by time to maturity in "
        "years / 10 (IFR Art 20(2)(b)); daily derivative totals entered directly "
        "must already include this adjustment.",
    ),
)


def calculate_k_coh(
    cash: DailySeries, derivatives: DailySeries, calculation_date: dt.date
) -> CalculationResult:
    """Calculate the K-COH requirement in GBP from daily cash and derivative COH.

    Parameters
    ----------
    cash : DailySeries
        Daily sum of absolute buys and sells in cash trades, GBP.
    derivatives : DailySeries
        Daily sum of derivative notionals, interest rate derivatives already
        adjusted by time to maturity / 10, GBP.
    calculation_date : date
        The first business day of the month.
    """
    return calculate_daily_k_factor(
        calculator="k_coh",
        title="K-COH requirement",
        rule=RULE,
        calculation_date=calculation_date,
        components=[
            DailyComponent("cash", "COH cash trades", cash, K_COH_CASH_COEFFICIENT),
            DailyComponent(
                "derivatives",
                "COH derivatives",
                derivatives,
                K_COH_DERIVATIVES_COEFFICIENT,
            ),
        ],
        window_months=K_COH_WINDOW_MONTHS,
        excluded_months=K_COH_EXCLUDED_MONTHS,
        readings=READINGS,
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-COH calculator on a JSON-style mapping (see docs/calculators.md)."""
    calculation_date = parse_calculation_date(
        "calculation_date", inputs.get("calculation_date")
    )
    cash, derivatives, extra = parse_trade_flow_inputs(
        inputs, calculation_date, CASH_FIELD, DERIVATIVES_FIELD
    )
    result = calculate_k_coh(cash, derivatives, calculation_date)
    result.inputs.update(extra)
    return result
