"""Report downloads for the history page: capital report, workbook, returns."""

from __future__ import annotations

from typing import Any

import streamlit as st

from reports import (
    capital_chart,
    capital_report_csv,
    capital_report_frame,
    capital_workbook,
    mif001_rows,
    mif002_rows,
    rows_frame,
)
from ui.context import PageContext
from ui.exports import csv_download, figure_download
from ui.position import base_position, calculation_date
from ui.session import recall, remember, value_key

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_downloads(context: PageContext) -> None:
    """Show the capital report and offer it as CSV, Excel and return layouts."""
    position = base_position(context)
    if position is None:
        st.info("This firm has no data to report yet.")
        return
    when = calculation_date(context)
    stem = f"capital_report_{context.firm_id}_{when.isoformat()}"

    st.subheader("Capital report")
    st.caption(
        "GBP amounts rounded to the penny at export, halves away from zero. "
        "Each row names the rule it follows."
    )
    tables = _report_tables(context, position, when)
    st.dataframe(tables["capital"], hide_index=True, width="stretch")

    def build_csv() -> bytes:
        return capital_report_csv(position, context.firm_name, when)

    st.download_button(
        "Download the capital report (CSV)",
        data=build_csv,
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="report:capital-csv",
        on_click="ignore",
    )

    def build_workbook() -> bytes:
        return capital_workbook(position, context.firm_name, when)

    st.download_button(
        "Download the capital workbook (Excel)",
        data=build_workbook,
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="report:workbook",
        on_click="ignore",
    )

    for name in ("MIF001", "MIF002"):
        with st.expander(f"{name} layout"):
            table = tables[name]
            st.dataframe(table.astype(str), hide_index=True, width="stretch")
            csv_download(table, f"{name}_{when.isoformat()}.csv", key=f"report:{name}")

    figure = tables["chart"]
    st.plotly_chart(figure, key="report-capital-chart")
    figure_download(figure, f"capital_chart_{when.isoformat()}", key="report:chart")


def _report_tables(context: PageContext, position: Any, when: Any) -> dict[str, Any]:
    """Return the report tables and chart, built once per position and session."""
    key = value_key("report", context.firm_id, "current")
    kept = recall(key)
    if kept is not None and kept[0] is position:
        return kept[1]
    tables = {
        "capital": capital_report_frame(position, context.firm_name, when).astype(str),
        "MIF001": rows_frame(mif001_rows(position)),
        "MIF002": rows_frame(mif002_rows(position)),
        "chart": capital_chart(position),
    }
    remember(key, (position, tables))
    return tables
