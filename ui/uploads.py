"""File upload with a preview and row-level errors before anything is used.

The parsing and the checks live in ``ingest.schemas``; this module draws the
uploader, the template download, the preview and the problem table, and returns
the parsed frame only when the file has no errors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from calc import saccr
from ingest.tables import read_table
from ingest.upload import ParsedUpload, parse_upload, template_csv

logger = logging.getLogger(__name__)

UPLOAD_TYPES = ["csv", "xlsx"]
PREVIEW_ROWS = 20


def issues_frame(issues: list[Any]) -> pd.DataFrame:
    """Return upload problems as a table with row, column, value, problem and fix."""
    rows = [
        {
            "row": issue.row,
            "column": issue.column,
            "value": issue.value,
            "problem": issue.message,
            "fix": issue.fix,
        }
        for issue in issues
    ]
    return pd.DataFrame(rows, columns=["row", "column", "value", "problem", "fix"])


@dataclass(frozen=True)
class AcceptedUpload:
    """A file that parsed without errors: its parse, name and upload id."""

    upload: ParsedUpload
    file_name: str
    file_id: str


def upload_with_preview(kind: str, label: str, key: str) -> AcceptedUpload | None:
    """Draw an uploader for ``kind`` and return the upload once it is valid.

    Shows the template download, the file's first rows, warnings, and a table
    of row-level errors; returns ``None`` while there is no valid file.
    """
    st.download_button(
        f"Download the {label} template (CSV)",
        data=template_csv(kind),
        file_name=f"{kind}_template.csv",
        mime="text/csv",
        key=f"{key}:template",
        on_click="ignore",
    )
    uploaded = st.file_uploader(label, type=UPLOAD_TYPES, key=f"{key}:file")
    if uploaded is None:
        return None
    with st.spinner(f"Reading {uploaded.name}"):
        parsed = parse_upload(kind, uploaded.getvalue(), uploaded.name)
    for note in parsed.notes:
        st.caption(note)
    for warning in parsed.warnings:
        st.warning(str(warning))
    if parsed.issues:
        logger.info(
            "upload of kind %s rejected with %d problems", kind, len(parsed.issues)
        )
        st.error(
            f"{uploaded.name} has {len(parsed.issues)} problem(s). "
            "Nothing from this file is used until they are fixed."
        )
        st.dataframe(issues_frame(list(parsed.issues)), hide_index=True)
    st.caption("Preview of the first rows as read from the file")
    st.dataframe(parsed.preview, hide_index=True)
    if not parsed.ok:
        return None
    st.success(f"{uploaded.name}: {len(parsed.frame):,} row(s) accepted.")
    return AcceptedUpload(parsed, uploaded.name, uploaded.file_id)


def trade_issues_frame(issues: list[Any]) -> pd.DataFrame:
    """Return trade file problems as a table with row, column, value and fix."""
    rows = [
        {
            "row": issue.row,
            "column": issue.column,
            "value": issue.value,
            "fix": f"Enter {issue.expected}.",
        }
        for issue in issues
    ]
    return pd.DataFrame(rows, columns=["row", "column", "value", "fix"])


def upload_trades(key: str) -> list[dict[str, Any]] | None:
    """Draw the trade file uploader and return the trade rows once all are valid.

    A file with any invalid cell imports nothing: its problems are listed with
    their spreadsheet row and column, and ``None`` is returned. The rows are
    returned as text keyed by column, the form the K-TCD calculator reads.
    """
    st.download_button(
        "Download the trade file template (CSV)",
        data=saccr.template_csv().encode("utf-8-sig"),
        file_name="trades_template.csv",
        mime="text/csv",
        key=f"{key}:template",
        on_click="ignore",
    )
    uploaded = st.file_uploader(
        "Trade file (CSV or Excel)", type=UPLOAD_TYPES, key=f"{key}:file"
    )
    if uploaded is None:
        return None
    with st.spinner(f"Reading and checking {uploaded.name}"):
        try:
            records = read_trade_records(uploaded.name, uploaded.getvalue())
            table = saccr.trade_table_from_records(records)
        except saccr.TradeFileError as error:
            logger.info("trade upload rejected with %d problems", len(error.issues))
            st.error(
                f"{uploaded.name} has {len(error.issues)} problem(s). No trade "
                "from this file is used until they are fixed."
            )
            st.dataframe(trade_issues_frame(list(error.issues)), hide_index=True)
            return None
    st.success(f"{uploaded.name}: {len(table.trades):,} trade(s) accepted.")
    st.dataframe(pd.DataFrame(records).head(PREVIEW_ROWS), hide_index=True)
    return records


def read_trade_records(file_name: str, data: bytes) -> list[dict[str, Any]]:
    """Read an uploaded trade file into rows of non-empty text cells.

    Raises ``TradeFileError`` when the file cannot be read as a table.
    """
    table = read_table(data, file_name)
    if not table.ok:
        raise saccr.TradeFileError(
            [
                saccr.TradeIssue(issue.row, issue.column, issue.value, issue.fix)
                for issue in table.issues
            ]
        )
    return [
        {
            column: str(cell)
            for column, cell in zip(table.columns, row.cells, strict=True)
            if cell not in ("", None)
        }
        for row in table.rows
    ]
