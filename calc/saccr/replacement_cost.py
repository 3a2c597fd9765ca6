"""Replacement cost of a netting set (Basel Framework CRE52.10 and 52.18)."""

from __future__ import annotations

import numpy as np


def replacement_cost(
    value: np.ndarray,
    collateral: np.ndarray,
    margined: np.ndarray,
    threshold: np.ndarray,
    minimum_transfer_amount: np.ndarray,
    nica: np.ndarray,
) -> np.ndarray:
    """Return RC per netting set, in GBP.

    Unmargined: RC = max(V - C, 0). Margined: RC = max(V - C, TH + MTA - NICA, 0).

    Parameters
    ----------
    value : ndarray of shape (n_netting_sets,)
        V, the sum of the trades' market values.
    collateral : ndarray of shape (n_netting_sets,)
        C, the haircut value of net collateral held: net variation margin held
        (negative where posted) plus NICA.
    margined : ndarray of bool, shape (n_netting_sets,)
        Whether the set is under a margin agreement.
    threshold, minimum_transfer_amount : ndarray of shape (n_netting_sets,)
        TH and MTA of the margin agreement; ignored for unmargined sets.
    nica : ndarray of shape (n_netting_sets,)
        Net independent collateral amount: collateral other than VM held, less
        unsegregated collateral posted.
    """
    value = np.asarray(value, dtype=float)
    net_exposure = value - np.asarray(collateral, dtype=float)
    margin_term = (
        np.asarray(threshold, dtype=float)
        + np.asarray(minimum_transfer_amount, dtype=float)
        - np.asarray(nica, dtype=float)
    )
    margined_rc = np.maximum.reduce([net_exposure, margin_term, np.zeros_like(value)])
    unmargined_rc = np.maximum(net_exposure, 0.0)
    return np.where(np.asarray(margined, dtype=bool), margined_rc, unmargined_rc)
