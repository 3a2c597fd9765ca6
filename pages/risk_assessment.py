"""Risk register with likelihood and impact, the heat map and the harm capital."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.calculator import run_calculator, save_panel
from ui.charts import risk_heat_map
from ui.context import page_context, require_firm
from ui.data import register_inputs
from ui.explain import show_result
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("Risk assessment")
st.caption(
    "MIFIDPRU 7.4: the harms the firm could cause or suffer, scored for "
    "likelihood and impact from 1 to 5, with the own funds held against each."
)
inputs = firm_inputs(context, "risk_assessment")
register_key = next(
    (name for name, value in inputs.items() if isinstance(value, list)), "risks"
)
register = pd.DataFrame(inputs.get(register_key, []))
edited = st.data_editor(
    register,
    key=f"editor:risk_assessment:{context.firm_id}:register",
    num_rows="dynamic" if context.can_write else "fixed",
    disabled=not context.can_write,
    hide_index=True,
    column_config={
        "likelihood": st.column_config.NumberColumn(min_value=1, max_value=5, step=1),
        "impact": st.column_config.NumberColumn(min_value=1, max_value=5, step=1),
    },
)
run_inputs = register_inputs(inputs, register_key, edited)
left, right = st.columns([3, 2], gap="large")
with left:
    st.plotly_chart(risk_heat_map(edited), key="risk-heat-map")
with right:
    result = run_calculator("risk_assessment", run_inputs, context.firm_id)
    if result is not None:
        show_result(result)
        save_panel(context, "risk_assessment", run_inputs, result, "risk_assessment")
