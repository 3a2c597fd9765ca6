"""The result panel: headline figure with its rule, breakdown and explanation."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from calc.result import CalculationResult, to_json_safe
from ui.formatting import figures_table, format_amount, readings_note


def steps_frame(result: CalculationResult) -> pd.DataFrame:
    """Return the working of a result as a table (step, amount, rule, note)."""
    rows = [
        {
            "step": step.label,
            "amount": format_amount(step.amount, step.unit),
            "rule": step.rule,
            "note": step.note,
        }
        for step in result.steps
    ]
    return pd.DataFrame(rows, columns=["step", "amount", "rule", "note"])


def show_headline(result: CalculationResult, label: str | None = None) -> None:
    """Show the headline figure, its rule reference and any reading beside it."""
    st.metric(
        label or result.title,
        format_amount(result.value, result.unit),
        help=f"Rule: {result.rule}",
    )
    st.caption(f"Rule: {result.rule}")
    if result.readings:
        st.info(readings_note(result.readings))
    for warning in result.warnings:
        st.warning(warning)


def show_breakdown(result: CalculationResult) -> None:
    """Show the named figures of a result with their values."""
    rows = figures_table(dict(result.figures))
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def show_explanation(result: CalculationResult, inputs: Any = None) -> None:
    """Draw the "Explain this figure" expander: steps, readings, version, inputs."""
    with st.expander("Explain this figure"):
        st.markdown(f"**{result.title}**, rule {result.rule}")
        st.dataframe(steps_frame(result), hide_index=True, width="stretch")
        for reading in result.readings:
            st.markdown(f"- Our reading of {reading.rule}: {reading.text}")
        st.caption(
            f"Rules version: {result.rules_version}. "
            f"Calculator version: {result.calculator_version}."
        )
        shown_inputs = result.inputs if inputs is None else inputs
        st.code(json.dumps(to_json_safe(shown_inputs), indent=2)[:20000], "json")


def show_result(result: CalculationResult, label: str | None = None) -> None:
    """Show the headline, the breakdown and the explanation of a result."""
    show_headline(result, label)
    show_breakdown(result)
    show_explanation(result)
