"""Scenario explorer: change the drivers of the saved position and compare."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import roles
from ui.charts import requirement_chart, scenario_comparison
from ui.context import page_context, require_firm, require_write
from ui.formatting import format_amount
from ui.position import position_summary
from ui.scenario import (
    DRIVERS,
    comparison_figures,
    run_scenario,
    save_scenario,
    saved_figures,
    saved_scenarios,
)
from ui.session import default_value, recall, remember, value_key, widget_key

PAGE = "scenarios"
MAX_COMPARED = 3

context = page_context(roles.ADMINISTRATOR, roles.ANALYST)
require_firm(context)

st.title("Scenario explorer")
base = position_summary(context)
if base is None:
    st.info("This firm has no saved position to start from. Load the sample firm.")
    st.stop()
st.caption(
    "Starts from the saved position. Each driver changes the inputs before every "
    "requirement is recomputed with the same calculators as the other pages."
)

drivers = {}
columns = st.columns(3)
for index, (name, spec) in enumerate(DRIVERS.items()):
    key = widget_key(PAGE, context.firm_id, name)
    default_value(key, spec["default"](base))
    with columns[index % 3]:
        if spec["widget"] == "slider":
            drivers[name] = st.slider(
                spec["label"],
                min_value=spec["min"],
                max_value=spec["max"],
                step=spec["step"],
                key=key,
                persist_state="session",
                help=spec["help"],
            )
        else:
            drivers[name] = st.number_input(
                spec["label"],
                step=spec["step"],
                key=key,
                persist_state="session",
                help=spec["help"],
            )

with st.spinner("Recomputing the requirements"):
    scenario = run_scenario(context, drivers, base)
if scenario is None:
    st.stop()

table = pd.DataFrame(
    {
        "figure": list(comparison_figures(base)),
        "saved position": [
            format_amount(value, "GBP") for value in comparison_figures(base).values()
        ],
        "this scenario": [
            format_amount(value, "GBP")
            for value in comparison_figures(scenario).values()
        ],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
if scenario.early_warning:
    st.error("In this scenario own funds fall into the early-warning band.")
st.plotly_chart(
    requirement_chart(
        scenario.components,
        scenario.own_funds,
        scenario.binding_label,
        scenario.k_factor_parts,
    ),
    key="scenario-requirements",
)

compared_key = value_key(PAGE, context.firm_id, "compared")
compared: dict[str, dict] = recall(compared_key, {})
name_key = widget_key(PAGE, context.firm_id, "name")
default_value(name_key, f"Scenario {len(compared) + 1}")
name = st.text_input("Scenario name", key=name_key, persist_state="session")
scenario_figures = comparison_figures(scenario)


def add_to_comparison() -> None:
    """Add this scenario to the comparison under a name not used there yet.

    A repeated name gets a number, so a second click with the default name
    adds a column instead of replacing the first scenario.
    """
    kept = recall(compared_key, {})
    typed = st.session_state[name_key]
    label = typed
    number = 2
    while label in kept:
        label = f"{typed} ({number})"
        number += 1
    remember(compared_key, {**kept, label: scenario_figures})


add_column, save_column = st.columns(2)
with add_column:
    st.button(
        "Add to comparison",
        disabled=len(compared) >= MAX_COMPARED,
        on_click=add_to_comparison,
    )
with save_column:
    if st.button("Save scenario", type="primary"):
        require_write(context)
        scenario_id = save_scenario(context, name, drivers, scenario)
        st.success(f"Saved scenario {name!r} as {scenario_id}.")

saved = saved_scenarios(context)
if saved:
    picked = st.multiselect(
        "Add saved scenarios to the comparison",
        options=list(saved),
        max_selections=MAX_COMPARED,
        key=widget_key(PAGE, context.firm_id, "saved"),
        persist_state="session",
    )
    for saved_name in picked:
        if len(compared) < MAX_COMPARED:
            figures = saved_figures(context, saved[saved_name])
            compared = {**compared, saved_name: figures}

if compared:
    st.subheader(f"Comparison (up to {MAX_COMPARED} scenarios)")
    shown = {"Saved position": comparison_figures(base), **compared}
    st.plotly_chart(scenario_comparison(shown), key="scenario-comparison")
    side_by_side = pd.DataFrame(shown).map(lambda value: format_amount(value, "GBP"))
    st.dataframe(side_by_side, width="stretch")
    if st.button("Clear the comparison"):
        remember(compared_key, {})
        st.rerun()
