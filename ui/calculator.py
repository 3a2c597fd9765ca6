"""Run a calculator for a page and save its result.

``run_calculator`` shows an input error next to the form and returns ``None``;
``save_panel`` draws the save form for analysts and administrators only and
checks the role again when the button is pressed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st

from calc.errors import CalculationInputError
from calc.registry import get_calculator
from calc.result import CalculationResult, to_json_safe
from storage.errors import AccessDenied, DatabaseUnavailable
from ui.context import PageContext, require_write
from ui.errors import show_input_error
from ui.explain import show_result
from ui.inputs import edit_inputs
from ui.session import memoized

logger = logging.getLogger(__name__)


def run_calculator(
    name: str, inputs: Mapping[str, Any], firm_id: Any = None
) -> CalculationResult | None:
    """Run calculator ``name`` and return its result, or show the input error.

    A result for the same firm and inputs is reused within the session.
    """
    try:
        return memoized(firm_id, name, inputs, lambda: get_calculator(name)(inputs))
    except CalculationInputError as error:
        show_input_error(error)
        return None


def save_panel(
    context: PageContext,
    calculator: str,
    inputs: Mapping[str, Any],
    result: CalculationResult,
    key: str,
    scenario_id: Any = None,
) -> Any:
    """Draw the save form and return the saved calculation id once saved.

    Viewers see no form; the role is checked again before the write.
    """
    if not context.can_write:
        st.caption("Viewers can read results but not save them.")
        return None
    with st.form(key=f"save:{key}:{context.firm_id}"):
        label = st.text_input("Label for this calculation", value=result.title)
        submitted = st.form_submit_button("Save calculation")
    if not submitted:
        return None
    require_write(context)
    try:
        calculation_id = context.store.save_calculation(
            context.actor,
            context.firm_id,
            calculator,
            to_json_safe(dict(inputs)),
            result.to_dict(),
            label,
            scenario_id,
        )
    except AccessDenied as error:
        logger.warning("save of %s refused for firm %s", calculator, context.firm_id)
        st.error(f"Not saved: {error}")
        return None
    except DatabaseUnavailable as error:
        logger.warning("save of %s failed for firm %s", calculator, context.firm_id)
        st.error(f"Not saved: {error}")
        return None
    logger.info("saved %s as calculation %s", calculator, calculation_id)
    st.success(f"Saved as calculation {calculation_id}.")
    return calculation_id


def calculator_panel(
    context: PageContext,
    calculator: str,
    page: str,
    inputs: Mapping[str, Any],
    fixed: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], CalculationResult | None]:
    """Draw the inputs on the left, the result and save on the right.

    ``fixed`` inputs are set elsewhere on the page and are not drawn again.
    Returns the edited inputs and the result, or ``None`` when the inputs are
    invalid (the error naming the field is then on screen).
    """
    if not inputs:
        st.info(
            "The firm has no saved inputs for this calculation yet. Upload its "
            "data or load the sample firm."
        )
        return {}, None
    fixed = dict(fixed or {})
    shown = {name: value for name, value in inputs.items() if name not in fixed}
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader("Inputs")
        edited = {**edit_inputs(shown, page, context.firm_id), **fixed}
    with right:
        st.subheader("Result")
        result = run_calculator(calculator, edited, context.firm_id)
        if result is not None:
            show_result(result)
            save_panel(context, calculator, edited, result, key=page)
    return edited, result
