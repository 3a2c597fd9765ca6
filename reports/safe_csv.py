"""CSV export that Excel opens with the pound sign intact and cannot run.

Excel reads a CSV as UTF-8 only when it starts with a byte order mark, so every
export starts with one. A text cell starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return could be run as a formula when the file is opened
(CSV injection), so such cells get a leading apostrophe, which Excel shows as
plain text. Numbers are written as numbers, negative ones included, and money
columns are rounded to the penny by ``calc.money.round_gbp``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from calc.money import round_gbp

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
UTF8_BOM = "\ufeff"


def make_cell_safe(value: Any) -> Any:
    """Return a cell value that a spreadsheet shows as written.

    Text starting with a formula trigger gets a leading apostrophe, except text
    that is a plain negative number such as ``-1234.50``, which no spreadsheet
    runs as a formula. Numbers, dates and empty cells pass unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isnan(value) else value
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def penny(amount: float | int | Decimal) -> Decimal:
    """Round a GBP amount to the penny for export; -0.00 becomes 0.00."""
    rounded = round_gbp(float(amount))
    return abs(rounded) if rounded == 0 else rounded


def export_value(value: Any, unit: str) -> Any:
    """Return a cell value for export: GBP to the penny as a Decimal."""
    if value is None or isinstance(value, bool):
        return value
    if unit == "GBP" and isinstance(value, int | float) and math.isfinite(value):
        return penny(value)
    return value


def _money(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and not (
        isinstance(value, float) and not math.isfinite(value)
    ):
        return penny(value)
    return value


def money_columns_of(frame: pd.DataFrame) -> list[str]:
    """Return the columns rounded to the penny: ``amount`` and names ending ``gbp``."""
    return [
        column
        for column in frame.columns
        if str(column).lower() == "amount" or str(column).lower().endswith("gbp")
    ]


def to_safe_csv(
    frame: pd.DataFrame,
    money_columns: Iterable[str] | None = None,
    index: bool = False,
) -> bytes:
    """Write a table as UTF-8 CSV with a BOM, formula cells neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table. Headers are made safe like cells.
    money_columns : iterable of str, optional
        Columns rounded to the penny; by default ``amount`` and those whose
        name ends in ``gbp``. Other floats are written in full (shortest exact
        form).
    index : bool
        Whether to write the index as the first column.
    """
    money = set(money_columns_of(frame) if money_columns is None else money_columns)
    table = frame.reset_index() if index else frame
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([make_cell_safe(str(column)) for column in table.columns])
    for row in table.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            value = _none_if_missing(value)
            if column in money:
                value = _money(value)
            cells.append(_format(make_cell_safe(value)))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _none_if_missing(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (AttributeError, ValueError):
            return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _format(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    return value
