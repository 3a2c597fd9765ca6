"""Overview of the selected firm's capital and liquidity position."""

from __future__ import annotations

import streamlit as st

from ui.charts import requirement_chart
from ui.context import page_context
from ui.formatting import format_amount, format_ratio
from ui.history import last_saved_at, save_position_snapshot
from ui.position import load_sample_firm_button, position_summary

context = page_context()

st.title("Overview")
if context.firm_id is None:
    st.info("You have no firm data yet.")
    load_sample_firm_button(context)
    st.stop()

st.caption(f"Firm: {context.firm_name}")
summary = position_summary(context)
if summary is None and context.store.list_datasets(context.actor, context.firm_id):
    # The firm has data but an input is invalid, and the error above names it.
    # Often a file uploaded in this session is the cause, so no sample is offered.
    st.warning(
        "The figures could not be computed from this firm's data. Fix the input "
        "named above, or press 'Stop using the uploaded file' on the K-factors "
        "page to go back to the saved data."
    )
    st.stop()
if summary is None:
    st.info(
        "This firm has no saved datasets yet. Upload data on the calculator "
        "pages, or load the sample firm."
    )
    load_sample_firm_button(context)
    st.stop()

if summary.early_warning:
    st.error(
        "Early warning: own funds are below "
        f"{summary.early_warning_ratio:.0%} of the own funds threshold "
        f"requirement ({format_amount(summary.own_funds_threshold, 'GBP')}). "
        "Our reading: notify the FCA at this point; the rule number of the "
        "notification trigger is not confirmed."
    )

# Two metrics a row, because at four a row a GBP figure with pence is cut to
# "£16,434,1…" in a 1280-pixel-wide window with the sidebar open.
own_funds_row = st.columns(2)
own_funds_row[0].metric(
    "Own funds", format_amount(summary.own_funds, "GBP"), help=summary.own_funds_rule
)
own_funds_row[1].metric(
    "Own funds requirement",
    format_amount(summary.own_funds_requirement, "GBP"),
    help=f"{summary.requirement_rule}; binding component: {summary.binding_label}",
)
surplus_row = st.columns(2)
surplus_row[0].metric("Surplus", format_amount(summary.surplus, "GBP"))
surplus_row[1].metric(
    "Coverage ratio",
    format_ratio(summary.own_funds, summary.own_funds_requirement),
    help="Own funds divided by the own funds requirement.",
)
st.caption(
    f"Binding component: **{summary.binding_label}** ({summary.requirement_rule}). "
    f"Own funds: {summary.own_funds_rule}."
)

liquidity_row = st.columns(2)
liquidity_row[0].metric(
    "Liquid assets",
    format_amount(summary.liquid_assets, "GBP"),
    delta=format_amount(summary.liquid_assets - summary.liquid_requirement, "GBP"),
    delta_description="above the requirement",
    help=f"Against the basic liquid assets requirement, {summary.liquidity_rule}",
)
liquidity_row[1].metric(
    "Basic liquid assets requirement",
    format_amount(summary.liquid_requirement, "GBP"),
    help=summary.liquidity_rule,
)
sni_row = st.columns(2)
sni_row[0].metric(
    "SNI status",
    "SNI" if summary.is_sni else "Non-SNI",
    help="MIFIDPRU 1.2.1R",
)
sni_row[1].metric(
    "Nearest SNI threshold",
    summary.nearest_sni_label,
    help="The condition whose value is closest to its threshold, as a share.",
)
st.caption(f"Last saved calculation: {last_saved_at(context) or 'none yet'}")
for note in summary.readings:
    st.info(note)

st.plotly_chart(
    requirement_chart(
        summary.components,
        summary.own_funds,
        summary.binding_label,
        summary.k_factor_parts,
    ),
    key="overview-requirements",
)

if context.can_write and st.button("Save this position to the history"):
    snapshot_id = save_position_snapshot(context, summary)
    st.success(f"Saved own funds snapshot {snapshot_id} for today.")
