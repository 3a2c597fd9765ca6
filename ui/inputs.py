"""Input forms built from a calculator's input mapping.

Each field gets the widget that fits its JSON shape: a checkbox for a flag, a
number input for an amount, a table editor for a series or a list of records.
Number inputs accept negative values on purpose: the calculator rejects them
with a message naming the field, which the page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui.formatting import figure_label
from ui.session import default_value, widget_key


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_dated_series(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, list | tuple) and len(item) == 2 for item in value)
    )


def _is_record_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _is_amount_mapping(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(_is_number(item) for item in value.values())
    )


def _clean_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


# Fixed widths for key-to-amount tables, because a table sized to its content
# let a long key such as "shared_commissions_contingent_on_receipt" hide the
# amount column.
AMOUNT_TABLE_COLUMNS = {
    "key": st.column_config.TextColumn("item", width=150),
    "amount": st.column_config.NumberColumn("amount", width=120, format="%.2f"),
}


def _edit_frame(
    frame: pd.DataFrame, key: str, column_config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    return st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        column_config=column_config,
    )


def edit_field(name: str, value: Any, page: str, firm_id: Any, path: str) -> Any:
    """Draw the widget for one input field and return the edited value."""
    label = figure_label(name)
    key = widget_key(page, firm_id, path)
    if isinstance(value, bool):
        default_value(key, value)

        return st.checkbox(label, key=key, persist_state="session")
    if isinstance(value, int) and not isinstance(value, bool):
        default_value(key, value)
        return st.number_input(label, step=1, key=key, persist_state="session")
    if isinstance(value, float):
        default_value(key, value)
        return st.number_input(
            label, step=1000.0, format="%.2f", key=key, persist_state="session"
        )
    if value is None and name.endswith("_gbp"):
        default_value(key, None)
        return st.number_input(
            f"{label} (GBP, required)",
            value=None,
            step=1000.0,
            format="%.2f",
            key=key,
            persist_state="session",
        )
    if isinstance(value, str) or value is None:
        default_value(key, "" if value is None else value)
        text = st.text_input(label, key=key, persist_state="session")
        return text if text or value is not None else None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        default_value(key, ", ".join(value))
        text = st.text_input(
            f"{label} (separate with commas)", key=key, persist_state="session"
        )
        return [part.strip() for part in text.split(",") if part.strip()]

    editor_key = f"editor:{page}:{firm_id}:{path}"
    if _is_amount_mapping(value):
        st.markdown(f"**{label}**")
        frame = pd.DataFrame({"key": list(value), "amount": list(value.values())})
        edited = _edit_frame(frame, editor_key, AMOUNT_TABLE_COLUMNS)
        return {
            str(row["key"]): _clean_cell(row["amount"])
            for _, row in edited.iterrows()
            if _clean_cell(row["key"]) is not None
        }
    if _is_dated_series(value):
        st.markdown(f"**{label}**")
        frame = pd.DataFrame(value, columns=["date", "amount"])
        edited = _edit_frame(frame, editor_key)
        return [
            [str(row["date"]), _clean_cell(row["amount"])]
            for _, row in edited.iterrows()
            if _clean_cell(row["date"]) is not None
        ]
    if _is_record_list(value):
        st.markdown(f"**{label}**")
        edited = _edit_frame(pd.DataFrame(value), editor_key)
        # A record drops the cells that are empty in the table, so an optional
        # field missing from some records stays missing instead of becoming null.
        records = []
        for row in edited.to_dict("records"):
            record = {column: _clean_cell(cell) for column, cell in row.items()}
            records.append({k: v for k, v in record.items() if v is not None})
        return records
    if isinstance(value, Mapping):
        with st.expander(label):
            return edit_inputs(value, page, firm_id, prefix=f"{path}.")
    st.caption(f"{label}: kept as loaded ({type(value).__name__}).")
    return value


def edit_inputs(
    inputs: Mapping[str, Any], page: str, firm_id: Any, prefix: str = ""
) -> dict[str, Any]:
    """Draw a form for every field of ``inputs`` and return the edited mapping."""
    return {
        name: edit_field(name, value, page, firm_id, f"{prefix}{name}")
        for name, value in inputs.items()
    }
