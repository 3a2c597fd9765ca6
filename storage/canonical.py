"""Canonical JSON: one byte-exact text for equal values, used for hashes and AAD."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from decimal import Decimal
from enum import Enum
from typing import Any

from storage.errors import InvalidInput


def _convert(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def canonical_json(value: Any) -> str:
    """Serialise ``value`` with sorted keys and no spaces.

    Dates become ISO 8601 text, decimals floats, enums their values and sets
    sorted lists. NaN and infinity are rejected because JSON has no such values.
    """
    try:
        return json.dumps(
            value,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
            default=_convert,
        )
    except TypeError as error:
        raise InvalidInput(f"Value cannot be stored as JSON: {error}.") from None
    except ValueError:
        raise InvalidInput(
            "Value cannot be stored as JSON: it contains NaN or an infinite "
            "number; replace them with a number or None."
        ) from None


def is_finite_number(value: Any) -> bool:
    """Return whether ``value`` is an int or float that is not NaN or infinite."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) and math.isfinite(value)
