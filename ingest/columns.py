"""Converting one column of raw cells to typed values, collecting every problem.

Each reader takes the cells and spreadsheet row numbers of one column and
returns the values (``None`` where a cell failed) with the errors and
warnings found. Empty cells take the column's default; a column without a
default reports them as missing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ingest.amounts import CURRENCY_SYMBOLS, Money, parse_amount_column
from ingest.dates import parse_date
from ingest.issues import CellError, ParseIssue, show_value
from ingest.schemas import (
    FALSE_WORDS,
    TRUE_WORDS,
    Column,
    ColumnType,
    normalise_choice,
)
from ingest.tables import is_formula_text

_CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}$")


@dataclass
class ColumnValues:
    """The typed values of one column and what reading them found.

    ``moneys`` holds, for AMOUNT columns, the parsed cell with any currency the
    cell named, for the check against the row's currency column.
    """

    values: list[Any]
    errors: list[ParseIssue] = field(default_factory=list)
    warnings: list[ParseIssue] = field(default_factory=list)
    moneys: list[Money | None] = field(default_factory=list)
    note: str = ""


def is_blank(cell: Any) -> bool:
    """True for a cell with nothing in it."""
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def read_column(column: Column, cells: list[Any], rows: list[int]) -> ColumnValues:
    """Convert the cells of ``column`` to its type; see the module docstring."""
    result = ColumnValues([None] * len(cells), moneys=[None] * len(cells))
    filled: list[int] = []
    for index, cell in enumerate(cells):
        if is_blank(cell):
            if column.has_default:
                result.values[index] = column.default
            else:
                result.errors.append(
                    ParseIssue(
                        rows[index],
                        column.name,
                        "",
                        "is empty",
                        f"Enter {column.description or 'a value'}.",
                    )
                )
        else:
            filled.append(index)
    if column.type in (ColumnType.AMOUNT, ColumnType.NUMBER, ColumnType.INTEGER):
        _read_numbers(column, cells, rows, filled, result)
        return result
    reader = _CELL_READERS[column.type]
    if column.type in _PURE_READER_TYPES:
        _read_distinct_texts(column, cells, rows, filled, result)
        return result
    for index in filled:
        try:
            result.values[index] = reader(column, cells[index], rows[index], result)
        except CellError as error:
            result.errors.append(error.to_issue(rows[index], column.name))
    return result


def _read_distinct_texts(
    column: Column,
    cells: list[Any],
    rows: list[int],
    filled: list[int],
    result: ColumnValues,
) -> None:
    """Read the filled cells, running the reader once per distinct text.

    A daily series repeats each date and flag once per account, so a
    100,000-row file has a few thousand distinct cells. The readers of
    ``_PURE_READER_TYPES`` depend only on the cell, so the value or error of a
    text is reused for its repeats. Cells that are not ``str`` (Excel dates
    and numbers) are read one by one, because ``46022`` and ``46022.0`` are
    equal keys but are shown differently in messages.
    """
    reader = _CELL_READERS[column.type]
    outcomes: dict[str, Any] = {}
    for index in filled:
        cell = cells[index]
        if type(cell) is not str:
            try:
                result.values[index] = reader(column, cell, rows[index], result)
            except CellError as error:
                result.errors.append(error.to_issue(rows[index], column.name))
            continue
        if cell in outcomes:
            outcome = outcomes[cell]
        else:
            try:
                outcome = reader(column, cell, rows[index], result)
            except CellError as error:
                outcome = error
            outcomes[cell] = outcome
        if isinstance(outcome, CellError):
            result.errors.append(outcome.to_issue(rows[index], column.name))
        else:
            result.values[index] = outcome


def _read_numbers(
    column: Column,
    cells: list[Any],
    rows: list[int],
    filled: list[int],
    result: ColumnValues,
) -> None:
    parsed = parse_amount_column(
        [cells[i] for i in filled], [rows[i] for i in filled], column.name
    )
    result.errors.extend(parsed.errors)
    result.warnings.extend(parsed.warnings)
    has_separators = any(
        isinstance(cells[i], str) and ("," in cells[i] or "." in cells[i])
        for i in filled
    )
    if has_separators:
        result.note = f"Column '{column.name}': {parsed.decision.reason}."
    for index, amount, money in zip(filled, parsed.amounts, parsed.moneys, strict=True):
        if amount is None:
            continue
        problem = _number_problem(column, amount, money)
        if problem is not None:
            message, fix = problem
            result.errors.append(
                ParseIssue(
                    rows[index], column.name, show_value(cells[index]), message, fix
                )
            )
            continue
        result.values[index] = (
            int(amount) if column.type == ColumnType.INTEGER else amount
        )
        result.moneys[index] = money


def _number_problem(
    column: Column, amount: float, money: Money | None
) -> tuple[str, str] | None:
    if column.type != ColumnType.AMOUNT and money is not None and money.currency:
        return (
            "contains a currency, but this column is a plain number",
            "Enter the number only, e.g. 0.79.",
        )
    if amount < 0 and not column.allow_negative:
        return (
            "is negative, which this column does not allow",
            "Enter the amount as a positive number (the upload states its "
            "direction elsewhere), or 0.",
        )
    if column.type == ColumnType.INTEGER and amount != int(amount):
        return ("is not a whole number", "Enter a whole number, e.g. 3.")
    if column.minimum is not None and amount < column.minimum:
        return (f"is below the minimum of {column.minimum:g}", _range_fix(column))
    if column.maximum is not None and amount > column.maximum:
        return (f"is above the maximum of {column.maximum:g}", _range_fix(column))
    return None


def _range_fix(column: Column) -> str:
    if column.minimum is not None and column.maximum is not None:
        return f"Enter a value from {column.minimum:g} to {column.maximum:g}."
    if column.minimum is not None:
        return f"Enter a value of at least {column.minimum:g}."
    return f"Enter a value of at most {column.maximum:g}."


def _read_date(column: Column, cell: Any, row: int, result: ColumnValues) -> date:
    return parse_date(cell, dayfirst=True)


def _read_text(column: Column, cell: Any, row: int, result: ColumnValues) -> str:
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell).strip()
    if is_formula_text(text):
        result.warnings.append(
            ParseIssue(
                row,
                column.name,
                show_value(text),
                "looks like a spreadsheet formula; it was kept as text",
                "No action needed if this is the intended text; exports of this "
                "table prefix it with an apostrophe so Excel does not run it.",
            )
        )
    return text


def _read_choice(column: Column, cell: Any, row: int, result: ColumnValues) -> str:
    key = normalise_choice(str(cell))
    if key in column.choices:
        return column.choices[key]
    allowed = column.canonical_choices()
    close = difflib.get_close_matches(key, list(column.choices), n=1, cutoff=0.6)
    hint = f" Did you mean '{column.choices[close[0]]}'?" if close else ""
    raise CellError(
        cell,
        "is not one of the allowed values",
        f"Use one of: {', '.join(allowed)}.{hint}",
    )


def _read_boolean(column: Column, cell: Any, row: int, result: ColumnValues) -> bool:
    if isinstance(cell, bool):
        return cell
    key = normalise_choice(str(cell).removesuffix(".0"))
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError(cell, "is not yes or no", "Enter yes or no.")


def _read_currency(column: Column, cell: Any, row: int, result: ColumnValues) -> str:
    text = str(cell).strip()
    if text in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[text]
    if not _CURRENCY_CODE.match(text):
        raise CellError(
            cell,
            "is not a three-letter currency code",
            "Enter an ISO 4217 code such as GBP, USD or EUR.",
        )
    return text.upper()


_CELL_READERS = {
    ColumnType.DATE: _read_date,
    ColumnType.TEXT: _read_text,
    ColumnType.CHOICE: _read_choice,
    ColumnType.BOOLEAN: _read_boolean,
    ColumnType.CURRENCY: _read_currency,
}

# Types whose reader uses only the cell. Such a reader neither reads the row
# number nor adds warnings to the ColumnValues, as _read_text does.
_PURE_READER_TYPES = frozenset(
    {ColumnType.DATE, ColumnType.CHOICE, ColumnType.BOOLEAN, ColumnType.CURRENCY}
)
