"""Tables of saved calculations and own funds snapshots for the history page."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pandas as pd
import streamlit as st

from calc.money import round_gbp
from ui.context import PageContext, require_write
from ui.formatting import format_amount

logger = logging.getLogger(__name__)

PAGE_ROWS = 200
CALCULATION_COLUMNS = [
    "id",
    "saved at (UTC)",
    "calculator",
    "label",
    "headline",
    "headline (GBP, to the penny)",
    "saved by",
    "rules version",
    "scenario id",
]
TREND_COLUMNS = [
    "own_funds_gbp",
    "own_funds_requirement_gbp",
    "own_funds_threshold_requirement_gbp",
]


def calculations_frame(
    context: PageContext,
    calculator: str | None,
    since: dt.date | None,
    page: int = 0,
    page_rows: int | None = PAGE_ROWS,
) -> pd.DataFrame:
    """Return one page of the firm's saved calculations, newest first.

    ``page`` counts from 0; ``page_rows=None`` returns every matching row (for
    the CSV export). Paging keeps the page fast with many saved calculations,
    because the store decrypts the headline of every row it returns.
    """
    since_time = (
        dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC) if since else None
    )
    summaries = context.store.list_calculations(
        context.actor,
        context.firm_id,
        calculator=calculator,
        since=since_time,
        limit=page_rows,
        offset=page * page_rows if page_rows else 0,
    )
    rows = [
        {
            "id": summary.id,
            "saved at (UTC)": summary.created_at.strftime("%Y-%m-%d %H:%M"),
            "calculator": summary.calculator,
            "label": summary.label or "",
            "headline": format_amount(
                summary.headline_value, summary.headline_unit or "text"
            ),
            "headline (GBP, to the penny)": (
                str(round_gbp(summary.headline_value))
                if summary.headline_unit == "GBP" and summary.headline_value is not None
                else ""
            ),
            "saved by": summary.created_by,
            "rules version": summary.rules_version,
            "scenario id": summary.scenario_id,
        }
        for summary in summaries
    ]
    return pd.DataFrame(rows, columns=CALCULATION_COLUMNS)


def own_funds_history_frame(context: PageContext) -> pd.DataFrame:
    """Return the firm's own funds snapshots as ``date`` plus the trend columns.

    Snapshots without own funds or the requirement are left out; the threshold
    requirement is empty where the firm had no ICARA figures.
    """
    snapshots = context.store.own_funds_history(context.actor, context.firm_id)
    rows = []
    for snapshot in snapshots:
        figures = snapshot.figures
        if not all(column in figures for column in TREND_COLUMNS):
            continue
        rows.append({"date": snapshot.as_of, **{c: figures[c] for c in TREND_COLUMNS}})
    frame = pd.DataFrame(rows, columns=["date", *TREND_COLUMNS])
    return frame.sort_values("date").reset_index(drop=True)


def last_saved_at(context: PageContext) -> str | None:
    """Return when the firm's newest calculation was saved, or ``None``."""
    newest = context.store.list_calculations(context.actor, context.firm_id, limit=1)
    if not newest:
        return None
    return newest[0].created_at.strftime("%Y-%m-%d %H:%M UTC")


def show_saved_calculation(context: PageContext, calculation_id: int) -> None:
    """Show one saved calculation's headline, steps and inputs."""
    record = context.store.load_calculation(
        context.actor, context.firm_id, calculation_id
    )
    result = record.result
    st.markdown(
        f"**{result.get('title', record.calculator)}**: "
        f"{format_amount(result.get('value'), result.get('unit', 'GBP'))} "
        f"({result.get('rule', '')})"
    )
    for reading in result.get("readings", []):
        st.info(f"Our reading of {reading['rule']}: {reading['text']}")
    steps = pd.DataFrame(result.get("steps", []))
    if not steps.empty:
        st.dataframe(steps, hide_index=True, width="stretch")
    st.caption(
        f"Rules version: {record.rules_version}. Saved by {record.created_by} "
        f"at {record.created_at:%Y-%m-%d %H:%M} UTC."
    )
    with st.expander("Inputs"):
        st.json(record.inputs)


def save_position_snapshot(context: PageContext, summary: Any) -> int:
    """Save today's own funds, requirement and threshold as a history snapshot."""
    require_write(context)
    figures = {
        "own_funds_gbp": summary.own_funds,
        "own_funds_requirement_gbp": summary.own_funds_requirement,
    }
    if summary.own_funds_threshold is not None:
        figures["own_funds_threshold_requirement_gbp"] = summary.own_funds_threshold
    return context.store.save_own_funds_snapshot(
        context.actor, context.firm_id, dt.date.today(), figures
    )
