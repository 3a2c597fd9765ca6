"""Firm inputs for the calculator pages, and the shapes their charts need.

Uploads, K-factor totals, and the SNI, wind-down and risk register shapes that
the pages and charts need. The firm's saved inputs come from ``ui.position``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from calc.registry import get_calculator
from calc.result import CalculationResult, to_json_safe
from ui.context import PageContext, require_write
from ui.position import (
    UPLOAD_PAGE,
    WIND_DOWN_KIND,
    compute_position,
    firm_bundle,
    firm_inputs,
    keep_session_upload,
    session_upload,
    with_entry,
)
from ui.session import recall, remember, value_key
from ui.uploads import upload_with_preview

logger = logging.getLogger(__name__)

# K-factor tab -> its title and the upload kind that feeds it (``None`` when the
# K-factor has no upload and is entered on the page).
K_FACTOR_UPLOADS: dict[str, dict[str, Any]] = {
    "k_aum": {"title": "K-AUM", "kind": "aum_month_end"},
    "k_cmh": {"title": "K-CMH", "kind": "client_money_daily"},
    "k_asa": {"title": "K-ASA", "kind": "assets_safeguarded_daily"},
    "k_coh": {"title": "K-COH", "kind": "client_orders_daily"},
    "k_dtf": {"title": "K-DTF", "kind": "trading_flow_daily"},
    "k_cmg": {"title": "K-CMG", "kind": "total_margin_daily"},
    "k_npr": {"title": "K-NPR", "kind": None},
}


def dataset_upload(context: PageContext, kind: str, label: str) -> None:
    """Draw an upload of ``kind`` that, once valid, feeds this session's figures.

    A valid file replaces the firm's saved dataset of that kind for this session
    only. Analysts and administrators can then save it as the firm's data.
    """
    key = f"upload:{context.firm_id}:{kind}"
    parsed = upload_with_preview(kind, label, key=key)
    file_key = value_key(UPLOAD_PAGE, context.firm_id, f"{kind}:file")
    if parsed is not None and recall(file_key) != parsed.file_id:
        keep_session_upload(context, kind, parsed.upload.records())
        remember(file_key, parsed.file_id)
    if session_upload(context, kind) is None:
        return
    st.info("This session uses the uploaded file in place of the saved data.")
    # Removing the file from the uploader keeps the upload in use, so this
    # button is the way back to the saved data without logging out.
    if st.button("Stop using the uploaded file", key=f"{key}:discard"):
        keep_session_upload(context, kind, None)
        st.rerun()
    if not context.can_write or parsed is None:
        return
    if st.button("Save the upload as the firm's data", key=f"{key}:save"):
        require_write(context)
        dataset_id = context.store.save_dataset(
            context.actor,
            context.firm_id,
            kind,
            parsed.upload.records(),
            parsed.file_name,
        )
        keep_session_upload(context, kind, None)
        logger.info("dataset %s of kind %s saved", dataset_id, kind)
        st.success(f"Saved as dataset {dataset_id}.")


def k_factor_total(
    context: PageContext, edited: Mapping[str, Mapping[str, Any]]
) -> CalculationResult | None:
    """Return the K-factor requirement of the saved bundle with ``edited`` inputs.

    ``edited`` maps a K-factor name to the inputs on the page; the whole-firm
    run then sums the K-factors (MIFIDPRU 4.6.1R) exactly as the overview does.
    """
    bundle = firm_bundle(context)
    for name, inputs in edited.items():
        bundle = with_entry(bundle, name, inputs)
    position = compute_position(bundle, context.firm_id)
    if position is None:
        return None
    return position.results["k_factor_requirement"]


def sni_conditions(result: CalculationResult) -> list[dict[str, Any]]:
    """Return the SNI threshold conditions of a result for the bullet chart.

    Reads ``figures["conditions"]`` and keeps the conditions with a GBP
    threshold; the yes/no and must-be-zero conditions have no bar to draw.
    """
    rows = []
    for condition in result.figures.get("conditions", []):
        if condition.get("headroom_percent") is None:
            continue
        rows.append(
            {
                "label": condition["description"],
                "value": float(condition["measured"]),
                "threshold": float(condition["threshold"]),
                "unit": "GBP",
                "headroom_percent": float(condition["headroom_percent"]),
                "rule": condition["rule"],
            }
        )
    return rows


def wind_down_frame(result: CalculationResult) -> pd.DataFrame | None:
    """Return the month and total stressed cost of each wind-down month."""
    profile = result.figures.get("monthly_profile")
    if not profile:
        return None
    return pd.DataFrame(
        {
            "month": [entry["month"] for entry in profile],
            "cost_gbp": [entry["total_cost_gbp"] for entry in profile],
        }
    )


def register_inputs(
    inputs: Mapping[str, Any], register_key: str, register: pd.DataFrame
) -> dict[str, Any]:
    """Return the risk assessment inputs with the edited register in place."""
    rows = []
    for row in register.to_dict("records"):
        cleaned = {
            column: (None if isinstance(cell, float) and pd.isna(cell) else cell)
            for column, cell in row.items()
        }
        if any(value not in (None, "") for value in cleaned.values()):
            rows.append(cleaned)
    return {**inputs, register_key: rows}


WIND_DOWN_MONTHS = 6
WIND_DOWN_STRESS = 0.1


def starting_wind_down_plan(context: PageContext) -> dict[str, Any]:
    """Return a first wind-down plan: six months of the firm's fixed overheads.

    The monthly cost is the relevant expenditure of the fixed overheads
    calculation divided by its period in months, stressed by 10%; both are
    editable starting values, not a reading of the rules.
    """
    overheads = firm_inputs(context, "fixed_overheads")
    if not overheads:
        return {}
    result = get_calculator("fixed_overheads")(overheads)
    relevant = float(result.figures.get("relevant_expenditure_gbp", 0.0))
    months = float(overheads.get("period_months", 12)) or 12.0
    return {
        "period_months": WIND_DOWN_MONTHS,
        "costs": [
            {
                "name": "fixed_overheads",
                "monthly_cost_gbp": relevant / months,
                "behaviour": "fixed",
                "stress_uplift": WIND_DOWN_STRESS,
            }
        ],
    }


def save_wind_down_plan(context: PageContext, plan: Mapping[str, Any]) -> int:
    """Save ``plan`` as the firm's wind-down plan; return the dataset id."""
    require_write(context)
    return context.store.save_dataset(
        context.actor,
        context.firm_id,
        WIND_DOWN_KIND,
        [to_json_safe(dict(plan))],
        "wind-down plan entered on the ICARA page",
    )
