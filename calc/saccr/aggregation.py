"""Hedging-set and asset-class add-ons from trade effective notionals.

Implements the Basel Framework SA-CCR aggregation (CRE52.55-52.71) with
``np.bincount`` over integer group ids, so the cost is linear in the number of
trades and no Python loop runs per trade or per netting set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calc.saccr.parameters import ASSET_CLASSES, INTEREST_RATE_BUCKET_CORRELATIONS

INTEREST_RATE = ASSET_CLASSES.index("interest_rate")
FX = ASSET_CLASSES.index("fx")


@dataclass(frozen=True)
class HedgingSetGroups:
    """Integer group ids that do not depend on the effective notionals.

    Attributes
    ----------
    hedging_set_of_trade : ndarray of shape (n_trades,)
        Hedging set id of each trade, 0 .. n_hedging_sets - 1.
    representative_trade : ndarray of shape (n_hedging_sets,)
        One trade of each hedging set, to read its netting set, class and kind.
    risk_factor_of_trade : ndarray of shape (n_trades,)
        Risk factor id (entity or commodity type) within its hedging set, -1 for
        interest rate and FX trades.
    representative_of_risk_factor : ndarray of shape (n_risk_factors,)
        One trade of each risk factor.
    bucket : ndarray of shape (n_trades,)
        Interest rate maturity bucket 0, 1 or 2 (E < 1, 1 <= E <= 5, E > 5).
    """

    hedging_set_of_trade: np.ndarray
    representative_trade: np.ndarray
    risk_factor_of_trade: np.ndarray
    representative_of_risk_factor: np.ndarray
    bucket: np.ndarray

    @property
    def hedging_set_count(self) -> int:
        """Number of hedging sets over all netting sets."""
        return len(self.representative_trade)


def combine_codes(*codes: np.ndarray) -> np.ndarray:
    """Return dense ids 0..k-1 for each distinct tuple of non-negative int codes.

    Codes are combined two at a time and re-densified with ``pd.factorize`` so
    the mixed-radix key never exceeds int64.
    """
    import pandas as pd

    combined = np.asarray(codes[0], dtype=np.int64)
    for code in codes[1:]:
        code = np.asarray(code, dtype=np.int64)
        radix = int(code.max()) + 1 if code.size else 1
        combined, _ = pd.factorize(combined * radix + code)
        combined = combined.astype(np.int64)
    if len(codes) == 1:
        combined, _ = pd.factorize(combined)
    return combined


def representatives(group_of_item: np.ndarray, group_count: int) -> np.ndarray:
    """Return one item index per group (every item of a group shares its key)."""
    chosen = np.zeros(group_count, dtype=np.int64)
    chosen[group_of_item] = np.arange(len(group_of_item), dtype=np.int64)
    return chosen


def interest_rate_bucket(end_years: np.ndarray) -> np.ndarray:
    """Return the IR maturity bucket 0, 1 or 2 of each trade from E (CRE52.56)."""
    return np.where(end_years < 1.0, 0, np.where(end_years <= 5.0, 1, 2))


def hedging_set_add_ons(
    groups: HedgingSetGroups,
    effective_notional: np.ndarray,
    supervisory_factor: np.ndarray,
    correlation: np.ndarray,
    asset_class_of_trade: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the add-on and effective notional of every hedging set.

    Parameters
    ----------
    groups : HedgingSetGroups
        Group ids from the trade keys.
    effective_notional : ndarray of shape (n_trades,)
        D = δ · d · MF of each trade, signed, in GBP.
    supervisory_factor : ndarray of shape (n_trades,)
        SF of each trade after the basis (x0.5) or volatility (x5) scaling.
    correlation : ndarray of shape (n_trades,)
        ρ of each trade's risk factor; unused for interest rate and FX.
    asset_class_of_trade : ndarray of shape (n_trades,)
        Index into ``ASSET_CLASSES``.

    Returns
    -------
    add_on : ndarray of shape (n_hedging_sets,)
        Hedging-set add-on in GBP.
    effective_notional_of_set : ndarray of shape (n_hedging_sets,)
        IR: the bucket-aggregated EN (CRE52.57). FX: |Σ D|. Credit, equity and
        commodity: Σ D, for the drill-down only, because their add-on is built
        per risk factor.
    risk_factor_add_on : ndarray of shape (n_risk_factors,)
        Entity or commodity-type add-on SF · Σ D, signed.
    """
    count = groups.hedging_set_count
    hedging_set = groups.hedging_set_of_trade
    representative = groups.representative_trade
    class_of_set = asset_class_of_trade[representative]
    factor_of_set = supervisory_factor[representative]

    bucket_sums = np.bincount(
        hedging_set * 3 + groups.bucket, weights=effective_notional, minlength=3 * count
    ).reshape(count, 3)
    d1, d2, d3 = bucket_sums[:, 0], bucket_sums[:, 1], bucket_sums[:, 2]
    rho12, rho23, rho13 = INTEREST_RATE_BUCKET_CORRELATIONS
    ir_effective_notional = np.sqrt(
        np.maximum(
            d1**2 + d2**2 + d3**2 + rho12 * d1 * d2 + rho23 * d2 * d3 + rho13 * d1 * d3,
            0.0,
        )
    )
    net_notional = bucket_sums.sum(axis=1)

    factor_trades = groups.risk_factor_of_trade >= 0
    factor_ids = groups.risk_factor_of_trade[factor_trades]
    factor_count = len(groups.representative_of_risk_factor)
    risk_factor_add_on = np.bincount(
        factor_ids,
        weights=(supervisory_factor * effective_notional)[factor_trades],
        minlength=factor_count,
    )
    factor_representative = groups.representative_of_risk_factor
    factor_correlation = correlation[factor_representative]
    set_of_factor = hedging_set[factor_representative]
    systematic = np.bincount(
        set_of_factor, weights=factor_correlation * risk_factor_add_on, minlength=count
    )
    idiosyncratic = np.bincount(
        set_of_factor,
        weights=(1.0 - factor_correlation**2) * risk_factor_add_on**2,
        minlength=count,
    )
    correlated_add_on = np.sqrt(systematic**2 + idiosyncratic)

    add_on = np.where(
        class_of_set == INTEREST_RATE,
        factor_of_set * ir_effective_notional,
        np.where(
            class_of_set == FX,
            factor_of_set * np.abs(net_notional),
            correlated_add_on,
        ),
    )
    set_notional = np.where(
        class_of_set == INTEREST_RATE,
        ir_effective_notional,
        np.where(class_of_set == FX, np.abs(net_notional), net_notional),
    )
    return add_on, set_notional, risk_factor_add_on


def asset_class_add_ons(
    hedging_set_add_on: np.ndarray,
    netting_set_of_set: np.ndarray,
    class_of_set: np.ndarray,
    netting_set_count: int,
) -> np.ndarray:
    """Sum hedging-set add-ons into an (n_netting_sets, n_asset_classes) array."""
    class_count = len(ASSET_CLASSES)
    return np.bincount(
        netting_set_of_set * class_count + class_of_set,
        weights=hedging_set_add_on,
        minlength=netting_set_count * class_count,
    ).reshape(netting_set_count, class_count)
