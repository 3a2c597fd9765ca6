"""The firm's input bundle, its whole-firm position and the overview summary.

A firm's data is a set of datasets, one per upload kind (``ingest.kinds``), plus
the SA-CCR trade rows. The bundle of ``calc.position.firm_position`` is built
from the newest dataset of each kind by ``ingest.sample_firm.sample_firm_inputs``.
Uploads accepted in this session but not yet saved replace their kind's dataset
for this session only.

The bundle and the position are kept in this session's state under the firm id
and the newest dataset id, so they are recomputed when any dataset is saved, and
a session never sees another firm's figures.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from calc.errors import CalculationInputError
from calc.position import DEALING_PERMISSIONS, FirmPosition, firm_position
from ingest.kinds import SCHEMAS
from ingest.sample_firm import (
    SAMPLE_CALCULATION_DATE,
    SAMPLE_FIRM_NAME,
    SAMPLE_PROFILE,
    TRADES_KIND,
    sample_firm_inputs,
)
from runtime.config import load_settings
from storage.errors import AccessDenied
from ui.context import PENDING_FIRM_KEY, PageContext
from ui.errors import show_input_error
from ui.session import memoized, recall, remember, value_key

logger = logging.getLogger(__name__)

PROFILE_KIND = "firm_profile"
WIND_DOWN_KIND = "wind_down_plan"
UPLOAD_PAGE = "upload"
COMPONENT_LABELS = {
    "permanent_minimum_requirement": "PMR",
    "fixed_overheads_requirement": "FOR",
    "k_factor_requirement": "KFR",
}
# Where each calculator's inputs sit in the bundle.
BUNDLE_PATHS: dict[str, tuple[str, ...]] = {
    "fixed_overheads": ("fixed_overheads",),
    "sni": ("sni",),
    "wind_down": ("wind_down",),
    "risk_assessment": ("risk_assessment",),
    **{
        name: ("k_factors", name)
        for name in (
            "k_aum",
            "k_cmh",
            "k_asa",
            "k_coh",
            "k_dtf",
            "k_npr",
            "k_cmg",
            "k_tcd",
            "k_con",
        )
    },
}
# Calculators whose inputs the position derives from other results.
DERIVED_INPUTS = ("pmr", "own_funds_requirement", "own_funds_composition")
DERIVED_INPUTS += ("liquidity", "icara", "sni")


@dataclass(frozen=True)
class PositionSummary:
    """The overview's headline figures, in GBP, with their rule references."""

    own_funds: float
    own_funds_requirement: float
    binding_label: str
    components: dict[str, float]
    k_factor_parts: dict[str, float]
    surplus: float
    is_sni: bool
    nearest_sni_label: str
    liquid_assets: float
    liquid_requirement: float
    own_funds_threshold: float | None
    early_warning: bool
    early_warning_ratio: float
    requirement_rule: str
    own_funds_rule: str
    liquidity_rule: str
    readings: list[str] = field(default_factory=list)


def _data_version(context: PageContext) -> str:
    """Return a key that changes whenever the firm's data or session uploads do."""
    summaries = context.store.list_datasets(context.actor, context.firm_id)
    newest = max((summary.id for summary in summaries), default=0)
    uploads = recall(value_key(UPLOAD_PAGE, context.firm_id, "version"), 0)
    return f"{newest}:{uploads}"


def session_upload(context: PageContext, kind: str) -> list[dict[str, Any]] | None:
    """Return this session's unsaved upload of ``kind`` for the firm, if any."""
    return recall(value_key(UPLOAD_PAGE, context.firm_id, kind))


def keep_session_upload(
    context: PageContext, kind: str, records: list[dict[str, Any]] | None
) -> None:
    """Use ``records`` in place of the firm's ``kind`` dataset for this session.

    ``None`` removes the session upload, e.g. once it has been saved.
    """
    remember(value_key(UPLOAD_PAGE, context.firm_id, kind), records)
    version_key = value_key(UPLOAD_PAGE, context.firm_id, "version")
    remember(version_key, recall(version_key, 0) + 1)


def _latest_records(context: PageContext, kind: str) -> list[dict[str, Any]] | None:
    uploaded = session_upload(context, kind)
    if uploaded is not None:
        return uploaded
    dataset = context.store.load_latest_dataset(context.actor, context.firm_id, kind)
    return None if dataset is None else list(dataset.records)


def _profile(context: PageContext) -> tuple[dict[str, Any] | None, dt.date]:
    """Return the firm profile and its calculation date.

    The profile (permissions, SNI status, counterparty types) is the newest
    ``firm_profile`` dataset; the sample firm falls back to its built-in one.
    """
    records = _latest_records(context, PROFILE_KIND)
    if records:
        profile = dict(records[0])
        when = profile.get("calculation_date")
        today = dt.date.today()
        date = dt.date.fromisoformat(when) if when else today.replace(day=1)
        return profile, date
    if context.firm_name == SAMPLE_FIRM_NAME:
        return dict(SAMPLE_PROFILE), SAMPLE_CALCULATION_DATE
    return None, dt.date.today().replace(day=1)


def calculation_date(context: PageContext) -> dt.date:
    """Return the date the firm's figures are calculated for."""
    return _profile(context)[1]


def _build_bundle(context: PageContext) -> dict[str, Any]:
    profile, calculation_date = _profile(context)
    if profile is None:
        return {}
    datasets = {}
    for kind in SCHEMAS:
        records = _latest_records(context, kind)
        if records is not None:
            datasets[kind] = records
    if not datasets:
        return {}
    trades = _latest_records(context, TRADES_KIND)
    bundle = sample_firm_inputs(datasets, calculation_date, profile, trades)
    plan = _latest_records(context, WIND_DOWN_KIND)
    if plan:
        bundle["wind_down"] = dict(plan[0])
    return bundle


def firm_bundle(context: PageContext) -> dict[str, Any]:
    """Return a copy of the firm's input bundle (empty when it has no data)."""
    key = value_key("bundle", context.firm_id, "current")
    version = _data_version(context)
    kept = recall(key)
    if kept is None or kept[0] != version:
        kept = (version, _build_bundle(context))
        remember(key, kept)
    return copy.deepcopy(kept[1])


def base_position(context: PageContext) -> FirmPosition | None:
    """Return the position of the firm's data, or ``None`` without data.

    An invalid bundle shows the input error naming the field and returns
    ``None``.
    """
    key = value_key("position", context.firm_id, "current")
    version = _data_version(context)
    kept = recall(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    bundle = firm_bundle(context)
    if not bundle:
        return None
    position = compute_position(bundle, context.firm_id)
    if position is not None:
        remember(key, (version, position))
    return position


def compute_position(
    bundle: Mapping[str, Any], firm_id: Any = None
) -> FirmPosition | None:
    """Run the whole-firm calculation, showing an input error instead of raising.

    A position for the same firm and bundle is reused within the session.
    """
    try:
        return memoized(firm_id, "position", bundle, lambda: firm_position(bundle))
    except CalculationInputError as error:
        show_input_error(error)
        return None


def bundle_entry(bundle: Mapping[str, Any], calculator: str) -> Any:
    """Return the bundle's entry for ``calculator``, or ``None`` when absent."""
    entry: Any = bundle
    for part in BUNDLE_PATHS.get(calculator, (calculator,)):
        if not isinstance(entry, Mapping) or part not in entry:
            return None
        entry = entry[part]
    return entry


def with_entry(
    bundle: Mapping[str, Any], calculator: str, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """Return a copy of ``bundle`` with ``calculator``'s inputs replaced."""
    changed = copy.deepcopy(dict(bundle))
    path = BUNDLE_PATHS.get(calculator, (calculator,))
    target = changed
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = dict(inputs)
    return changed


def _icara_inputs(position: FirmPosition) -> dict[str, Any]:
    icara = position.results.get("icara")
    return {} if icara is None else dict(icara.inputs)


def _own_funds_requirement_inputs(position: FirmPosition) -> dict[str, Any]:
    results = position.results
    return {
        "is_sni": position.is_sni,
        "pmr_gbp": results["pmr"].value,
        "fixed_overheads_requirement_gbp": results["fixed_overheads"].value,
        "k_factor_requirement_gbp": results["k_factor_requirement"].value,
    }


def _result_figure(position: FirmPosition, calculator: str, name: str) -> float:
    """Return one numeric figure of one calculator's result, or 0.0 without it."""
    result = position.results.get(calculator)
    value = None if result is None else result.figures.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value)


def _sni_inputs(bundle: Mapping[str, Any], position: FirmPosition) -> dict[str, Any]:
    """Prefill the SNI test from the K-factor averages of the position.

    NOTE: the K-factor averaging windows stand in for the SNI measurement
    windows (MIFIDPRU 1.2.1R and 1.2.8R); the page says so next to the figure.
    The balance sheet total and revenue have no upload and start empty.
    K-COH and K-DTF both name their averages ``average_cash_gbp`` and
    ``average_derivatives_gbp``, so each figure is read from its own result.
    """
    permissions = set(bundle.get("permissions") or [])
    return {
        "average_aum_gbp": _result_figure(position, "k_aum", "average_aum_gbp"),
        "average_coh_cash_per_day_gbp": _result_figure(
            position, "k_coh", "average_cash_gbp"
        ),
        "average_coh_derivatives_per_day_gbp": _result_figure(
            position, "k_coh", "average_derivatives_gbp"
        ),
        "average_asa_gbp": _result_figure(position, "k_asa", "average_asa_gbp"),
        "average_cmh_gbp": _result_figure(position, "k_cmh", "average_segregated_gbp")
        + _result_figure(position, "k_cmh", "average_non_segregated_gbp"),
        "average_dtf_gbp": _result_figure(position, "k_dtf", "average_cash_gbp")
        + _result_figure(position, "k_dtf", "average_derivatives_gbp"),
        "deals_on_own_account_or_underwrites": bool(permissions & DEALING_PERMISSIONS),
        "balance_sheet_total_gbp": None,
        "gross_revenue_investment_services_gbp_by_year": {},
        "clearing_member_or_indirect_clearing": False,
        "depositary": False,
    }


def _derived_inputs(
    bundle: Mapping[str, Any], position: FirmPosition, calculator: str
) -> dict[str, Any]:
    results = position.results
    if calculator == "pmr":
        return {"permissions": list(bundle.get("permissions") or [])}
    if calculator == "own_funds_requirement":
        return _own_funds_requirement_inputs(position)
    if calculator == "own_funds_composition":
        if "own_funds" not in bundle:
            return {}
        return {
            **bundle["own_funds"],
            "own_funds_requirement_gbp": position.own_funds_requirement_gbp,
        }
    if calculator == "liquidity":
        permissions = set(bundle.get("permissions") or [])
        return {
            "is_sni": position.is_sni,
            "deals_on_own_account_or_underwrites": bool(
                permissions & DEALING_PERMISSIONS
            ),
            **bundle.get("liquidity", {}),
            "fixed_overheads_requirement_gbp": results["fixed_overheads"].value,
        }
    if calculator == "icara":
        return _icara_inputs(position)
    if calculator == "sni":
        return _sni_inputs(bundle, position)
    return {}


def firm_inputs(context: PageContext, calculator: str) -> dict[str, Any]:
    """Return the inputs the firm's data gives ``calculator``.

    Inputs that the whole-firm run derives from other results (the own funds
    requirement, composition, liquidity, ICARA) are built from the position;
    the others are the calculator's entry in the bundle. Empty when the firm
    has no such inputs.
    """
    bundle = firm_bundle(context)
    entry = bundle_entry(bundle, calculator)
    own_entry = calculator == "sni" and isinstance(entry, Mapping)
    if calculator not in DERIVED_INPUTS or own_entry:
        return copy.deepcopy(dict(entry)) if isinstance(entry, Mapping) else {}
    position = base_position(context)
    if position is None:
        return {}
    return copy.deepcopy(_derived_inputs(bundle, position, calculator))


def _nearest_sni(position: FirmPosition) -> str:
    sni = position.results.get("sni")
    if sni is None:
        return "not assessed: no SNI inputs saved"
    measured = [
        condition
        for condition in sni.figures.get("conditions", [])
        if condition.get("headroom_percent") is not None
    ]
    if not measured:
        return "none measured"
    nearest = min(measured, key=lambda condition: condition["headroom_percent"])
    return f"{nearest['description']}: {nearest['headroom_percent']:.1f}% headroom"


def summarize(position: FirmPosition, early_warning_ratio: float) -> PositionSummary:
    """Build the overview summary from a whole-firm position."""
    results = position.results
    components = {
        "PMR": results["pmr"].value,
        "FOR": results["fixed_overheads"].value,
    }
    if not position.is_sni:
        components["KFR"] = results["k_factor_requirement"].value
    k_factor_parts = {
        name.upper().replace("_", "-"): result.value
        for name, result in results.items()
        if name.startswith("k_") and name != "k_factor_requirement" and result.value
    }
    liquidity = results["liquidity"]
    own_funds = position.own_funds_gbp or 0.0
    readings = [
        f"Our reading of {reading.rule}: {reading.text}"
        for name in ("own_funds_requirement", "liquidity", "icara")
        if name in results
        for reading in results[name].readings
    ]
    return PositionSummary(
        own_funds=own_funds,
        own_funds_requirement=position.own_funds_requirement_gbp,
        binding_label=COMPONENT_LABELS.get(
            position.binding_component, position.binding_component
        ),
        components=components,
        k_factor_parts=k_factor_parts,
        surplus=own_funds - position.own_funds_requirement_gbp,
        is_sni=position.is_sni,
        nearest_sni_label=_nearest_sni(position),
        liquid_assets=liquidity.figures.get("core_liquid_assets_gbp", 0.0),
        liquid_requirement=liquidity.value,
        own_funds_threshold=position.own_funds_threshold_requirement_gbp,
        early_warning=position.early_warning_state in {"warning", "breach"},
        early_warning_ratio=early_warning_ratio,
        requirement_rule=results["own_funds_requirement"].rule,
        own_funds_rule=results["own_funds_composition"].rule
        if "own_funds_composition" in results
        else "MIFIDPRU 3",
        liquidity_rule=liquidity.rule,
        readings=readings,
    )


def position_summary(context: PageContext) -> PositionSummary | None:
    """Return the overview summary of the firm's saved position, or ``None``."""
    position = base_position(context)
    if position is None:
        return None
    return summarize(position, load_settings().early_warning_ratio)


def load_sample_firm_button(context: PageContext) -> None:
    """Offer a one-click load of the sample firm to analysts and administrators."""
    if not context.can_write:
        st.caption("Ask an analyst or administrator to load the firm's data.")
        return
    if not st.button("Load the sample firm", type="primary", key="load-sample-firm"):
        return
    from ingest.sample_firm import load_sample_firm

    with st.spinner("Loading the sample firm"):
        try:
            firm_id = load_sample_firm(context.store, context.actor)
        except AccessDenied:
            logger.info("sample firm load refused for %s", context.actor.username)
            st.error(
                "Only an administrator can create the sample firm. Ask one to "
                f"create {SAMPLE_FIRM_NAME!r} or to give you access to it."
            )
            return
    logger.info("sample firm loaded as firm %s by %s", firm_id, context.actor.username)
    st.session_state[PENDING_FIRM_KEY] = firm_id
    st.rerun()
