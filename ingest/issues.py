"""Problems found in an uploaded file, located the way a spreadsheet shows them.

Row numbers are spreadsheet rows: the header is row 1 and the first data row is
row 2, so an analyst can go straight to the cell in Excel. ``row`` is ``None`` for
a problem with the whole file, ``column`` is ``None`` for a whole row or file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParseIssue:
    """One problem in an upload: where it is, what is wrong and how to fix it."""

    row: int | None
    column: str | None
    value: str
    message: str
    fix: str

    def location(self) -> str:
        """Return ``"Row 5, column 'amount'"`` or the part of it that applies."""
        parts = []
        if self.row is not None:
            parts.append(f"Row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) if parts else "File"

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value != "" else ""
        return f"{self.location()}: {self.message}{shown}. Fix: {self.fix}"

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as a plain dictionary for tables and JSON."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "fix": self.fix,
        }


class CellError(ValueError):
    """A single cell value that cannot be read as the type its column needs.

    The caller knows the row and column and turns this into a ``ParseIssue``.
    """

    def __init__(self, value: Any, problem: str, fix: str) -> None:
        self.value = value
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} (value {value!r}). {fix}")

    def to_issue(self, row: int | None, column: str | None) -> ParseIssue:
        """Locate this error at a spreadsheet row and column."""
        return ParseIssue(row, column, show_value(self.value), self.problem, self.fix)


class AmountError(CellError):
    """A cell that should hold an amount of money or a number does not."""


class DateError(CellError):
    """A cell that should hold a calendar date does not."""


def show_value(value: Any, limit: int = 80) -> str:
    """Return the cell value as short text for a message (``""`` for empty)."""
    if value is None:
        return ""
    text = str(value)
    if len(text) > limit:
        return text[: limit - 3] + "..."
    return text
