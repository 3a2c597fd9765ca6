"""The traceable result every calculator returns.

A result carries the headline figure, the named figures behind it and the inputs
it was computed from. It also carries the rule references, each step of the
working in plain words, and the version of the rules it follows. Any figure on
screen can so be traced back to its rule and inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from calc.rules import CALCULATOR_VERSION, RULES_VERSION


@dataclass(frozen=True)
class Step:
    """One line of the working behind a figure.

    ``amount`` is in ``unit`` (``"GBP"``, ``"ratio"``, ``"percent"``, ``"days"``,
    ``"count"`` or ``"text"``); ``None`` where the step is a statement only.
    """

    label: str
    amount: float | None
    unit: str
    rule: str
    note: str = ""


@dataclass(frozen=True)
class Reading:
    """An interpretation chosen where the rule text is unclear or unconfirmed.

    The app shows each reading next to the figure it affects.
    """

    rule: str
    text: str


@dataclass(frozen=True)
class CalculationResult:
    """The output of one calculator.

    Attributes
    ----------
    calculator : str
        Machine name of the calculator, e.g. ``"k_aum"``.
    title : str
        Human name, e.g. ``"K-AUM requirement"``.
    value : float
        The headline figure, unrounded, in ``unit`` (GBP for requirements).
    rule : str
        The main rule reference, e.g. ``"MIFIDPRU 4.7.5R"``.
    inputs : Mapping
        A JSON-safe copy of the validated inputs.
    figures : Mapping
        Named intermediate and output figures, unrounded, keyed with their unit
        as a suffix (``average_aum_gbp``).
    steps : tuple of Step
        The working, in order.
    readings : tuple of Reading
        Interpretations applied where the rule text is unclear.
    warnings : tuple of str
        Conditions the user must see (unaudited figures, thin history).
    """

    calculator: str
    title: str
    value: float
    rule: str
    inputs: Mapping[str, Any]
    figures: Mapping[str, Any] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    readings: tuple[Reading, ...] = ()
    warnings: tuple[str, ...] = ()
    unit: str = "GBP"
    rules_version: str = RULES_VERSION
    calculator_version: str = CALCULATOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dictionary of the whole result."""
        return to_json_safe(dataclasses.asdict(self))


def to_json_safe(value: Any) -> Any:
    """Convert dates, decimals, enums, tuples and dataclasses into JSON types.

    NaN and infinite floats become ``None`` because JSON has no such values; the
    calculators reject them on input, so they only appear here by mistake.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json_safe(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(key): to_json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_safe(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return to_json_safe(value.item())
    return value
