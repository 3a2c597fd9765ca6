"""K-TCD: trade upload, exposure value route and the netting-set drill-down."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calc import saccr
from ui.calculator import calculator_panel
from ui.context import page_context, require_firm
from ui.position import firm_inputs
from ui.session import (
    default_value,
    memoized,
    recall,
    remember,
    value_key,
    widget_key,
)
from ui.uploads import upload_trades

PAGE = "k_tcd"
ROUTES = {
    "saccr": "SA-CCR exposure values from the trade file (not confirmed for the UK)",
    "mifidpru": "MIFIDPRU 4.14.8R: replacement cost, PFE and collateral entered",
}

context = page_context()
require_firm(context)

st.title("K-TCD: trading counterparty default")
st.caption(
    "MIFIDPRU 4.14.1R: K-TCD = 1.2 x exposure value x risk factor x CVA factor, "
    "summed over counterparties. The factors are taken from the EU IFR because "
    "the UK formula could not be read: our reading, shown with the result."
)
inputs = firm_inputs(context, "k_tcd")
route_key = widget_key(PAGE, context.firm_id, "route")
default_value(route_key, inputs.get("route", "mifidpru"))
route = st.radio(
    "Exposure value route",
    list(ROUTES),
    format_func=ROUTES.get,
    key=route_key,
    persist_state="session",
)
inputs["route"] = route

trades_key = value_key(PAGE, context.firm_id, "trades")
if route == "saccr":
    with st.expander("Upload a trade file", expanded=not inputs.get("trades")):
        uploaded = upload_trades(f"{PAGE}:{context.firm_id}")
    if uploaded is not None:
        remember(trades_key, uploaded)
    inputs["trades"] = recall(trades_key) or inputs.get("trades", [])
    if not inputs["trades"]:
        st.info("Upload a trade file to compute SA-CCR exposure values.")
        st.stop()
else:
    inputs.pop("trades", None)

edited, result = calculator_panel(
    context, "k_tcd", PAGE, inputs, fixed={"route": route}
)
if route != "saccr" or result is None:
    st.stop()

st.subheader("Drill-down: netting set, asset class, hedging set, trade")
with st.spinner("Computing SA-CCR exposures for the drill-down"):
    exposure = memoized(
        context.firm_id,
        "saccr_exposure",
        edited["trades"],
        lambda: saccr.calculate_exposure(
            saccr.trade_table_from_records(edited["trades"])
        ),
    )
sets = exposure.netting_sets.reset_index()
st.dataframe(
    sets[
        [
            "netting_set_id",
            "counterparty_id",
            "trade_count",
            "replacement_cost",
            "potential_future_exposure",
            "exposure_at_default",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        name: st.column_config.NumberColumn(format="%.2f")
        for name in ("replacement_cost", "potential_future_exposure")
    }
    | {"exposure_at_default": st.column_config.NumberColumn(format="%.2f")},
)
netting_set = st.selectbox(
    "Netting set",
    options=list(exposure.netting_sets.index),
    key=widget_key(PAGE, context.firm_id, "netting_set"),
    persist_state="session",
)
detail = saccr.breakdown(exposure, netting_set)
classes = detail["asset_classes"]
st.dataframe(
    pd.DataFrame(
        [
            {"asset class": name, "add-on": body["add_on"]}
            for name, body in classes.items()
        ]
    ),
    hide_index=True,
)
asset_class = st.selectbox(
    "Asset class",
    options=list(classes),
    key=widget_key(PAGE, context.firm_id, f"class:{netting_set}"),
    persist_state="session",
)
if asset_class:
    hedging_sets = classes[asset_class]["hedging_sets"]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "hedging set": name,
                    "effective notional": body["effective_notional"],
                    "add-on": body["add_on"],
                    "trades": len(body["trades"]),
                }
                for name, body in hedging_sets.items()
            ]
        ),
        hide_index=True,
    )
    hedging_set = st.selectbox(
        "Hedging set",
        options=list(hedging_sets),
        key=widget_key(PAGE, context.firm_id, f"hedging:{netting_set}:{asset_class}"),
        persist_state="session",
    )
    if hedging_set:
        st.caption("Trades in the hedging set")
        st.dataframe(pd.DataFrame(hedging_sets[hedging_set]["trades"]), hide_index=True)
