"""Every coefficient, window and threshold the calculators use, as data.

Each parameter carries its rule reference, the status of that reference (seen in
the UK FCA Handbook text, taken from the EU IFR that MIFIDPRU follows, or not
confirmed), and a note on the reading chosen where the text is unclear. Results
record ``RULES_VERSION`` so a saved figure can be traced to the rules it used.

Add a parameter by defining a module-level ``Parameter`` constant in the section
for its rule; ``all_parameters()`` collects them for the app and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

HANDBOOK_DATE = "2026-04-06"
RULES_VERSION = f"FCA Handbook MIFIDPRU as in force on {HANDBOOK_DATE}"
CALCULATOR_VERSION = "1.0.0"


class SourceStatus(StrEnum):
    """How firmly a parameter's value is sourced."""

    UK_HANDBOOK = "seen in the FCA Handbook text"
    EU_IFR = "taken from the EU IFR; UK wording not confirmed"
    UNCONFIRMED = "not confirmed in the Handbook text; configurable"
    READING = "our reading of the rule; shown next to the figure"


@dataclass(frozen=True)
class Parameter:
    """One regulatory parameter with its provenance.

    ``unit`` is one of ``"GBP"``, ``"ratio"`` (0.0002 for 0.02%), ``"months"``,
    ``"business days"``, ``"count"`` or ``"text"``.
    """

    name: str
    value: Any
    unit: str
    rule: str
    status: SourceStatus
    note: str = ""


def all_parameters() -> list[Parameter]:
    """Return every ``Parameter`` defined in this module, in definition order."""
    return [value for value in globals().values() if isinstance(value, Parameter)]


# Sections follow. Each calculator module reads its parameters from here.
