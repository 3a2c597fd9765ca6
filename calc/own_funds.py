"""Own funds requirement, MIFIDPRU 4.3.

A non-SNI firm's own funds requirement is the highest of its permanent minimum
requirement, fixed overheads requirement and K-factor requirement (4.3.2R). An SNI
firm's is the higher of the first two (4.3.3R): its K-factor requirement is shown
but never binds.

The module also contains the input readers shared by the MIFIDPRU 3 to 7
calculators of this package, so they all reject bad input with the same typed
errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from calc.errors import (
    CalculationInputError,
    NotFiniteError,
    UnknownChoiceError,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import OWN_FUNDS_REQUIREMENT_TIE_ORDER
from calc.time_series import to_finite_float

COMPONENT_TITLES = {
    "permanent_minimum_requirement": "Permanent minimum requirement",
    "fixed_overheads_requirement": "Fixed overheads requirement",
    "k_factor_requirement": "K-factor requirement",
}


# Input readers ---------------------------------------------------------------


def read_number(
    inputs: Mapping[str, Any],
    field: str,
    default: Any = None,
    allow_negative: bool = True,
) -> float:
    """Read a finite number; raise ``NotFiniteError`` naming ``field`` otherwise.

    ``default`` is returned when the field is absent; without a default the field
    is required. A negative number raises ``NegativeAmountError`` unless
    ``allow_negative`` is true.
    """
    if field not in inputs or inputs[field] is None:
        if default is not None:
            return float(default)
        raise NotFiniteError(field, None, "is missing", f"Enter {field} as a number.")
    value = inputs[field]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotFiniteError(
            field, value, "is not a number", f"Enter {field} as a number."
        )
    return to_finite_float(field, value, allow_negative)


def read_amount(inputs: Mapping[str, Any], field: str, default: Any = None) -> float:
    """Read a GBP amount that must be finite and zero or more."""
    return read_number(inputs, field, default, allow_negative=False)


def read_ratio(
    inputs: Mapping[str, Any],
    field: str,
    default: Any = None,
    minimum: float = 0.0,
    maximum: float | None = None,
) -> float:
    """Read a ratio (0.5 for 50%) between ``minimum`` and ``maximum`` inclusive."""
    ratio = read_number(inputs, field, default)
    if ratio < minimum or (maximum is not None and ratio > maximum):
        upper = "no upper bound" if maximum is None else f"at most {maximum}"
        raise CalculationInputError(
            field,
            inputs.get(field),
            f"is outside the allowed range (at least {minimum}, {upper})",
            "Enter the ratio as a decimal, e.g. 0.5 for 50%.",
        )
    return ratio


def read_count(
    inputs: Mapping[str, Any], field: str, default: Any = None, minimum: int = 0
) -> int:
    """Read a whole number of at least ``minimum`` (months, business days, scores)."""
    if field not in inputs or inputs[field] is None:
        if default is not None:
            return int(default)
        raise NotFiniteError(
            field, None, "is missing", f"Enter {field} as a whole number."
        )
    value = inputs[field]
    is_whole = isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )
    if isinstance(value, bool) or not is_whole:
        raise NotFiniteError(
            field, value, "is not a whole number", f"Enter {field} as a whole number."
        )
    to_finite_float(field, value)
    if int(value) < minimum:
        raise CalculationInputError(
            field,
            value,
            f"must be at least {minimum}",
            f"Enter a whole number of {minimum} or more.",
        )
    return int(value)


def read_flag(
    inputs: Mapping[str, Any], field: str, default: bool | None = None
) -> bool:
    """Read a true/false input; JSON ``true``/``false`` only."""
    if field not in inputs or inputs[field] is None:
        if default is not None:
            return default
        raise CalculationInputError(
            field, None, "is missing", f"Set {field} to true or false."
        )
    value = inputs[field]
    if not isinstance(value, bool):
        raise CalculationInputError(
            field, value, "is not true or false", f"Set {field} to true or false."
        )
    return value


def read_choice(
    inputs: Mapping[str, Any],
    field: str,
    choices: tuple[str, ...] | list[str],
    default: str | None = None,
) -> str:
    """Read one value of a closed set; raise ``UnknownChoiceError`` otherwise."""
    value = inputs.get(field, default)
    if value is None or value not in choices:
        raise UnknownChoiceError(
            field,
            value,
            "is not an allowed value",
            f"Use one of: {', '.join(choices)}.",
        )
    return value


def read_mapping(
    inputs: Mapping[str, Any], field: str, required: bool = False
) -> Mapping[str, Any]:
    """Read a nested JSON object; an absent optional field reads as empty."""
    value = inputs.get(field)
    if value is None:
        if required:
            raise CalculationInputError(
                field, None, "is missing", f"Enter {field} as a JSON object."
            )
        return {}
    if not isinstance(value, Mapping):
        raise CalculationInputError(
            field, value, "is not a JSON object", f"Enter {field} as a JSON object."
        )
    return value


def read_list(
    inputs: Mapping[str, Any], field: str, required: bool = False
) -> list[Any]:
    """Read a JSON array; an absent optional field reads as empty."""
    value = inputs.get(field)
    if value is None:
        if required:
            raise CalculationInputError(
                field, None, "is missing", f"Enter {field} as a JSON array."
            )
        return []
    if not isinstance(value, list | tuple):
        raise CalculationInputError(
            field, value, "is not a JSON array", f"Enter {field} as a JSON array."
        )
    return list(value)


def read_amounts_by_name(
    inputs: Mapping[str, Any], field: str, allowed: tuple[str, ...]
) -> dict[str, float]:
    """Read a ``{name: GBP amount}`` object whose names come from ``allowed``."""
    amounts = read_mapping(inputs, field)
    result: dict[str, float] = {}
    for name in amounts:
        if name not in allowed:
            raise UnknownChoiceError(
                f"{field}.{name}",
                name,
                "is not a recognised item",
                f"Use one of: {', '.join(allowed)}.",
            )
        try:
            result[name] = read_amount(amounts, name)
        except CalculationInputError as error:
            raise prefix_field(error, field) from error
    return result


def prefix_field(error: CalculationInputError, prefix: str) -> CalculationInputError:
    """Return a copy of ``error`` whose field path starts with ``prefix``."""
    return type(error)(f"{prefix}.{error.field}", error.value, error.problem, error.fix)


# Own funds requirement -------------------------------------------------------


def own_funds_requirement(
    permanent_minimum_requirement_gbp: float,
    fixed_overheads_requirement_gbp: float,
    k_factor_requirement_gbp: float,
    is_sni: bool,
) -> CalculationResult:
    """Compute the own funds requirement and name its binding component.

    Parameters
    ----------
    permanent_minimum_requirement_gbp, fixed_overheads_requirement_gbp, \
k_factor_requirement_gbp : float
        The three components in GBP, each zero or more.
    is_sni : bool
        Whether the firm is an SNI MIFIDPRU investment firm (MIFIDPRU 1.2.1R).

    Returns
    -------
    CalculationResult
        ``value`` is the requirement in GBP: max(PMR, FOR, KFR) under 4.3.2R, or
        max(PMR, FOR) for an SNI under 4.3.3R. ``figures["binding"]`` names the
        component equal to it.

    Notes
    -----
    Where components are equal, the binding one is the first in the order PMR,
    FOR, KFR (``OWN_FUNDS_REQUIREMENT_TIE_ORDER``), so the result is deterministic.
    """
    components = {
        "permanent_minimum_requirement": permanent_minimum_requirement_gbp,
        "fixed_overheads_requirement": fixed_overheads_requirement_gbp,
        "k_factor_requirement": k_factor_requirement_gbp,
    }
    inputs = {
        "is_sni": is_sni,
        "pmr_gbp": permanent_minimum_requirement_gbp,
        "fixed_overheads_requirement_gbp": fixed_overheads_requirement_gbp,
        "k_factor_requirement_gbp": k_factor_requirement_gbp,
    }
    for field in inputs:
        if field != "is_sni":
            read_amount(inputs, field)
    rule = "MIFIDPRU 4.3.3R" if is_sni else "MIFIDPRU 4.3.2R"
    eligible = [
        name
        for name in OWN_FUNDS_REQUIREMENT_TIE_ORDER.value
        if not (is_sni and name == "k_factor_requirement")
    ]

    requirement = max(components[name] for name in eligible)
    binding = next(name for name in eligible if components[name] == requirement)
    tied = [name for name in eligible if components[name] == requirement]

    steps = [
        Step(
            COMPONENT_TITLES[name],
            components[name],
            "GBP",
            rule,
            ""
            if name in eligible
            else "not used: an SNI firm has no K-factor "
            "requirement in its own funds requirement",
        )
        for name in OWN_FUNDS_REQUIREMENT_TIE_ORDER.value
    ]
    formula = "max(PMR, FOR)" if is_sni else "max(PMR, FOR, KFR)"
    steps.append(
        Step(
            f"Own funds requirement = {formula}",
            requirement,
            "GBP",
            rule,
            f"binding: {COMPONENT_TITLES[binding]}",
        )
    )
    readings = []
    if len(tied) > 1:
        readings.append(
            Reading(
                rule,
                f"{' and '.join(COMPONENT_TITLES[name] for name in tied)} are equal; "
                f"the first in the order PMR, FOR, KFR is named binding.",
            )
        )
    return CalculationResult(
        calculator="own_funds_requirement",
        title="Own funds requirement",
        value=requirement,
        rule=rule,
        inputs=inputs,
        figures={
            "own_funds_requirement_gbp": requirement,
            "binding": binding,
            "tied_components": tied,
            "is_sni": is_sni,
            "permanent_minimum_requirement_gbp": permanent_minimum_requirement_gbp,
            "fixed_overheads_requirement_gbp": fixed_overheads_requirement_gbp,
            "k_factor_requirement_gbp": k_factor_requirement_gbp,
        },
        steps=tuple(steps),
        readings=tuple(readings),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the own funds requirement from a JSON-style mapping.

    Fields: ``is_sni`` (bool), ``pmr_gbp``, ``fixed_overheads_requirement_gbp``
    and ``k_factor_requirement_gbp`` (GBP). An SNI may leave out the K-factor
    requirement; it is then taken as 0 and has no effect.
    """
    is_sni = read_flag(inputs, "is_sni")
    return own_funds_requirement(
        permanent_minimum_requirement_gbp=read_amount(inputs, "pmr_gbp"),
        fixed_overheads_requirement_gbp=read_amount(
            inputs, "fixed_overheads_requirement_gbp"
        ),
        k_factor_requirement_gbp=read_amount(
            inputs, "k_factor_requirement_gbp", 0.0 if is_sni else None
        ),
        is_sni=is_sni,
    )
