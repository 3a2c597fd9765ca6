"""Reading calendar dates from spreadsheet cells.

Accepted forms: ISO ``2025-12-31`` (optionally with a time), ``2025/12/31``,
day-first ``31/12/2025``, ``31-12-2025`` and ``31.12.2025``, month names
(``31 Dec 2025``, ``31-Dec-2025``, ``December 31, 2025``), Excel serial numbers
(``46022`` is 2025-12-31) and the datetimes openpyxl returns for date cells.
Two-digit years and impossible dates such as 31/02/2025 are rejected.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from ingest.issues import DateError

# Excel's 1900 date system counts 1900-02-29, a day that never existed, so
# serials from 61 (1900-03-01) onwards are days since 1899-12-30.
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_EXCEL_SERIAL = 61
LAST_EXCEL_SERIAL = 2_958_465  # 9999-12-31

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{2,4}}){_TIME}$")
_DAY_NAME_YEAR = re.compile(r"^(\d{1,2})[ \-/]+([A-Za-z]+)\.?[ \-/,]+(\d{2,4})$")
_NAME_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?[ \-]+(\d{1,2}),?[ \-]+(\d{2,4})$")
_COMPACT_ISO = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

DATE_FIX = "Write the date as 31/12/2025 (day first) or 2025-12-31."


def parse_date(value: Any, dayfirst: bool = True) -> date:
    """Read a calendar date from a cell.

    Parameters
    ----------
    value : str, date, datetime, int or float
        The cell. Numbers are Excel serial day numbers (1900 date system).
    dayfirst : bool
        Read ``01/02/2025`` as 1 February (True, the UK convention) or as
        January 2 (False).

    Raises
    ------
    DateError
        For empty cells, text, formulas, two-digit years, numbers outside the
        Excel serial range and dates that do not exist (31/02/2025).

    Notes
    -----
    A time of day is dropped: ``2025-12-31 17:30`` gives 2025-12-31.
    """
    if isinstance(value, bool):
        raise DateError(value, "is TRUE/FALSE, not a date", DATE_FIX)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) or _is_numpy_number(value):
        return excel_serial_to_date(value)
    text = str(value).strip() if value is not None else ""
    if text == "":
        raise DateError(value, "is empty", "Enter the date, e.g. 31/12/2025.")
    if text.startswith("="):
        raise DateError(
            value,
            "is a formula, not a date",
            "In Excel copy the column and use Paste Special > Values before export.",
        )
    # Only five-digit text is read as an Excel serial (1927-05-18 to 2173-10-13):
    # shorter numbers such as 2025 are more likely a year than a day number.
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return excel_serial_to_date(float(text), original=value)
    if re.fullmatch(r"\d{1,4}", text):
        raise DateError(
            value,
            "is a number, not a date",
            "Enter the full date, e.g. 31/12/2025, not only the year or day.",
        )
    for reader in (_read_year_first, _read_numeric, _read_month_name, _read_compact):
        result = reader(text, dayfirst, value)
        if result is not None:
            return result
    raise DateError(value, "is not a date", DATE_FIX)


def excel_serial_to_date(serial: Any, original: Any = None) -> date:
    """Convert an Excel serial day number (1900 date system) to a date."""
    shown = serial if original is None else original
    number = float(serial)
    if not math.isfinite(number) or not (
        FIRST_EXCEL_SERIAL <= number < LAST_EXCEL_SERIAL + 1
    ):
        raise DateError(
            shown,
            "is a number outside the range of Excel dates (1900-03-01 to 9999-12-31)",
            DATE_FIX,
        )
    return EXCEL_EPOCH + timedelta(days=math.floor(number))


def _is_numpy_number(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


def _build(year: int, month: int, day: int, original: Any, hint: str = "") -> date:
    if month < 1 or month > 12:
        raise DateError(
            original,
            f"has month {month}, which does not exist{hint}",
            DATE_FIX,
        )
    days_in_month = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if day < 1 or day > days_in_month:
        raise DateError(
            original,
            f"is not a calendar date: {calendar.month_name[month]} {year} has "
            f"{days_in_month} days",
            "Check the day and month of the date.",
        )
    return date(year, month, day)


def _check_year(year_text: str, original: Any) -> int:
    if len(year_text) != 4:
        raise DateError(
            original,
            "has a two-digit year, which could be in either century",
            "Write the year in four digits, e.g. 31/12/2025.",
        )
    return int(year_text)


def _read_year_first(text: str, dayfirst: bool, original: Any) -> date | None:
    match = _YEAR_FIRST.match(text)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[3]), int(match[4])
    return _build(year, month, day, original)


def _read_numeric(text: str, dayfirst: bool, original: Any) -> date | None:
    match = _NUMERIC.match(text)
    if match is None:
        return None
    first, second = int(match[1]), int(match[3])
    year = _check_year(match[4], original)
    day, month = (first, second) if dayfirst else (second, first)
    hint = ""
    if dayfirst and month > 12 and day <= 12:
        hint = "; the date looks month-first (MM/DD/YYYY) but dates are read day-first"
    return _build(year, month, day, original, hint)


def _read_month_name(text: str, dayfirst: bool, original: Any) -> date | None:
    match = _DAY_NAME_YEAR.match(text)
    if match is not None:
        day_text, name, year_text = match[1], match[2], match[3]
    else:
        match = _NAME_DAY_YEAR.match(text)
        if match is None:
            return None
        name, day_text, year_text = match[1], match[2], match[3]
    month = _MONTHS.get(name.lower())
    if month is None:
        raise DateError(original, f"has '{name}', which is not a month", DATE_FIX)
    year = _check_year(year_text, original)
    return _build(year, month, int(day_text), original)


def _read_compact(text: str, dayfirst: bool, original: Any) -> date | None:
    match = _COMPACT_ISO.match(text)
    if match is None:
        return None
    return _build(int(match[1]), int(match[2]), int(match[3]), original)
