"""K-DTF requirement, MIFIDPRU 4.15.

K-DTF = 0.1% x average DTF in cash trades + 0.01% x average DTF in derivatives.
Average DTF is the mean of the daily values on every business day of the 6
months that remain after the 3 most recent of the previous 9 months are dropped
(MIFIDPRU 4.15.4R). Daily values are measured as for COH: absolute buys and
sells, notional for derivatives, and for interest rate derivatives the notional x
time to maturity in years / 10. Executions in the firm's own name for clients
count here, not in K-COH.
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
    K_DTF_CASH_COEFFICIENT,
    K_DTF_DERIVATIVES_COEFFICIENT,
    K_DTF_EXCLUDED_MONTHS,
    K_DTF_WINDOW_MONTHS,
)
from calc.time_series import DailySeries

RULE = "MIFIDPRU 4.15.4R"
CASH_FIELD = "daily_cash_trades_gbp"
DERIVATIVES_FIELD = "daily_derivatives_notional_gbp"

# NOTE: the UK text of MIFIDPRU 4.15.4R was not seen. The 9-month window less the
# 3 most recent months follows IFR Art 33(1), and is configurable in calc/rules.py.
READINGS = (
    Reading(
        RULE,
        "Average DTF is the mean of the daily values of the 6 months left after "
        "dropping the 3 most recent of the previous 9 (IFR Art 33(1)). The UK "
        "text was not confirmed.",
    ),
    Reading(
        "MIFIDPRU 4.15.1R",
        "The 0.1% and 0.01% coefficients are taken from IFR Art 15; interest rate "
        "derivative notionals are adjusted by time to maturity / 10 as for COH.",
    ),
)


def calculate_k_dtf(
    cash: DailySeries, derivatives: DailySeries, calculation_date: dt.date
) -> CalculationResult:
    """Calculate the K-DTF requirement in GBP from daily cash and derivative DTF.

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
        calculator="k_dtf",
        title="K-DTF requirement",
        rule=RULE,
        calculation_date=calculation_date,
        components=[
            DailyComponent("cash", "DTF cash trades", cash, K_DTF_CASH_COEFFICIENT),
            DailyComponent(
                "derivatives",
                "DTF derivatives",
                derivatives,
                K_DTF_DERIVATIVES_COEFFICIENT,
            ),
        ],
        window_months=K_DTF_WINDOW_MONTHS,
        excluded_months=K_DTF_EXCLUDED_MONTHS,
        readings=READINGS,
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-DTF calculator on a JSON-style mapping (see docs/calculators.md)."""
    calculation_date = parse_calculation_date(
        "calculation_date", inputs.get("calculation_date")
    )
    cash, derivatives, extra = parse_trade_flow_inputs(
        inputs, calculation_date, CASH_FIELD, DERIVATIVES_FIELD
    )
    result = calculate_k_dtf(cash, derivatives, calculation_date)
    result.inputs.update(extra)
    return result
