"""ICARA threshold requirements, with the wind-down plan and its cost profile."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.charts import wind_down_profile
from ui.context import page_context, require_firm
from ui.data import save_wind_down_plan, starting_wind_down_plan, wind_down_frame
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("ICARA and wind-down")
threshold_tab, wind_down_tab = st.tabs(["Threshold requirements", "Wind-down"])
with wind_down_tab:
    st.caption(
        "MIFIDPRU 7.6.4G(2)(b) and 7.7.3G(2)(b): the own funds and liquid assets "
        "needed to wind the firm down in an orderly way, month by month."
    )
    plan = firm_inputs(context, "wind_down")
    if not plan:
        st.info(
            "The firm has no wind-down plan saved. The plan below is a starting "
            "point built from the fixed overheads: six months of relevant "
            "expenditure with a 10% stress. Edit it and save it as the firm's plan."
        )
        plan = starting_wind_down_plan(context)
    edited, wind_down = calculator_panel(context, "wind_down", "wind_down", plan)
    if wind_down is not None:
        profile = wind_down_frame(wind_down)
        if profile is not None:
            st.plotly_chart(wind_down_profile(profile), key="wind-down-profile")
        if context.can_write and st.button("Save as the firm's wind-down plan"):
            dataset_id = save_wind_down_plan(context, edited)
            st.success(f"Saved the plan as dataset {dataset_id}.")
with threshold_tab:
    st.caption(
        "MIFIDPRU 7.6 and 7.7: the own funds threshold requirement is the higher "
        "of the own funds requirement plus the own funds for ongoing harms, and "
        "the own funds for an orderly wind-down."
    )
    calculator_panel(context, "icara", "icara", firm_inputs(context, "icara"))
