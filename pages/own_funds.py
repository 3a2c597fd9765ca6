"""Own funds requirement and the composition of own funds by tier."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.context import page_context, require_firm
from ui.position import firm_inputs

context = page_context()
require_firm(context)

st.title("Own funds")
requirement_tab, composition_tab = st.tabs(
    ["Own funds requirement", "Own funds composition"]
)
with requirement_tab:
    st.caption(
        "MIFIDPRU 4.3: the highest of the permanent minimum requirement, the "
        "fixed overheads requirement and, for a non-SNI firm, the K-factor "
        "requirement."
    )
    calculator_panel(
        context,
        "own_funds_requirement",
        "own_funds_requirement",
        firm_inputs(context, "own_funds_requirement"),
    )
with composition_tab:
    st.caption(
        "MIFIDPRU 3: CET1 at least 56%, CET1 plus AT1 at least 75%, and total "
        "own funds at least 100% of the own funds requirement."
    )
    calculator_panel(
        context,
        "own_funds_composition",
        "own_funds_composition",
        firm_inputs(context, "own_funds_composition"),
    )
