"""Fixed overheads requirement: a quarter of the relevant annual expenditure."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.context import page_context, require_firm
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("Fixed overheads requirement")
st.caption(
    "MIFIDPRU 4.5: one quarter of the fixed overheads of the preceding year, "
    "from audited annual accounts where available."
)
calculator_panel(
    context,
    "fixed_overheads",
    "fixed_overheads",
    firm_inputs(context, "fixed_overheads"),
)
