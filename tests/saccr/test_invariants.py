"""Properties that hold for any trade book (hypothesis).

EAD is never negative, more collateral never raises it, and the order of the
trade rows never changes a result.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.saccr import calculate_exposure, trade_table_from_records

ASSET_TEMPLATES = {
    "interest_rate": {"hedging_set": "GBP"},
    "fx": {"hedging_set": "EUR/GBP"},
    "credit": {"sub_class": "BBB", "risk_factor": "ISSUER"},
    "equity": {"sub_class": "index", "risk_factor": "FTSE"},
    "commodity": {"sub_class": "oil_gas", "risk_factor": "crude"},
}

trade_strategy = st.fixed_dictionaries(
    {
        "asset_class": st.sampled_from(sorted(ASSET_TEMPLATES)),
        "notional": st.floats(0, 1e7),
        "maturity_years": st.floats(0, 30),
        "direction": st.sampled_from(["long", "short"]),
        "mtm": st.floats(-1e6, 1e6),
        "netting_set_id": st.sampled_from(["NS1", "NS2"]),
        "risk_suffix": st.sampled_from(["", "-2"]),
        "option": st.booleans(),
    }
)
netting_terms = st.fixed_dictionaries(
    {
        "margined": st.booleans(),
        "threshold": st.floats(0, 1e5),
        "minimum_transfer_amount": st.floats(0, 1e5),
        "nica": st.floats(-1e5, 1e5),
        "variation_margin_net_held": st.floats(-1e6, 1e6),
    }
)


def build_rows(trades: list[dict], terms: dict[str, dict]) -> list[dict]:
    rows = []
    for position, trade in enumerate(trades):
        template = dict(ASSET_TEMPLATES[trade["asset_class"]])
        if "risk_factor" in template:
            template["risk_factor"] += trade["risk_suffix"]
        row = {
            "trade_id": f"T{position}",
            "netting_set_id": trade["netting_set_id"],
            "asset_class": trade["asset_class"],
            "notional": trade["notional"],
            "maturity_years": trade["maturity_years"],
            "start_years": 0,
            "end_years": trade["maturity_years"],
            "direction": trade["direction"],
            "mtm": trade["mtm"],
            **template,
            **terms[trade["netting_set_id"]],
        }
        if trade["option"]:
            row |= {
                "option_type": "call",
                "option_position": "sold",
                "underlying_price": 100,
                "strike": 90,
                "exercise_years": 0.5,
            }
        row["margined"] = "true" if row["margined"] else "false"
        rows.append(row)
    return rows


def eads(rows: list[dict]) -> np.ndarray:
    sets = calculate_exposure(trade_table_from_records(rows)).netting_sets
    return sets.sort_index()["exposure_at_default"].to_numpy()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(trade_strategy, min_size=1, max_size=12),
    netting_terms,
    netting_terms,
)
def test_ead_never_negative(trades, terms_1, terms_2) -> None:
    rows = build_rows(trades, {"NS1": terms_1, "NS2": terms_2})
    exposure = calculate_exposure(trade_table_from_records(rows)).netting_sets
    assert (exposure["exposure_at_default"] >= 0).all()
    assert (exposure["replacement_cost"] >= 0).all()
    assert (exposure["potential_future_exposure"] >= 0).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(trade_strategy, min_size=1, max_size=12),
    netting_terms,
    netting_terms,
    st.floats(0, 1e6),
    st.sampled_from(["variation_margin_net_held", "nica"]),
)
def test_more_collateral_never_raises_ead(
    trades, terms_1, terms_2, extra, collateral_column
) -> None:
    terms = {"NS1": terms_1, "NS2": terms_2}
    before = eads(build_rows(trades, terms))
    richer = {
        name: values | {collateral_column: values[collateral_column] + extra}
        for name, values in terms.items()
    }
    after = eads(build_rows(trades, richer))
    assert np.all(after <= before + 1e-9 * np.maximum(1.0, before))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(trade_strategy, min_size=2, max_size=12),
    netting_terms,
    netting_terms,
    st.randoms(use_true_random=False),
)
def test_trade_order_does_not_change_result(trades, terms_1, terms_2, random) -> None:
    rows = build_rows(trades, {"NS1": terms_1, "NS2": terms_2})
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert np.allclose(eads(rows), eads(shuffled), rtol=1e-12, atol=1e-9)
