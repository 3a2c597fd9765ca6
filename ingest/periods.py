"""Checks on the dates of a series: future dates, order, duplicates and gaps.

Month-end series must have a row for every month between their first and last
month. Daily series must have a row for every England and Wales business day
between their first and last date (``calc.calendar``). For flows such as client
orders a missing day is only a warning, because a day without orders is zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from calc.calendar import Month, business_days_between
from ingest.issues import ParseIssue, show_value
from ingest.schemas import Period, UploadSchema

MAX_LISTED_PERIODS = 24


def check_future_dates(
    dates: Sequence[date | None], rows: Sequence[int], today: date
) -> list[ParseIssue]:
    """Reject dates after ``today``."""
    return [
        ParseIssue(
            row,
            "date",
            day.isoformat(),
            f"is in the future (today is {today:%d/%m/%Y})",
            "Check the year and the day-month order; remove rows for dates that "
            "have not happened.",
        )
        for day, row in zip(dates, rows, strict=True)
        if day is not None and day > today
    ]


def check_duplicates(
    schema: UploadSchema, records: Sequence[dict[str, Any]], rows: Sequence[int]
) -> list[ParseIssue]:
    """Report rows whose key columns repeat an earlier row.

    Rows with an empty key value (an optional reference left blank) are not
    compared.
    """
    if not schema.key:
        return []
    seen: dict[tuple[Any, ...], int] = {}
    issues = []
    for record, row in zip(records, rows, strict=True):
        key = tuple(record.get(name) for name in schema.key)
        if any(part is None for part in key):
            continue
        if key in seen:
            shown = ", ".join(
                f"{name}={_show(part)}"
                for name, part in zip(schema.key, key, strict=True)
                if part != ""
            )
            issues.append(
                ParseIssue(
                    row,
                    schema.key[0],
                    shown,
                    f"repeats row {seen[key]} (same {', '.join(schema.key)})",
                    "Delete the duplicate row, or add the rows together if they "
                    "are parts of one value.",
                )
            )
        else:
            seen[key] = row
    return issues


def _show(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return show_value(value)


def check_order(dates: Sequence[date | None], rows: Sequence[int]) -> list[ParseIssue]:
    """Warn once when the rows are not in date order (they are sorted)."""
    previous: date | None = None
    for day, row in zip(dates, rows, strict=True):
        if day is None:
            continue
        if previous is not None and day < previous:
            return [
                ParseIssue(
                    row,
                    "date",
                    day.isoformat(),
                    f"is earlier than the row above ({previous.isoformat()}); the "
                    "rows are not in date order and were sorted by date",
                    "No action needed if every date is right.",
                )
            ]
        previous = day
    return []


def check_series_gaps(
    schema: UploadSchema, records: Sequence[dict[str, Any]]
) -> list[ParseIssue]:
    """Check gaps in each series of the upload separately.

    The series are the groups of rows sharing the key columns other than the
    date (each portfolio and currency of an AUM file, each client money
    account), because one account's missing day is hidden by another
    account's row on that day. Uploads whose key has no date form one series.
    """
    group_columns = [name for name in schema.key if name != "date"]
    if "date" not in schema.key:
        group_columns = []
    groups: dict[tuple[Any, ...], list[date | None]] = {}
    for record in records:
        group = tuple(record.get(name) for name in group_columns)
        groups.setdefault(group, []).append(record["date"])
    issues = []
    for group, dates in groups.items():
        label = ", ".join(
            f"{name}={_show(value)}"
            for name, value in zip(group_columns, group, strict=True)
            if value not in ("", None)
        )
        issues += check_gaps(schema, dates, label if len(groups) > 1 else "")
    return issues


def check_gaps(
    schema: UploadSchema, dates: Sequence[date | None], series: str = ""
) -> list[ParseIssue]:
    """Report the months or business days missing between the first and last date.

    Returns errors, or for flow uploads (``missing_days_are_errors`` False)
    warnings; the caller files them accordingly. ``series`` names the group
    of rows checked, for the message.
    """
    present = sorted({day for day in dates if day is not None})
    if len(present) < 2 or schema.period is None:
        return []
    if schema.period == Period.MONTH_END:
        months_present = {Month.of(day) for day in present}
        first, last = Month.of(present[0]), Month.of(present[-1])
        missing = []
        month = first
        while month <= last:
            if month not in months_present:
                missing.append(str(month))
            month = month.shift(1)
        unit = "month"
        fix = "Add the month-end value for each missing month."
    else:
        have = set(present)
        missing = [
            day.isoformat()
            for day in business_days_between(present[0], present[-1])
            if day not in have
        ]
        unit = "business day"
        fix = (
            "Add a row for each missing business day (England and Wales calendar)."
            if schema.missing_days_are_errors
            else "No action needed if no orders were handled on those days; they "
            "count as zero."
        )
    if not missing:
        return []
    listed = ", ".join(missing[:MAX_LISTED_PERIODS])
    if len(missing) > MAX_LISTED_PERIODS:
        listed += f" and {len(missing) - MAX_LISTED_PERIODS} more"
    verb = "is" if len(missing) == 1 else "are"
    where = f" for {series}" if series else ""
    return [
        ParseIssue(
            None,
            "date",
            "",
            f"{len(missing)} {unit}(s){where} between {present[0]:%d/%m/%Y} and "
            f"{present[-1]:%d/%m/%Y} {verb} missing: {listed}",
            fix,
        )
    ]
