"""K-factors with time-series uploads, and the total K-factor requirement."""

from __future__ import annotations

import streamlit as st

from ui.calculator import calculator_panel
from ui.context import page_context, require_firm
from ui.data import K_FACTOR_UPLOADS, dataset_upload, k_factor_total
from ui.explain import show_result
from ui.position import firm_inputs
from ui.session import default_value, widget_key

context = page_context()
require_firm(context)

st.title("K-factors")
st.caption(
    "MIFIDPRU 4.6 to 4.15: each K-factor is a coefficient times an average of "
    "the firm's activity. An uploaded series replaces the saved one once its "
    "preview shows no errors."
)

# One K-factor is drawn at a time because each has long daily series, and
# drawing all of them at every rerun made the page several times slower.
choice_key = widget_key("k_factors", context.firm_id, "factor")
default_value(choice_key, "k_aum")
name = st.radio(
    "K-factor",
    options=list(K_FACTOR_UPLOADS),
    format_func=lambda factor: K_FACTOR_UPLOADS[factor]["title"],
    horizontal=True,
    key=choice_key,
    persist_state="session",
)
upload = K_FACTOR_UPLOADS[name]
edited_inputs = {}
if upload["kind"]:
    with st.expander(f"Upload the {upload['title']} series"):
        dataset_upload(
            context, upload["kind"], f"{upload['title']} file (CSV or Excel)"
        )
inputs = firm_inputs(context, name)
if inputs:
    edited, result = calculator_panel(context, name, f"k_factors:{name}", inputs)
    if result is not None:
        edited_inputs[name] = edited
else:
    hint = " Upload it above." if upload["kind"] else ""
    st.info(f"The firm has no {upload['title']} inputs saved.{hint}")

st.divider()
st.subheader("Total K-factor requirement")
st.caption(
    f"The sum of every K-factor: {upload['title']} as edited above, the others "
    "as saved for the firm."
)
total = k_factor_total(context, edited_inputs)
if total is not None:
    show_result(total)
