"""SA-CCR supervisory parameters as data, each with its source.

The values are the Basel Framework CRE52.72 Table 2 supervisory factors,
correlations and option volatilities (first published in BCBS 279, March 2014),
which the UK CRR Article 280a-280e tables repeat for the sub-classes used here.
Factors are ratios (0.005 for 0.5%). ``calc.rules`` lists the headline
constants with their status; the tables below are keyed by the trade file's
``asset_class`` and ``sub_class`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from calc.rules import SACCR_ALPHA

BASEL_TABLE_2 = "Basel Framework CRE52.72, Table 2 (BCBS 279, March 2014)"

ALPHA: float = SACCR_ALPHA.value
"""Multiplier on RC + PFE for the exposure at default (CRE52.1)."""

MULTIPLIER_FLOOR = 0.05
"""Floor of the PFE multiplier (CRE52.23)."""

BUSINESS_DAYS_PER_YEAR = 250
MATURITY_FLOOR_BUSINESS_DAYS = 10
"""Unmargined maturity floor and the daily-margined MPOR floor (CRE52.48, 52.50)."""

LARGE_NETTING_SET_TRADES = 5000
LARGE_NETTING_SET_MPOR_DAYS = 20
"""A margined set with more than 5,000 trades gets a 20-day MPOR floor (CRE52.50)."""

DURATION_RATE = 0.05
"""Discount rate in the supervisory duration (CRE52.34)."""

BASIS_FACTOR_SCALE = 0.5
VOLATILITY_FACTOR_SCALE = 5.0
"""SF multipliers for basis and volatility hedging sets (CRE52.46, 52.47)."""

INTEREST_RATE_BUCKET_CORRELATIONS = (1.4, 1.4, 0.6)
"""Cross terms D1·D2, D2·D3 and D1·D3 in the IR effective notional (CRE52.57)."""

COMMODITY_CORRELATION = 0.4
"""Correlation between commodity types in one hedging set (CRE52.72)."""

CDO_TRANCHE_NUMERATOR = 15.0
CDO_TRANCHE_SLOPE = 14.0
"""CDO tranche delta 15 / ((1 + 14A)(1 + 14D)) (CRE52.41)."""


@dataclass(frozen=True)
class SubClassParameters:
    """Supervisory factor, correlation and option volatility of one sub-class.

    ``correlation`` is ``None`` where the asset class aggregates without a
    correlation (interest rate and foreign exchange).
    """

    supervisory_factor: float
    correlation: float | None
    supervisory_volatility: float
    hedging_set: str = ""


def _table(
    rows: dict[str, SubClassParameters],
) -> MappingProxyType[str, SubClassParameters]:
    return MappingProxyType(rows)


SUPERVISORY_PARAMETERS: MappingProxyType[
    str, MappingProxyType[str, SubClassParameters]
] = MappingProxyType(
    {
        "interest_rate": _table({"": SubClassParameters(0.005, None, 0.50)}),
        "fx": _table({"": SubClassParameters(0.04, None, 0.15)}),
        "credit": _table(
            {
                "AAA": SubClassParameters(0.0038, 0.5, 1.00),
                "AA": SubClassParameters(0.0038, 0.5, 1.00),
                "A": SubClassParameters(0.0042, 0.5, 1.00),
                "BBB": SubClassParameters(0.0054, 0.5, 1.00),
                "BB": SubClassParameters(0.0106, 0.5, 1.00),
                "B": SubClassParameters(0.0160, 0.5, 1.00),
                "CCC": SubClassParameters(0.0600, 0.5, 1.00),
                "IG_index": SubClassParameters(0.0038, 0.8, 0.80),
                "SG_index": SubClassParameters(0.0106, 0.8, 0.80),
            }
        ),
        "equity": _table(
            {
                "single_name": SubClassParameters(0.32, 0.5, 1.20),
                "index": SubClassParameters(0.20, 0.8, 0.75),
            }
        ),
        "commodity": _table(
            {
                "electricity": SubClassParameters(0.40, 0.4, 1.50, "energy"),
                "oil_gas": SubClassParameters(0.18, 0.4, 0.70, "energy"),
                "metals": SubClassParameters(0.18, 0.4, 0.70, "metals"),
                "agricultural": SubClassParameters(0.18, 0.4, 0.70, "agricultural"),
                "other": SubClassParameters(0.18, 0.4, 0.70, "other"),
            }
        ),
    }
)
"""Sub-class parameters by asset class (source: ``BASEL_TABLE_2``).

Commodity sub-classes name the commodity hedging set they fall in; electricity
and oil/gas are both in the energy hedging set.
"""

ASSET_CLASSES: tuple[str, ...] = tuple(SUPERVISORY_PARAMETERS)
