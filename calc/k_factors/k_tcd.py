"""K-TCD requirement, MIFIDPRU 4.14.

K-TCD is the sum over counterparties of the TCD own funds requirement
1.2 × EV × RF × CVA (MIFIDPRU 4.14.1R). The formula and factors are those of EU
IFR Art 26 and 32, because the UK formula is an image that did not come through.
RF is 1.6% for central governments, central banks, public sector entities,
credit institutions and investment firms and 8% for every other counterparty.
CVA is 1.5, or 1.0 for the exempt cases.

Two routes give the exposure value EV, and the firm chooses one:

* ``"mifidpru"`` (default): EV = max(0, RC + PFE - C) with RC, PFE and C
  calculated under MIFIDPRU 4.14.8R onwards and entered per counterparty. No
  SA-CCR alpha applies.
* ``"saccr"``: EV = the SA-CCR exposure at default 1.4 × (RC + PFE) of the
  counterparty's netting sets, computed from a trade file by ``calc.saccr``.
  The MIFIDPRU text permitting this route was not found; see the NOTE at
  ``_saccr_exposure_values`` and ``docs/k-tcd-routes.md``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    NegativeAmountError,
    NotFiniteError,
    UnknownChoiceError,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    K_TCD_ALPHA,
    K_TCD_CVA_FACTOR,
    K_TCD_CVA_FACTOR_EXEMPT,
    K_TCD_RISK_FACTOR_GOVERNMENT,
    K_TCD_RISK_FACTOR_INSTITUTION,
    K_TCD_RISK_FACTOR_OTHER,
    SACCR_ALPHA,
)
from calc.time_series import to_finite_float

RULE = "MIFIDPRU 4.14.1R"
EXPOSURE_VALUE_RULE = "MIFIDPRU 4.14.8R"
SACCR_ROUTE_RULE = "UK CRR Art 274-280e (SA-CCR) within MIFIDPRU 4.14"


class Route(StrEnum):
    """Method for the exposure value EV."""

    MIFIDPRU = "mifidpru"
    SACCR = "saccr"


class CounterpartyType(StrEnum):
    """Counterparty types of the K-TCD risk factor table."""

    CENTRAL_GOVERNMENT = "central_government"
    CENTRAL_BANK = "central_bank"
    PUBLIC_SECTOR_ENTITY = "public_sector_entity"
    CREDIT_INSTITUTION = "credit_institution"
    INVESTMENT_FIRM = "investment_firm"
    OTHER = "other"


RISK_FACTORS: dict[CounterpartyType, float] = {
    CounterpartyType.CENTRAL_GOVERNMENT: K_TCD_RISK_FACTOR_GOVERNMENT.value,
    CounterpartyType.CENTRAL_BANK: K_TCD_RISK_FACTOR_GOVERNMENT.value,
    CounterpartyType.PUBLIC_SECTOR_ENTITY: K_TCD_RISK_FACTOR_GOVERNMENT.value,
    CounterpartyType.CREDIT_INSTITUTION: K_TCD_RISK_FACTOR_INSTITUTION.value,
    CounterpartyType.INVESTMENT_FIRM: K_TCD_RISK_FACTOR_INSTITUTION.value,
    CounterpartyType.OTHER: K_TCD_RISK_FACTOR_OTHER.value,
}

READINGS_COMMON = (
    Reading(
        RULE,
        "TCD own funds requirement = 1.2 x EV x RF x CVA with RF 1.6% or 8% and "
        "CVA 1.5 or 1.0, as in EU IFR Art 26 and 32; the UK formula and tables "
        "were not legible in the Handbook copy read.",
    ),
)
READING_MIFIDPRU_ROUTE = Reading(
    EXPOSURE_VALUE_RULE,
    "EV = max(0, RC + PFE - C) per counterparty with the firm's RC, PFE and C "
    "under MIFIDPRU 4.14.8R onwards; no SA-CCR alpha and no SA-CCR multiplier.",
)
READING_SACCR_ROUTE = Reading(
    SACCR_ROUTE_RULE,
    "Not confirmed: no MIFIDPRU provision allowing UK CRR SA-CCR for K-TCD was "
    "found in the Handbook text read. This route takes EV = SA-CCR EAD "
    "(1.4 x (RC + PFE), summed over the counterparty's netting sets) and keeps "
    "the MIFIDPRU factors 1.2 x RF x CVA, the most prudent of the readings "
    "considered. The EU IFR Art 25(4) shape, EAD x RF, is shown for comparison.",
)


@dataclass(frozen=True)
class CounterpartyExposure:
    """One counterparty's K-TCD inputs and result, in GBP."""

    counterparty_id: str
    counterparty_type: CounterpartyType
    cva_applies: bool
    exposure_value_gbp: float
    replacement_cost_gbp: float
    potential_future_exposure_gbp: float
    collateral_gbp: float

    @property
    def risk_factor(self) -> float:
        """RF for the counterparty type (ratio)."""
        return RISK_FACTORS[self.counterparty_type]

    @property
    def cva_factor(self) -> float:
        """CVA factor: 1.5, or 1.0 for an exempt counterparty or transaction."""
        return (
            K_TCD_CVA_FACTOR.value
            if self.cva_applies
            else K_TCD_CVA_FACTOR_EXEMPT.value
        )

    @property
    def k_tcd_gbp(self) -> float:
        """TCD own funds requirement 1.2 × EV × RF × CVA in GBP."""
        return (
            K_TCD_ALPHA.value
            * self.exposure_value_gbp
            * self.risk_factor
            * self.cva_factor
        )


def calculate_k_tcd(
    counterparties: Sequence[CounterpartyExposure], route: Route
) -> CalculationResult:
    """Sum the TCD own funds requirements of the counterparties (MIFIDPRU 4.14.1R)."""
    total = math.fsum(item.k_tcd_gbp for item in counterparties)
    per_counterparty = [
        {
            "counterparty_id": item.counterparty_id,
            "counterparty_type": item.counterparty_type.value,
            "replacement_cost_gbp": item.replacement_cost_gbp,
            "potential_future_exposure_gbp": item.potential_future_exposure_gbp,
            "collateral_gbp": item.collateral_gbp,
            "exposure_value_gbp": item.exposure_value_gbp,
            "risk_factor": item.risk_factor,
            "cva_factor": item.cva_factor,
            "k_tcd_gbp": item.k_tcd_gbp,
        }
        for item in counterparties
    ]
    exposure_total = math.fsum(item.exposure_value_gbp for item in counterparties)
    figures: dict[str, Any] = {
        "route": route.value,
        "exposure_value_gbp": exposure_total,
        "k_tcd_gbp": total,
        "counterparties": per_counterparty,
    }
    ev_rule = EXPOSURE_VALUE_RULE if route is Route.MIFIDPRU else SACCR_ROUTE_RULE
    steps = [
        Step(
            "Exposure value, summed over counterparties", exposure_total, "GBP", ev_rule
        ),
        Step("Alpha", K_TCD_ALPHA.value, "ratio", K_TCD_ALPHA.rule),
        Step(
            "K-TCD = sum of 1.2 x EV x RF x CVA over counterparties",
            total,
            "GBP",
            RULE,
        ),
    ]
    readings = list(READINGS_COMMON)
    warnings: list[str] = []
    if route is Route.MIFIDPRU:
        readings.append(READING_MIFIDPRU_ROUTE)
    else:
        readings.append(READING_SACCR_ROUTE)
        steps.insert(
            1,
            Step(
                "SA-CCR alpha inside each exposure value (EAD = 1.4 x (RC + PFE))",
                SACCR_ALPHA.value,
                "ratio",
                SACCR_ALPHA.rule,
            ),
        )
        alternative = math.fsum(
            item.exposure_value_gbp * item.risk_factor for item in counterparties
        )
        figures["k_tcd_ifr_article_25_4_shape_gbp"] = alternative
        steps.append(
            Step(
                "For comparison only: EAD x RF (EU IFR Art 25(4) shape), not used",
                alternative,
                "GBP",
                "EU IFR Art 25(4)",
            )
        )
        warnings.append(
            "The SA-CCR route for K-TCD is not confirmed in the MIFIDPRU text; "
            "confirm it is permitted before reporting this figure."
        )
    return CalculationResult(
        calculator="k_tcd",
        title="K-TCD requirement",
        value=total,
        rule=RULE,
        inputs={},
        figures=figures,
        steps=tuple(steps),
        readings=tuple(readings),
        warnings=tuple(warnings),
    )


def exposure_value(
    replacement_cost_gbp: float,
    potential_future_exposure_gbp: float,
    collateral_gbp: float,
) -> float:
    """Return EV = max(0, RC + PFE - C) in GBP (MIFIDPRU 4.14.8R)."""
    return max(
        0.0, replacement_cost_gbp + potential_future_exposure_gbp - collateral_gbp
    )


# --- Input parsing ----------------------------------------------------------------


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Validate ``inputs`` and return the K-TCD result.

    MIFIDPRU route: either one counterparty given at the top level
    (``replacement_cost_gbp``, ``potential_future_exposure_gbp``,
    ``collateral_gbp``, ``counterparty_type``, ``cva_applies``) or a list
    ``counterparties`` of such mappings, each with a ``counterparty_id``.

    SA-CCR route (``route: "saccr"``): ``trades_file`` or ``trades`` as for
    ``calc.saccr.engine.run``, and ``counterparties``, a list of mappings with
    ``counterparty_id``, ``counterparty_type`` and ``cva_applies`` for every
    ``counterparty_id`` in the trades.
    """
    route = _parse_route(inputs.get("route", Route.MIFIDPRU.value))
    if route is Route.MIFIDPRU:
        counterparties = _mifidpru_counterparties(inputs)
    else:
        counterparties = _saccr_exposure_values(inputs)
    result = calculate_k_tcd(counterparties, route)
    recorded_inputs = {key: value for key, value in inputs.items() if key != "trades"}
    return dataclasses.replace(result, inputs=recorded_inputs)


def _parse_route(value: Any) -> Route:
    try:
        return Route(str(value).lower())
    except ValueError as error:
        raise UnknownChoiceError(
            "route",
            value,
            "is not a K-TCD exposure value route",
            "Use 'mifidpru' (MIFIDPRU 4.14.8R) or 'saccr' (UK CRR SA-CCR).",
        ) from error


def _mifidpru_counterparties(inputs: Mapping[str, Any]) -> list[CounterpartyExposure]:
    if "counterparties" in inputs:
        entries = _entry_list(inputs["counterparties"])
        prefix = "counterparties"
    else:
        entries = [{"counterparty_id": "counterparty", **inputs}]
        prefix = ""
    result = []
    for position, entry in enumerate(entries):
        field = f"{prefix}[{position}]." if prefix else ""
        rc = _amount(entry, "replacement_cost_gbp", field)
        pfe = _amount(entry, "potential_future_exposure_gbp", field)
        collateral = _amount(entry, "collateral_gbp", field, default=0.0)
        result.append(
            CounterpartyExposure(
                counterparty_id=str(entry.get("counterparty_id", f"#{position + 1}")),
                counterparty_type=_counterparty_type(entry, field),
                cva_applies=_flag(entry, "cva_applies", field),
                exposure_value_gbp=exposure_value(rc, pfe, collateral),
                replacement_cost_gbp=rc,
                potential_future_exposure_gbp=pfe,
                collateral_gbp=collateral,
            )
        )
    _check_unique_ids(result)
    return result


def _saccr_exposure_values(inputs: Mapping[str, Any]) -> list[CounterpartyExposure]:
    """Return each counterparty's SA-CCR EAD as its exposure value.

    NOTE: MIFIDPRU 4.14.4R-4.14.7R, where a UK election of the UK CRR methods
    would sit, were not in the Handbook copy read. This route is a reading, so
    every result on it carries a warning.
    """
    from calc.saccr.engine import calculate_exposure, load_trade_table

    exposure = calculate_exposure(load_trade_table(inputs))
    sets = exposure.netting_sets
    by_counterparty = sets.groupby("counterparty_id", sort=True)[
        [
            "replacement_cost",
            "potential_future_exposure",
            "collateral",
            "exposure_at_default",
        ]
    ].sum()
    entries = {
        str(entry.get("counterparty_id", "")): (position, entry)
        for position, entry in enumerate(_entry_list(inputs.get("counterparties", [])))
    }
    result = []
    for counterparty_id, row in by_counterparty.iterrows():
        if counterparty_id not in entries:
            raise InconsistentInputError(
                "counterparties",
                counterparty_id,
                "has trades but no counterparty_type or cva_applies entry",
                "Add this counterparty_id to 'counterparties' with its type and "
                "whether the CVA factor applies.",
            )
        position, entry = entries[counterparty_id]
        field = f"counterparties[{position}]."
        result.append(
            CounterpartyExposure(
                counterparty_id=str(counterparty_id),
                counterparty_type=_counterparty_type(entry, field),
                cva_applies=_flag(entry, "cva_applies", field),
                exposure_value_gbp=float(row["exposure_at_default"]),
                replacement_cost_gbp=float(row["replacement_cost"]),
                potential_future_exposure_gbp=float(row["potential_future_exposure"]),
                collateral_gbp=float(row["collateral"]),
            )
        )
    return result


def _entry_list(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(item, Mapping) for item in value
    ):
        raise CalculationInputError(
            "counterparties",
            value,
            "must be a list of objects",
            "Give one object per counterparty with its id, type and amounts.",
        )
    return value


def _amount(
    entry: Mapping[str, Any], name: str, prefix: str, default: float | None = None
) -> float:
    field = f"{prefix}{name}"
    if name not in entry or entry[name] in (None, ""):
        if default is not None:
            return default
        raise NotFiniteError(field, None, "is missing", "Enter the amount in GBP.")
    value = entry[name]
    if isinstance(value, bool):
        raise NotFiniteError(
            field, value, "is not a number", "Enter the amount in GBP."
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    except (TypeError, ValueError) as error:
        raise NotFiniteError(
            field, value, "is not a number", "Enter the amount in GBP."
        ) from error
    if not math.isfinite(number):
        raise NotFiniteError(field, value, "is not finite", "Enter a finite amount.")
    to_finite_float(field, number)
    if number < 0:
        raise NegativeAmountError(
            field,
            value,
            "must not be negative",
            "Enter RC, PFE and collateral as zero or more; RC is floored at zero "
            "under MIFIDPRU 4.14.8R before it is entered.",
        )
    return number


def _counterparty_type(entry: Mapping[str, Any], prefix: str) -> CounterpartyType:
    value = entry.get("counterparty_type")
    try:
        return CounterpartyType(str(value).lower())
    except ValueError as error:
        raise UnknownChoiceError(
            f"{prefix}counterparty_type",
            value,
            "is not a K-TCD counterparty type",
            f"Use one of: {', '.join(kind.value for kind in CounterpartyType)}.",
        ) from error


def _flag(entry: Mapping[str, Any], name: str, prefix: str) -> bool:
    value = entry.get(name, True)
    if isinstance(value, bool):
        return value
    raise UnknownChoiceError(
        f"{prefix}{name}",
        value,
        "must be true or false",
        "Set cva_applies to false only for the exempt cases: non-financial "
        "counterparties below the clearing thresholds, intragroup transactions, "
        "long settlement transactions, SFTs and loans.",
    )


def _check_unique_ids(counterparties: Sequence[CounterpartyExposure]) -> None:
    seen: set[str] = set()
    for item in counterparties:
        if item.counterparty_id in seen:
            raise InconsistentInputError(
                "counterparties",
                item.counterparty_id,
                "appears more than once",
                "Give each counterparty once, with its amounts summed.",
            )
        seen.add(item.counterparty_id)
