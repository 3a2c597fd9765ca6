"""Basic liquid assets requirement against the firm's core liquid assets."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.context import page_context, require_firm
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("Liquidity")
st.caption(
    "MIFIDPRU 6.2: one third of the fixed overheads requirement plus 1.6% of "
    "client guarantees, held in core liquid assets."
)
calculator_panel(context, "liquidity", "liquidity", firm_inputs(context, "liquidity"))
