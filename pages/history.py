"""Saved calculations of the firm, own funds trends and report exports."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from calc.registry import CALCULATORS
from runtime.config import load_settings
from ui.charts import history_chart
from ui.context import page_context, require_firm
from ui.exports import csv_download, figure_download
from ui.history import (
    PAGE_ROWS,
    calculations_frame,
    own_funds_history_frame,
    show_saved_calculation,
)
from ui.report_panel import report_downloads
from ui.session import default_value, widget_key

PAGE = "history"
context = page_context()
require_firm(context)

st.title("History and reports")

trend_tab, saved_tab, reports_tab = st.tabs(
    ["Own funds trend", "Saved calculations", "Reports"]
)

with trend_tab:
    history = own_funds_history_frame(context)
    if history.empty:
        st.info("No own funds snapshots saved yet. Save one from the overview.")
    else:
        ratio = load_settings().early_warning_ratio
        figure = history_chart(history, ratio)
        st.plotly_chart(figure, key="history-trend")
        st.caption(
            "Early-warning band: own funds below "
            f"{ratio:.0%} of the own funds threshold requirement (MIFIDPRU 7.5; "
            "the 110% level is our reading, its rule number is not confirmed)."
        )
        figure_download(figure, "own_funds_trend", key="history-trend-download")
        csv_download(history, "own_funds_trend.csv", key="history-trend-csv")

with saved_tab:
    calculator_key = widget_key(PAGE, context.firm_id, "calculator")
    since_key = widget_key(PAGE, context.firm_id, "since")
    page_key = widget_key(PAGE, context.firm_id, "page")
    default_value(since_key, dt.date.today() - dt.timedelta(days=365))
    default_value(page_key, 1)
    left, middle, right = st.columns(3)
    with left:
        calculator = st.selectbox(
            "Calculator",
            options=[None, *sorted(CALCULATORS)],
            format_func=lambda name: "All calculators" if name is None else name,
            key=calculator_key,
            persist_state="session",
        )
    with middle:
        since = st.date_input(
            "Saved on or after", key=since_key, persist_state="session"
        )
    with right:
        page_number = st.number_input(
            f"Page ({PAGE_ROWS} rows each)",
            min_value=1,
            step=1,
            key=page_key,
            persist_state="session",
        )
    frame = calculations_frame(context, calculator, since, int(page_number) - 1)
    st.caption(
        f"Rows {(int(page_number) - 1) * PAGE_ROWS + 1:,} to "
        f"{(int(page_number) - 1) * PAGE_ROWS + len(frame):,}, newest first"
        if len(frame)
        else "No saved calculations match."
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    csv_download(
        lambda: calculations_frame(context, calculator, since, page_rows=None),
        "saved_calculations.csv",
        key="history-saved-csv",
    )
    if not frame.empty:
        selected = st.selectbox(
            "Open a saved calculation",
            options=frame["id"].tolist(),
            key=widget_key(PAGE, context.firm_id, "open"),
            persist_state="session",
        )
        if selected is not None:
            show_saved_calculation(context, int(selected))

with reports_tab:
    report_downloads(context)
