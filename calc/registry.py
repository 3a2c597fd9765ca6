"""The calculators by name, each taking a JSON-style mapping of inputs.

The CLI (``python -m calc NAME INPUT.json``), the app and the health check all
find calculators here. Each entry points at a module-level function
``run(inputs: Mapping[str, Any]) -> CalculationResult`` that validates the
mapping and raises ``CalculationInputError`` naming the field on bad input.
Modules are imported on first use so that one calculator's import cost is not
paid by the others.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from typing import Any

from calc.errors import CalculationInputError, UnknownChoiceError
from calc.result import CalculationResult

Calculator = Callable[[Mapping[str, Any]], CalculationResult]

# name -> (module, one-line description)
CALCULATORS: dict[str, tuple[str, str]] = {
    "pmr": ("calc.permanent_minimum", "Permanent minimum requirement, MIFIDPRU 4.4"),
    "fixed_overheads": (
        "calc.fixed_overheads",
        "Fixed overheads requirement, MIFIDPRU 4.5",
    ),
    "k_aum": ("calc.k_factors.k_aum", "K-AUM, MIFIDPRU 4.7"),
    "k_cmh": ("calc.k_factors.k_cmh", "K-CMH, MIFIDPRU 4.8"),
    "k_asa": ("calc.k_factors.k_asa", "K-ASA, MIFIDPRU 4.9"),
    "k_coh": ("calc.k_factors.k_coh", "K-COH, MIFIDPRU 4.10"),
    "k_npr": ("calc.k_factors.k_npr", "K-NPR, MIFIDPRU 4.11 and 4.12"),
    "k_cmg": ("calc.k_factors.k_cmg", "K-CMG, MIFIDPRU 4.13"),
    "k_tcd": ("calc.k_factors.k_tcd", "K-TCD, MIFIDPRU 4.14"),
    "k_dtf": ("calc.k_factors.k_dtf", "K-DTF, MIFIDPRU 4.15"),
    "k_con": ("calc.k_factors.k_con", "K-CON, MIFIDPRU 5"),
    "k_factor_requirement": (
        "calc.k_factors.total",
        "Total K-factor requirement, MIFIDPRU 4.6",
    ),
    "sni": ("calc.sni", "SNI classification, MIFIDPRU 1.2.1R"),
    "own_funds_requirement": ("calc.own_funds", "Own funds requirement, MIFIDPRU 4.3"),
    "own_funds_composition": (
        "calc.own_funds_composition",
        "Own funds composition, MIFIDPRU 3",
    ),
    "liquidity": ("calc.liquidity", "Basic liquid assets requirement, MIFIDPRU 6"),
    "icara": ("calc.icara", "ICARA threshold requirements, MIFIDPRU 7"),
    "wind_down": ("calc.wind_down", "Wind-down plan and cost, MIFIDPRU 7.6.4G"),
    "risk_assessment": (
        "calc.risk_assessment",
        "Risk register and harm capital, MIFIDPRU 7.4",
    ),
    "saccr": ("calc.saccr.engine", "SA-CCR exposure values per netting set"),
}


def get_calculator(name: str) -> Calculator:
    """Return the ``run`` function of the calculator called ``name``."""
    if name not in CALCULATORS:
        raise UnknownChoiceError(
            "calculator",
            name,
            "is not a known calculator",
            f"Use one of: {', '.join(sorted(CALCULATORS))}.",
        )
    module = importlib.import_module(CALCULATORS[name][0])
    return _require_mapping(module.run)


def _require_mapping(run: Calculator) -> Calculator:
    """Wrap ``run`` so that input other than a JSON object raises a typed error."""

    @functools.wraps(run)
    def run_with_object(inputs: Mapping[str, Any]) -> CalculationResult:
        if not isinstance(inputs, Mapping):
            raise CalculationInputError(
                "inputs",
                type(inputs).__name__,
                "is not a JSON object",
                "Give the inputs as an object of field names and values, e.g. "
                '{"permissions": [...]}.',
            )
        return run(inputs)

    return run_with_object
