"""The whole-firm capital and liquidity position from one bundle of inputs.

``firm_position`` runs every calculator in order, feeding each one the figures
it needs from the ones before it:

1. permanent minimum requirement, fixed overheads requirement, each K-factor
   and the K-factor requirement (their sum, MIFIDPRU 4.6);
2. SNI status (MIFIDPRU 1.2.1R), then the own funds requirement (4.3);
3. own funds composition (3.2A), basic liquid assets (6.2);
4. risk assessment (7.4), wind-down (7.6.4G) and the ICARA thresholds (7.6, 7.7).

The overview page and the scenario explorer call it; a scenario is the same
bundle with some inputs changed. See docs/calculators-position.md for the bundle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    UnknownChoiceError,
)
from calc.k_factors.total import calculate_from_results
from calc.own_funds import (
    own_funds_requirement,
    prefix_field,
    read_amount,
    read_flag,
    read_mapping,
)
from calc.registry import get_calculator
from calc.result import CalculationResult, Reading, Step, to_json_safe

K_FACTORS = (
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
DEALING_PERMISSIONS = frozenset(
    {"deal_on_own_account", "underwriting_or_placing_firm_commitment"}
)


@dataclass(frozen=True)
class FirmPosition:
    """Every result of one whole-firm run and the headline figures taken from them.

    Amounts are GBP, unrounded. A figure is ``None`` when the bundle lacks the
    inputs for the calculator it comes from.
    """

    results: Mapping[str, CalculationResult]
    is_sni: bool
    own_funds_requirement_gbp: float
    binding_component: str
    k_factor_requirement_gbp: float
    own_funds_gbp: float | None = None
    surplus_gbp: float | None = None
    coverage_ratio: float | None = None
    composition_tests_passed: bool | None = None
    basic_liquid_assets_requirement_gbp: float | None = None
    liquidity_surplus_gbp: float | None = None
    own_funds_threshold_requirement_gbp: float | None = None
    liquid_assets_threshold_requirement_gbp: float | None = None
    early_warning_state: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dictionary, each result in full."""
        data = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name != "results"
        }
        data["results"] = {
            name: result.to_dict() for name, result in self.results.items()
        }
        return to_json_safe(data)


def _run(name: str, inputs: Mapping[str, Any], prefix: str) -> CalculationResult:
    try:
        return get_calculator(name)(inputs)
    except CalculationInputError as error:
        raise prefix_field(error, prefix) from error


def _given_figure(name: str, title: str, amount: float, rule: str) -> CalculationResult:
    """Wrap a figure entered directly (not computed here) as a result."""
    return CalculationResult(
        calculator=name,
        title=title,
        value=amount,
        rule=rule,
        inputs={f"{name}_gbp": amount},
        figures={f"{name}_gbp": amount},
        steps=(Step(f"{title} entered as a figure", amount, "GBP", rule),),
        warnings=(f"{title} was entered as a figure, not calculated from its inputs.",),
    )


def _component(
    bundle: Mapping[str, Any],
    key: str,
    calculator: str,
    title: str,
    rule: str,
    prefix: str = "",
) -> CalculationResult:
    """Run a calculator on ``bundle[key]``, or wrap it when it is a number."""
    path = f"{prefix}.{key}" if prefix else key
    entry = bundle.get(key)
    if isinstance(entry, Mapping):
        return _run(calculator, entry, path)
    try:
        amount = read_amount(bundle, key)
    except CalculationInputError as error:
        raise prefix_field(error, prefix) if prefix else error from error
    return _given_figure(calculator, title, amount, rule)


def _k_factor_total(
    results: Mapping[str, CalculationResult], is_sni: bool
) -> CalculationResult:
    """Sum the K-factors with the shared KFR calculator (MIFIDPRU 4.6)."""
    total = calculate_from_results(results.values())
    if not (is_sni and total.value > 0):
        return total
    return dataclasses.replace(
        total,
        warnings=(
            *total.warnings,
            "An SNI firm's K-factor requirement does not count in its own funds "
            "requirement (MIFIDPRU 4.3.3R).",
        ),
    )


def _k_con_with_own_funds(
    bundle: Mapping[str, Any], k_inputs: Mapping[str, Any]
) -> Mapping[str, Any]:
    """Give K-CON the firm's own funds from the bundle when its inputs lack them.

    Own funds by tier do not depend on the own funds requirement, so they can be
    computed before it although K-CON is part of that requirement.
    """
    k_con = k_inputs.get("k_con")
    if not isinstance(k_con, Mapping) or "own_funds_gbp" in k_con:
        return k_inputs
    if "own_funds" not in bundle:
        return k_inputs
    tiers_only = {**read_mapping(bundle, "own_funds"), "own_funds_requirement_gbp": 0}
    own_funds = _run("own_funds_composition", tiers_only, "own_funds")
    return {**k_inputs, "k_con": {**k_con, "own_funds_gbp": own_funds.value}}


def _sni_status(
    bundle: Mapping[str, Any], results: dict[str, CalculationResult]
) -> bool:
    entry = bundle.get("sni")
    if isinstance(entry, Mapping):
        if "is_sni" in bundle:
            raise InconsistentInputError(
                "is_sni",
                bundle["is_sni"],
                "is given together with the sni inputs",
                "Enter either the SNI inputs or is_sni, not both.",
            )
        result = _run("sni", entry, "sni")
        results["sni"] = result
        if "is_sni" in result.figures:
            return bool(result.figures["is_sni"])
        return bool(result.value)
    return read_flag(bundle, "is_sni", False)


def firm_position(bundle: Mapping[str, Any]) -> FirmPosition:
    """Run every calculator on ``bundle`` and return the firm's position.

    Raises
    ------
    CalculationInputError
        Naming the field by its path in the bundle, e.g.
        ``"k_factors.k_aum.month_end_aum_gbp.2026-03"``.
    """
    results: dict[str, CalculationResult] = {}
    readings: list[Reading] = []

    if "permissions" in bundle and "pmr" not in bundle:
        results["pmr"] = _run(
            "pmr", {"permissions": bundle["permissions"]}, "permissions"
        )
    else:
        results["pmr"] = _component(
            bundle, "pmr", "pmr", "Permanent minimum requirement", "MIFIDPRU 4.4"
        )
    results["fixed_overheads"] = _component(
        bundle,
        "fixed_overheads",
        "fixed_overheads",
        "Fixed overheads requirement",
        "MIFIDPRU 4.5",
    )

    k_inputs = read_mapping(bundle, "k_factors")
    unknown = sorted(set(k_inputs) - set(K_FACTORS))
    if unknown:
        raise UnknownChoiceError(
            f"k_factors.{unknown[0]}",
            unknown[0],
            "is not a K-factor",
            f"Use one of: {', '.join(K_FACTORS)}.",
        )
    k_inputs = _k_con_with_own_funds(bundle, k_inputs)
    k_results: dict[str, CalculationResult] = {}
    for name in K_FACTORS:
        if name in k_inputs:
            title = f"{name.upper().replace('_', '-')} requirement"
            k_results[name] = _component(
                k_inputs, name, name, title, "MIFIDPRU 4.6", "k_factors"
            )
    results.update(k_results)

    is_sni = _sni_status(bundle, results)
    results["k_factor_requirement"] = _k_factor_total(k_results, is_sni)
    ofr = own_funds_requirement(
        results["pmr"].value,
        results["fixed_overheads"].value,
        results["k_factor_requirement"].value,
        is_sni,
    )
    results["own_funds_requirement"] = ofr
    requirement = ofr.value
    position: dict[str, Any] = {
        "is_sni": is_sni,
        "own_funds_requirement_gbp": requirement,
        "binding_component": ofr.figures["binding"],
        "k_factor_requirement_gbp": results["k_factor_requirement"].value,
    }

    if "own_funds" in bundle:
        composition_inputs = {
            **read_mapping(bundle, "own_funds"),
            "own_funds_requirement_gbp": requirement,
        }
        composition = _run("own_funds_composition", composition_inputs, "own_funds")
        results["own_funds_composition"] = composition
        position.update(
            own_funds_gbp=composition.figures["own_funds_gbp"],
            surplus_gbp=composition.figures["surplus_gbp"],
            coverage_ratio=composition.figures["coverage_ratio"],
            composition_tests_passed=composition.figures["all_tests_passed"],
        )

    permissions = set(bundle.get("permissions") or [])
    liquidity_given = read_mapping(bundle, "liquidity")
    for field_name, derived in (
        ("is_sni", is_sni),
        ("fixed_overheads_requirement_gbp", results["fixed_overheads"].value),
    ):
        if field_name in liquidity_given and liquidity_given[field_name] != derived:
            raise InconsistentInputError(
                f"liquidity.{field_name}",
                liquidity_given[field_name],
                f"differs from the value the position computes ({derived!r})",
                "Leave this field out of the liquidity inputs.",
            )
    liquidity_inputs = {
        "deals_on_own_account_or_underwrites": bool(permissions & DEALING_PERMISSIONS),
        **liquidity_given,
        "is_sni": is_sni,
        "fixed_overheads_requirement_gbp": results["fixed_overheads"].value,
    }
    liquidity = _run("liquidity", liquidity_inputs, "liquidity")
    if "liquidity" not in bundle:
        liquidity = dataclasses.replace(
            liquidity,
            warnings=(
                "No core liquid assets were entered, so only the basic liquid "
                "assets requirement is shown.",
            ),
        )
    results["liquidity"] = liquidity
    position.update(
        basic_liquid_assets_requirement_gbp=liquidity.value,
        liquidity_surplus_gbp=liquidity.figures["surplus_gbp"]
        if "liquidity" in bundle
        else None,
    )

    if "risk_assessment" in bundle:
        results["risk_assessment"] = _run(
            "risk_assessment",
            read_mapping(bundle, "risk_assessment"),
            "risk_assessment",
        )
    if "wind_down" in bundle:
        results["wind_down"] = _run(
            "wind_down", read_mapping(bundle, "wind_down"), "wind_down"
        )
    if "icara" in bundle or "wind_down" in bundle:
        icara = _run(
            "icara", _icara_inputs(bundle, results, position, readings), "icara"
        )
        if readings:
            icara = dataclasses.replace(icara, readings=(*icara.readings, *readings))
        results["icara"] = icara
        position.update(
            own_funds_threshold_requirement_gbp=icara.value,
            liquid_assets_threshold_requirement_gbp=icara.figures.get(
                "liquid_assets_threshold_requirement_gbp"
            ),
            early_warning_state=icara.figures.get("own_funds_state"),
        )

    warnings = tuple(
        warning for result in results.values() for warning in result.warnings
    )
    return FirmPosition(results=results, warnings=warnings, **position)


def _binding_components(
    results: Mapping[str, CalculationResult], binding: str
) -> dict[str, float]:
    """Return the parts of the binding requirement that harms may be attributed to.

    A K-factor requirement is split into its K-factors; a PMR or FOR is one part.
    """
    if binding == "k_factor_requirement":
        return {name: results[name].value for name in K_FACTORS if name in results}
    calculator = (
        "pmr" if binding == "permanent_minimum_requirement" else "fixed_overheads"
    )
    return {binding: results[calculator].value}


def _icara_inputs(
    bundle: Mapping[str, Any],
    results: Mapping[str, CalculationResult],
    position: Mapping[str, Any],
    readings: list[Reading],
) -> dict[str, Any]:
    """Build the ICARA inputs, filling gaps from the results already computed."""
    inputs = dict(read_mapping(bundle, "icara"))
    requirement = position["own_funds_requirement_gbp"]
    given = inputs.get("own_funds_requirement_gbp", requirement)
    if given != requirement:
        raise InconsistentInputError(
            "icara.own_funds_requirement_gbp",
            given,
            f"differs from the own funds requirement computed ({requirement!r})",
            "Leave this field out of the ICARA inputs.",
        )
    inputs["own_funds_requirement_gbp"] = requirement
    if "harms" in inputs:
        inputs.setdefault(
            "own_funds_requirement_components_gbp",
            _binding_components(results, position["binding_component"]),
        )
    inputs.setdefault(
        "basic_liquid_assets_requirement_gbp",
        position["basic_liquid_assets_requirement_gbp"],
    )

    if position.get("own_funds_gbp") is not None:
        inputs.setdefault("own_funds_gbp", position["own_funds_gbp"])

    if "liquidity" in bundle and "liquid_assets_gbp" not in inputs:
        readings.append(
            Reading(
                "MIFIDPRU 7.7.3G",
                "Liquid assets held are taken as the core liquid assets counted for "
                "the basic liquid assets requirement. Enter icara.liquid_assets_gbp "
                "to include non-core liquid assets.",
            )
        )
        inputs.setdefault(
            "liquid_assets_gbp", results["liquidity"].figures["core_liquid_assets_gbp"]
        )

    wind_down = results.get("wind_down")
    if wind_down is not None:
        if "own_funds_for_orderly_wind_down_gbp" not in inputs:
            inputs["own_funds_for_orderly_wind_down_gbp"] = wind_down.value
        if "liquid_assets_to_start_wind_down_gbp" not in inputs:
            inputs["liquid_assets_to_start_wind_down_gbp"] = wind_down.figures[
                "liquid_assets_for_wind_down_gbp"
            ]
            readings.append(
                Reading(
                    "MIFIDPRU 7.7.3G(2)(b)",
                    "The liquid assets needed to start the wind-down are taken as the "
                    "peak cumulative net cash outflow of the wind-down plan.",
                )
            )

    risk = results.get("risk_assessment")
    if (
        risk is not None
        and "harms" not in inputs
        and "own_funds_for_ongoing_harms_gbp" not in inputs
    ):
        inputs["own_funds_for_ongoing_harms_gbp"] = risk.value
        readings.append(
            Reading(
                "MIFIDPRU 7.6.3R",
                "The aggregated harm capital of the risk register is added to the own "
                "funds requirement in full: register harm capital is entered as own "
                "funds needed beyond what the requirement covers.",
            )
        )

    return inputs
