"""Scenario drivers: how each one changes the firm's input bundle.

A scenario is the saved bundle with some amounts scaled, run through the same
whole-firm calculation as the overview (``calc.position.firm_position``).
Percent drivers scale every money amount of the inputs they touch; the own
funds driver scales every own funds item by the same factor, so the tiers keep
their proportions.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any

from calc.result import to_json_safe
from runtime.config import load_settings
from ui.context import PageContext
from ui.position import (
    PositionSummary,
    bundle_entry,
    compute_position,
    firm_bundle,
    summarize,
    with_entry,
)

logger = logging.getLogger(__name__)

SAVED_SCENARIOS_SHOWN = 20
# Keys whose numbers are amounts of money; ``fx_rate_to_gbp`` is a rate and is
# never scaled.
AMOUNT_KEYS = frozenset({"amount", "notional", "mtm", "amount_gbp"})


def _is_amount_key(key: str) -> bool:
    return key in AMOUNT_KEYS or (key.endswith("_gbp") and "fx_rate" not in key)


def _scale_text_amount(text: str, factor: float) -> str:
    """Scale an amount kept as text, as trade file cells are; other text is kept."""
    try:
        amount = float(text)
    except ValueError:
        return text
    return repr(amount * factor)


def _scale_series_item(item: Any, factor: float) -> Any:
    if isinstance(item, int | float) and not isinstance(item, bool):
        return item * factor
    if isinstance(item, str):
        return _scale_text_amount(item, factor)
    if isinstance(item, list | tuple) and len(item) >= 2:
        return [item[0], _scale_series_item(item[1], factor), *item[2:]]
    if isinstance(item, Mapping):
        return scale_amounts(item, factor, inside_amount=False)
    return item


def scale_amounts(value: Any, factor: float, inside_amount: bool = False) -> Any:
    """Return ``value`` with every money amount in it multiplied by ``factor``.

    A number counts as money when its key ends in ``_gbp`` (except FX rates) or
    is ``amount``, ``notional`` or ``mtm``; inside such a key, series entries
    (month to amount, ``[date, amount, ...]`` pairs, ``{"amount": ...}``
    objects) are scaled too.
    """
    if isinstance(value, Mapping):
        scaled = {}
        for key, item in value.items():
            if _is_amount_key(str(key)):
                scaled[key] = scale_amounts(item, factor, inside_amount=True)
            elif inside_amount:
                scaled[key] = _scale_series_item(item, factor)
            else:
                scaled[key] = scale_amounts(item, factor)
        return scaled
    if isinstance(value, list):
        if inside_amount:
            return [_scale_series_item(item, factor) for item in value]
        return [scale_amounts(item, factor) for item in value]
    if inside_amount and isinstance(value, int | float) and not isinstance(value, bool):
        return value * factor
    if inside_amount and isinstance(value, str):
        return _scale_text_amount(value, factor)
    return value


def _percent(label: str, help_text: str) -> dict[str, Any]:
    return {
        "label": label,
        "widget": "slider",
        "min": -100.0,
        "max": 200.0,
        "step": 1.0,
        "default": lambda _base: 0.0,
        "help": help_text,
    }


# Driver name -> widget settings; ``targets`` are the calculators it scales.
DRIVERS: dict[str, dict[str, Any]] = {
    "aum_growth_percent": {
        **_percent(
            "AUM growth (%)",
            "Scales every month-end AUM value (K-AUM, MIFIDPRU 4.7).",
        ),
        "targets": ("k_aum",),
    },
    "client_money_change_percent": {
        **_percent(
            "Client money held, change (%)",
            "Scales every daily client money balance (K-CMH, MIFIDPRU 4.8).",
        ),
        "targets": ("k_cmh",),
    },
    "order_flow_change_percent": {
        **_percent(
            "Order flow, change (%)",
            "Scales client orders handled and daily trading flow (K-COH and "
            "K-DTF, MIFIDPRU 4.10 and 4.15).",
        ),
        "targets": ("k_coh", "k_dtf"),
    },
    "expenditure_change_percent": {
        **_percent(
            "Expenditure, change (%)",
            "Scales total expenditure and its deductions (fixed overheads "
            "requirement, MIFIDPRU 4.5).",
        ),
        "targets": ("fixed_overheads",),
    },
    "trade_book_multiplier": {
        "label": "Trade book size (multiplier)",
        "widget": "slider",
        "min": 0.0,
        "max": 5.0,
        "step": 0.1,
        "default": lambda _base: 1.0,
        "help": "Multiplies the trade book: K-TCD exposures, K-NPR positions and "
        "K-CMG margin (1.0 keeps the saved book).",
        "targets": ("k_tcd", "k_npr", "k_cmg"),
    },
    "own_funds_gbp": {
        "label": "Own funds (GBP)",
        "widget": "number",
        "step": 10_000.0,
        "default": lambda base: round(float(base.own_funds), 2),
        "help": "Total own funds; every own funds item is scaled by the same factor.",
        "targets": ("own_funds",),
    },
}


def scenario_bundle(
    bundle: Mapping[str, Any], drivers: Mapping[str, float], base_own_funds: float
) -> dict[str, Any]:
    """Return a copy of ``bundle`` with every driver applied."""
    changed = copy.deepcopy(dict(bundle))
    for name, spec in DRIVERS.items():
        if name not in drivers:
            continue
        if name == "own_funds_gbp":
            if base_own_funds and "own_funds" in changed:
                factor = float(drivers[name]) / base_own_funds
                changed["own_funds"] = scale_amounts(changed["own_funds"], factor)
            continue
        if name == "trade_book_multiplier":
            factor = float(drivers[name])
        else:
            factor = 1.0 + float(drivers[name]) / 100.0
        if factor == 1.0:
            continue
        for target in spec["targets"]:
            entry = bundle_entry(changed, target)
            if isinstance(entry, Mapping):
                changed = with_entry(changed, target, scale_amounts(entry, factor))
    return changed


def run_scenario(
    context: PageContext, drivers: Mapping[str, float], base: PositionSummary
) -> PositionSummary | None:
    """Return the summary of the saved position with ``drivers`` applied."""
    bundle = scenario_bundle(firm_bundle(context), drivers, base.own_funds)
    position = compute_position(bundle, context.firm_id)
    if position is None:
        return None
    return summarize(position, load_settings().early_warning_ratio)


def comparison_figures(summary: PositionSummary) -> dict[str, float]:
    """Return the GBP figures compared between scenarios, in display order."""
    figures = {
        "Own funds": summary.own_funds,
        "Own funds requirement": summary.own_funds_requirement,
        "Surplus": summary.surplus,
        **{
            f"{label} component": amount for label, amount in summary.components.items()
        },
        "Basic liquid assets requirement": summary.liquid_requirement,
    }
    if summary.own_funds_threshold is not None:
        figures["Own funds threshold requirement"] = summary.own_funds_threshold
    return figures


def save_scenario(
    context: PageContext,
    name: str,
    drivers: Mapping[str, float],
    summary: PositionSummary,
) -> int:
    """Save the scenario's drivers and compared figures; return its id."""
    scenario_id = context.store.save_scenario(
        context.actor,
        context.firm_id,
        name,
        to_json_safe(dict(drivers)),
        to_json_safe(comparison_figures(summary)),
    )
    logger.info("scenario %s saved for firm %s", scenario_id, context.firm_id)
    return scenario_id


def saved_scenarios(context: PageContext) -> dict[str, int]:
    """Return the newest saved scenarios as display label to scenario id."""
    summaries = context.store.list_scenarios(context.actor, context.firm_id)
    return {
        f"{summary.name} (saved {summary.created_at:%Y-%m-%d %H:%M})": summary.id
        for summary in summaries[:SAVED_SCENARIOS_SHOWN]
    }


def saved_figures(context: PageContext, scenario_id: int) -> dict[str, float]:
    """Return the compared figures stored with a saved scenario."""
    record = context.store.load_scenario(context.actor, context.firm_id, scenario_id)
    return dict(record.results)
