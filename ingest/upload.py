"""Parsing an uploaded file against its schema: the one path every upload takes.

``parse_upload`` reads the file (``ingest.tables``), matches the headers,
converts every column, runs the row checks and the series checks, and returns
either a clean frame or the full list of problems. A file with any error gives
an empty frame: part of a file is never used.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from calc.result import to_json_safe
from ingest.columns import ColumnValues, read_column
from ingest.issues import ParseIssue
from ingest.kinds import GBP, SCHEMAS
from ingest.periods import (
    check_duplicates,
    check_future_dates,
    check_order,
    check_series_gaps,
)
from ingest.schemas import ColumnType, Required, UploadSchema, match_headers
from ingest.tables import RawTable, TableLimits, read_table

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 10
SOURCE_ROW = "source_row"
AMOUNT_GBP = "amount_gbp"


@dataclass
class ParsedUpload:
    """The result of parsing one upload.

    Attributes
    ----------
    kind : str
        The schema used.
    frame : pandas.DataFrame
        One row per data row, columns named as in the schema plus
        ``source_row`` (the spreadsheet row) and, where the schema has an amount
        and a currency, ``amount_gbp`` (amount x fx_rate_to_gbp). Dates are
        ``datetime.date`` objects. Empty when there is any error.
    issues : list of ParseIssue
        Errors. Any error makes ``ok`` False.
    warnings : list of ParseIssue
        Conditions to show the user that do not stop the upload.
    preview : pandas.DataFrame
        The first rows as read from the file, for display next to the issues.
    notes : list of str
        How the file was read: encoding, separator, decimal separators.
    """

    kind: str
    frame: pd.DataFrame
    issues: list[ParseIssue]
    warnings: list[ParseIssue]
    preview: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the upload has no errors and the frame may be used."""
        return not self.issues

    def records(self) -> list[dict[str, Any]]:
        """Return the frame as JSON-safe dictionaries (dates as ISO text)."""
        return [to_json_safe(record) for record in self.frame.to_dict("records")]

    def issues_frame(self) -> pd.DataFrame:
        """Return errors then warnings as a table for display."""
        rows = [{"severity": "error", **issue.to_dict()} for issue in self.issues]
        rows += [{"severity": "warning", **issue.to_dict()} for issue in self.warnings]
        columns = ["severity", "row", "column", "value", "message", "fix"]
        return pd.DataFrame(rows, columns=columns)


def get_schema(kind: str) -> UploadSchema:
    """Return the schema for ``kind``; raise ``ValueError`` naming the kinds."""
    if kind not in SCHEMAS:
        raise ValueError(
            f"Unknown upload kind {kind!r}. Use one of: {', '.join(SCHEMAS)}."
        )
    return SCHEMAS[kind]


def parse_upload(
    kind: str,
    data: bytes,
    filename: str,
    today: date | None = None,
    limits: TableLimits | None = None,
) -> ParsedUpload:
    """Parse an uploaded CSV or .xlsx file of ``kind``.

    Parameters
    ----------
    kind : str
        A key of ``ingest.kinds.SCHEMAS``, e.g. ``"aum_month_end"``.
    data : bytes
        The file's content.
    filename : str
        The uploaded file name, for format detection and messages.
    today : date, optional
        Dates after this day are rejected; defaults to the system date.
    limits : TableLimits, optional
        File size and row limits.
    """
    schema = get_schema(kind)
    today = today or date.today()
    table = read_table(data, filename, limits)
    notes = _table_notes(table)
    preview = _preview(table)
    if not table.columns:
        return _rejected(kind, table.issues, table.warnings, preview, notes)
    match = match_headers(schema, table.columns)
    warnings = table.warnings + match.warnings
    if match.errors:
        return _rejected(kind, table.issues + match.errors, warnings, preview, notes)
    rows = table.row_numbers
    errors = list(table.issues)
    converted = _convert_columns(schema, table, match.positions)
    values = {name: column.values for name, column in converted.items()}
    money_cells: dict[str, ColumnValues] = {}
    for name, column in converted.items():
        errors += column.errors
        warnings += column.warnings
        if column.note:
            notes.append(column.note)
        if schema.column(name).type == ColumnType.AMOUNT:
            money_cells[name] = column

    failed_rows = {issue.row for issue in errors if issue.row is not None}
    records = [
        {name: column_values[i] for name, column_values in values.items()}
        for i in range(len(rows))
    ]
    errors += _check_rows(schema, records, rows, failed_rows, money_cells)
    series_errors, series_warnings = _check_series(schema, records, rows, today)
    errors += series_errors
    warnings += series_warnings
    if errors:
        return _rejected(kind, errors, warnings, preview, notes)
    frame = _build_frame(schema, records, rows)
    notes.append(f"{len(frame)} data rows read.")
    logger.info("upload parsed: kind=%s rows=%d file=%s", kind, len(frame), filename)
    return ParsedUpload(kind, frame, [], warnings, preview, notes)


def _convert_columns(
    schema: UploadSchema, table: RawTable, positions: dict[str, int]
) -> dict[str, ColumnValues]:
    """Read every schema column; a column absent from the file takes its default."""
    rows = table.row_numbers
    converted = {}
    for column in schema.columns:
        if column.name in positions:
            cells = table.column_values(positions[column.name])
            converted[column.name] = read_column(column, cells, rows)
        else:
            converted[column.name] = ColumnValues([column.default] * len(rows))
    return converted


def _rejected(
    kind: str,
    errors: list[ParseIssue],
    warnings: list[ParseIssue],
    preview: pd.DataFrame,
    notes: list[str],
) -> ParsedUpload:
    errors = sorted(errors, key=lambda issue: (issue.row or 0, issue.column or ""))
    logger.info("upload rejected: kind=%s errors=%d", kind, len(errors))
    columns = [c.name for c in get_schema(kind).columns]
    return ParsedUpload(
        kind, pd.DataFrame(columns=columns), errors, warnings, preview, notes
    )


def _table_notes(table: RawTable) -> list[str]:
    notes = []
    if table.file_format == "xlsx" and table.sheet:
        notes.append(f"Read the Excel sheet '{table.sheet}'.")
    if table.encoding:
        notes.append(f"Text encoding: {table.encoding}.")
    if table.separator:
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        notes.append(f"Field separator: {names.get(table.separator, table.separator)}.")
    return notes


def _preview(table: RawTable) -> pd.DataFrame:
    head = table.rows[:PREVIEW_ROWS]
    columns = [header or f"(column {i + 1})" for i, header in enumerate(table.columns)]
    frame = pd.DataFrame(
        [[str(cell) if cell is not None else "" for cell in row.cells] for row in head],
        columns=pd.Index(columns) if columns else None,
    )
    frame.index = pd.Index([row.number for row in head], name="row")
    return frame


def _check_rows(
    schema: UploadSchema,
    records: list[dict[str, Any]],
    rows: list[int],
    failed_rows: set[int],
    money_cells: dict[str, ColumnValues],
) -> list[ParseIssue]:
    """Run the schema's row checks and the currency checks on rows that parsed."""
    has_currency = any(column.name == "currency" for column in schema.columns)
    errors: list[ParseIssue] = []
    for index, (record, row) in enumerate(zip(records, rows, strict=True)):
        if row in failed_rows:
            continue
        for name, converted in money_cells.items():
            money = converted.moneys[index]
            if money is None or money.currency is None:
                continue
            expected = record["currency"] if has_currency else GBP
            if money.currency != expected:
                where = "the row's currency" if has_currency else "this GBP column"
                errors.append(
                    ParseIssue(
                        row,
                        name,
                        f"{money.currency} {money.amount:g}",
                        f"names {money.currency} but {where} is {expected}",
                        "Correct the currency, or convert the amount.",
                    )
                )
        for check in schema.row_checks:
            errors += check(record, row)
    return errors


def _check_series(
    schema: UploadSchema,
    records: list[dict[str, Any]],
    rows: list[int],
    today: date,
) -> tuple[list[ParseIssue], list[ParseIssue]]:
    errors = check_duplicates(schema, records, rows)
    warnings: list[ParseIssue] = []
    if schema.date_column is None:
        return errors, warnings
    dates = [record["date"] for record in records]
    errors += check_future_dates(dates, rows, today)
    warnings += check_order(dates, rows)
    gaps = check_series_gaps(schema, records)
    if schema.missing_days_are_errors:
        errors += gaps
    else:
        warnings += gaps
    return errors, warnings


def _build_frame(
    schema: UploadSchema, records: list[dict[str, Any]], rows: list[int]
) -> pd.DataFrame:
    names = [column.name for column in schema.columns]
    frame = pd.DataFrame(records, columns=names)
    frame.insert(0, SOURCE_ROW, rows)
    if "amount" in names and "fx_rate_to_gbp" in names:
        frame[AMOUNT_GBP] = frame["amount"].astype(float) * frame[
            "fx_rate_to_gbp"
        ].astype(float)
    if schema.date_column is not None:
        frame = frame.sort_values(["date", SOURCE_ROW], kind="stable")
        frame = frame.reset_index(drop=True)
    return frame


def template_csv(kind: str) -> bytes:
    """Return a CSV template for ``kind``: header and one example row, UTF-8 BOM.

    Optional columns are included; they may be deleted.
    """
    schema = get_schema(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in schema.columns])
    writer.writerow([column.example for column in schema.columns])
    return buffer.getvalue().encode("utf-8-sig")


def column_table(kind: str) -> pd.DataFrame:
    """Return the columns of ``kind`` as a table for the app's help text."""
    schema = get_schema(kind)
    return pd.DataFrame(
        [
            {
                "column": column.name,
                "required": column.required == Required.YES,
                "type": column.type.value,
                "description": column.description,
                "also accepted": ", ".join(column.aliases),
                "allowed values": ", ".join(column.canonical_choices()),
            }
            for column in schema.columns
        ]
    )
