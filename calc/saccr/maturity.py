"""Maturity factor and supervisory duration, vectorised over trades.

Times are in years of 250 business days (Basel Framework CRE52.34, 52.48-52.53).
"""

from __future__ import annotations

import numpy as np

from calc.saccr.parameters import (
    BUSINESS_DAYS_PER_YEAR,
    DURATION_RATE,
    LARGE_NETTING_SET_MPOR_DAYS,
    LARGE_NETTING_SET_TRADES,
    MATURITY_FLOOR_BUSINESS_DAYS,
)

MATURITY_FLOOR_YEARS = MATURITY_FLOOR_BUSINESS_DAYS / BUSINESS_DAYS_PER_YEAR


def unmargined_maturity_factor(maturity_years: np.ndarray) -> np.ndarray:
    """Return sqrt(min(M, 1) / 1) with M floored at 10 business days (CRE52.48).

    Parameters
    ----------
    maturity_years : ndarray of shape (n_trades,)
        Remaining maturity M in years.

    Returns
    -------
    ndarray of shape (n_trades,)
        Ratio between 0.2 (the floor, sqrt(10/250)) and 1.
    """
    floored = np.maximum(maturity_years, MATURITY_FLOOR_YEARS)
    return np.sqrt(np.minimum(floored, 1.0))


def margined_maturity_factor(mpor_days: np.ndarray) -> np.ndarray:
    """Return 3/2 · sqrt(MPOR / 250) for margined netting sets (CRE52.52).

    ``mpor_days`` is the margin period of risk in business days, already floored
    by ``margin_period_of_risk``.
    """
    return 1.5 * np.sqrt(mpor_days / BUSINESS_DAYS_PER_YEAR)


def margin_period_of_risk(
    remargin_period_days: np.ndarray,
    stated_mpor_days: np.ndarray,
    trade_count: np.ndarray,
) -> np.ndarray:
    """Return the MPOR in business days for each margined netting set (CRE52.50).

    The MPOR is the largest of the stated MPOR and two floors. The first floor is
    10 business days plus the remargining period less one day (10 for daily
    margining, 14 for weekly). The second is 20 business days for a set with more
    than 5,000 trades.

    Notes
    -----
    The doubled floor after disputes and the 20-day floor for illiquid collateral
    or hard-to-replace trades depend on facts outside the trade file. State them
    through ``mpor_days``.
    """
    floor = MATURITY_FLOOR_BUSINESS_DAYS + remargin_period_days - 1
    large = np.where(
        trade_count > LARGE_NETTING_SET_TRADES, LARGE_NETTING_SET_MPOR_DAYS, 0
    )
    return np.maximum.reduce([floor, stated_mpor_days, large]).astype(float)


def supervisory_duration(start_years: np.ndarray, end_years: np.ndarray) -> np.ndarray:
    """Return SD = (exp(-0.05·S) - exp(-0.05·E)) / 0.05, floored at 10 days.

    Used for interest rate and credit trades (CRE52.34). S is zero for a
    referenced period that has started; the trade file gives S and E in years.
    The floor is 10/250 years, the same floor as the maturity.
    """
    start = np.maximum(start_years, 0.0)
    duration = (
        np.exp(-DURATION_RATE * start) - np.exp(-DURATION_RATE * end_years)
    ) / DURATION_RATE
    return np.maximum(duration, MATURITY_FLOOR_YEARS)
