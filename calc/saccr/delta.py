"""Supervisory delta of each trade, vectorised (Basel Framework CRE52.38-52.41).

Linear trades take +1 for long and -1 for short. Options take the
Black-Scholes delta at the supervisory volatility. CDO tranches take
15 / ((1 + 14A)(1 + 14D)), positive for bought protection.
"""

from __future__ import annotations

import math

import numpy as np

from calc.saccr.parameters import CDO_TRANCHE_NUMERATOR, CDO_TRANCHE_SLOPE

_ERFC = np.frompyfunc(math.erfc, 1, 1)


def standard_normal_cdf(values: np.ndarray) -> np.ndarray:
    """Return Φ(x) to double precision, using ``math.erfc`` element by element.

    Only option trades reach this, so the element loop runs over a subset.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values.copy()
    return 0.5 * _ERFC(-values / math.sqrt(2.0)).astype(float)


def option_delta(
    is_call: np.ndarray,
    is_bought: np.ndarray,
    underlying_price: np.ndarray,
    strike: np.ndarray,
    shift: np.ndarray,
    exercise_years: np.ndarray,
    supervisory_volatility: np.ndarray,
) -> np.ndarray:
    """Return the supervisory delta of options (CRE52.40).

    d1 = [ln((P + λ)/(K + λ)) + σ²T/2] / (σ·sqrt(T)). A bought call has Φ(d1), a
    sold call -Φ(d1), a bought put -Φ(-d1) and a sold put Φ(-d1). λ (``shift``)
    makes the price and strike positive where rates are negative; the trade file
    import rejects options where either is still zero or negative.
    """
    sigma_root_t = supervisory_volatility * np.sqrt(exercise_years)
    d1 = (
        np.log((underlying_price + shift) / (strike + shift))
        + 0.5 * supervisory_volatility**2 * exercise_years
    ) / sigma_root_t
    signed_d1 = np.where(is_call, d1, -d1)
    magnitude = standard_normal_cdf(signed_d1)
    sign = np.where(is_call == is_bought, 1.0, -1.0)
    return sign * magnitude


def tranche_delta(
    attachment: np.ndarray, detachment: np.ndarray, is_long: np.ndarray
) -> np.ndarray:
    """Return the CDO tranche delta ±15 / ((1 + 14A)(1 + 14D)) (CRE52.41).

    Long (bought protection) is positive. ``attachment`` and ``detachment`` are
    fractions of the pool (n-th-to-default on m names: A = (n-1)/m, D = n/m).
    """
    magnitude = CDO_TRANCHE_NUMERATOR / (
        (1 + CDO_TRANCHE_SLOPE * attachment) * (1 + CDO_TRANCHE_SLOPE * detachment)
    )
    return np.where(is_long, magnitude, -magnitude)
