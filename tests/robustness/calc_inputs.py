"""Example calculator inputs and helpers that replace one value inside them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "examples"

# Calculators of the registry with an example input. ``saccr`` reads a trade file
# and ``k_tcd`` has its own example below.
EXAMPLE_CALCULATORS = sorted(
    path.stem
    for path in EXAMPLES.glob("*.json")
    if path.stem not in {"position"}  # not in the registry
)

K_TCD_EXAMPLE = {
    "replacement_cost_gbp": 2_000_000,
    "potential_future_exposure_gbp": 1_000_000,
    "collateral_gbp": 500_000,
    "counterparty_type": "other",
    "cva_applies": True,
}

# Calculators whose headline value is a requirement or an amount of capital that
# can never be below zero. ``own_funds_composition`` returns own funds, which are
# negative when deductions exceed the items, and ``sni`` returns 1 or 0.
NON_NEGATIVE_VALUE_CALCULATORS = [
    name for name in EXAMPLE_CALCULATORS if name != "own_funds_composition"
] + ["k_tcd"]

DELETE = object()


def load_example(name: str) -> dict[str, Any]:
    """Return a fresh copy of the example input of calculator ``name``."""
    if name == "k_tcd":
        return copy.deepcopy(K_TCD_EXAMPLE)
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


def replaced(inputs: Any, path: tuple, value: Any) -> Any:
    """Return a copy of ``inputs`` with the item at ``path`` set to ``value``.

    ``value`` may be ``DELETE`` to remove the item. An empty path replaces the
    whole input.
    """
    if not path:
        return value
    result = copy.deepcopy(inputs)
    container = result
    for key in path[:-1]:
        container = container[key]
    if value is DELETE:
        del container[path[-1]]
    else:
        container[path[-1]] = value
    return result


def number_paths(inputs: Any, prefix: tuple = (), per_list: int = 2) -> Iterator[tuple]:
    """Yield the path of every number (not boolean) in ``inputs``.

    Only the first ``per_list`` items of each list are visited, because long
    series repeat the same shape.
    """
    if isinstance(inputs, dict):
        for key, value in inputs.items():
            yield from number_paths(value, (*prefix, key), per_list)
    elif isinstance(inputs, list):
        for index, value in enumerate(inputs[:per_list]):
            yield from number_paths(value, (*prefix, index), per_list)
    elif isinstance(inputs, int | float) and not isinstance(inputs, bool):
        yield prefix


def all_paths(inputs: Any, prefix: tuple = (), per_list: int = 2) -> Iterator[tuple]:
    """Yield the path of every value in ``inputs``, containers included."""
    yield prefix
    if isinstance(inputs, dict):
        for key, value in inputs.items():
            yield from all_paths(value, (*prefix, key), per_list)
    elif isinstance(inputs, list):
        for index, value in enumerate(inputs[:per_list]):
            yield from all_paths(value, (*prefix, index), per_list)


def last_name(path: tuple) -> str:
    """Return the last text key of ``path``: the field an error should name."""
    return [key for key in path if isinstance(key, str)][-1]
