"""Reading an uploaded CSV or Excel file into rows of raw cells.

``read_table`` detects the encoding: UTF-8 with or without BOM, UTF-16 with
BOM, else Windows-1252 with a warning. It detects the separator (comma,
semicolon, tab or pipe) as the one that splits the first lines into the same
number of fields, and takes the first non-empty row as the header. It converts
nothing: cells stay as text for CSV files and as the values openpyxl returns
for Excel files. The cell parsers ``parse_amount`` and
``parse_date`` are re-exported here for callers that read their own columns.

Row numbers are spreadsheet rows: the header is row 1. Every problem is
collected as a ``ParseIssue``; reading does not stop at the first one.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.amounts import (
    AmountColumn,
    DecimalSeparator,
    Money,
    decide_decimal_separator,
    parse_amount,
    parse_amount_column,
    parse_money,
)
from ingest.dates import parse_date
from ingest.issues import AmountError, CellError, DateError, ParseIssue, show_value
from ingest.plain_csv import split_plain_csv

__all__ = [
    "AmountError",
    "CellError",
    "DateError",
    "DecimalSeparator",
    "Money",
    "ParseIssue",
    "RawRow",
    "RawTable",
    "TableLimits",
    "decide_decimal_separator",
    "is_formula_text",
    "parse_amount",
    "parse_amount_column",
    "AmountColumn",
    "parse_date",
    "parse_money",
    "read_table",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
# Cells read per row. No upload has more than about a dozen columns. The bound
# keeps a workbook whose used range reaches column XFD (16,384 columns), or a CSV
# line of separators, from filling memory with empty cells.
MAX_COLUMNS = 100
SEPARATORS = (",", ";", "\t", "|")
SNIFF_LINES = 50
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class TableLimits:
    """Upload limits: ``max_bytes`` in bytes, ``max_rows`` in data rows."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS


@dataclass(frozen=True)
class RawRow:
    """One data row: its spreadsheet row number and its cells, header order."""

    number: int
    cells: tuple[Any, ...]


@dataclass
class RawTable:
    """The header and data rows of an uploaded file, before any conversion.

    Attributes
    ----------
    columns : list of str
        Header cells, stripped of spaces; empty trailing columns removed.
    rows : list of RawRow
        Data rows that have at least one non-empty cell.
    file_format : str
        ``"csv"`` or ``"xlsx"``.
    encoding : str or None
        Text encoding used for CSV files.
    separator : str or None
        Field separator used for CSV files.
    sheet : str or None
        Worksheet read from an Excel file.
    issues : list of ParseIssue
        Errors; the table must not be used when there is any.
    warnings : list of ParseIssue
        Conditions the user should see (guessed encoding, formulas kept as text).
    frame : pandas.DataFrame or None
        The data rows as a frame indexed by spreadsheet row number, with the
        same cells as ``rows``. Set in place of ``rows`` by
        ``read_table(..., as_frame=True)``. None otherwise, and for a file
        rejected before its rows are read (too large, empty, not a workbook).
    """

    columns: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    warnings: list[ParseIssue] = field(default_factory=list)
    frame: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        """True when reading found no errors."""
        return not self.issues

    def column_values(self, index: int) -> list[Any]:
        """Return the cells of column ``index``, one per data row."""
        if self.frame is not None:
            return self.frame.iloc[:, index].tolist()
        return [row.cells[index] for row in self.rows]

    @property
    def row_numbers(self) -> list[int]:
        """Spreadsheet row numbers of the data rows."""
        if self.frame is not None:
            return self.frame.index.tolist()
        return [row.number for row in self.rows]


def is_formula_text(value: Any) -> bool:
    """Return True for text that a spreadsheet would run as a formula.

    Text starting with ``=`` or ``@``, such as ``=HYPERLINK(...)``, or with
    ``+`` or ``-`` followed by something other than a digit, space, ``.``,
    ``,``, ``(`` or a currency sign.
    """
    if not isinstance(value, str) or value == "":
        return False
    if value[0] in "=@":
        return True
    if value[0] in "+-" and len(value) > 1:
        return not (value[1].isdigit() or value[1] in " .,(£$€")
    return False


def read_table(
    data: bytes,
    filename: str,
    limits: TableLimits | None = None,
    *,
    as_frame: bool = False,
) -> RawTable:
    """Read an uploaded CSV or .xlsx file into a ``RawTable``.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        The uploaded name; used to tell CSV from Excel together with the
        content's first bytes, and in messages.
    limits : TableLimits, optional
        Size limit in bytes (default 50 MB) and data row limit (default
        200,000).
    as_frame : bool
        Return the data rows in ``RawTable.frame`` instead of ``rows``. A CSV
        file read by the columnar path keeps its cells in pandas ``str``
        columns, without one Python object per cell. Other files give a frame
        of ``object`` columns.

    Returns
    -------
    RawTable
        With ``issues`` listing every error found; a file that is too large,
        empty or unreadable gives a table with no rows and one issue.

    Notes
    -----
    A CSV file whose text has no quote mark, no line that ends in a bare
    carriage return, no NUL and no whitespace other than spaces and tabs
    inside fields, and whose lines all have the same number of fields, is
    split by pyarrow and cleaned a column at a time. Every other CSV file is
    read by ``csv.reader`` cell by cell. Both give the same columns, cells,
    row numbers and issues (``tests/ingest/test_ingest_speed_paths.py``).
    """
    limits = limits or TableLimits()
    if len(data) > limits.max_bytes:
        return _failed(
            f"is {len(data) / 1_048_576:.1f} MB, over the limit of "
            f"{limits.max_bytes / 1_048_576:.0f} MB",
            "Split the file by period, or remove columns the upload does not use.",
            filename,
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return _failed(
            "is empty",
            "Export the data again with a header row and at least one data row.",
            filename,
        )
    lowered = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lowered.endswith(".xls"):
        return _failed(
            "is an old Excel .xls workbook, which is not supported",
            "In Excel use File > Save As and choose .xlsx or CSV UTF-8.",
            filename,
        )
    try:
        if data.startswith(b"PK\x03\x04"):
            table = _read_xlsx(data, filename, limits.max_rows)
        elif lowered.endswith((".xlsx", ".xlsm")):
            return _failed(
                "has an Excel name but is not an Excel workbook",
                "Save the file from Excel as .xlsx, or rename a CSV file to .csv.",
                filename,
            )
        else:
            table = _read_csv(data, filename, limits.max_rows, as_frame)
    except _TooManyRows:
        return _failed(
            f"has more than {limits.max_rows:,} rows below the header, the limit",
            "Split the file by period and upload each part, or delete the empty "
            "rows below the data.",
            filename,
        )
    except _TooManyColumns:
        return _failed(
            f"has data in more than {MAX_COLUMNS} columns",
            "Delete the columns the upload does not use; the template lists the "
            "columns it reads.",
            filename,
        )
    if as_frame and table.frame is None:
        table.frame = _frame_from_rows(table)
        table.rows = []
    return table


def _frame_from_rows(table: RawTable) -> pd.DataFrame:
    """Return the rows of a table read cell by cell as a frame of objects."""
    frame = pd.DataFrame(
        [row.cells for row in table.rows], columns=table.columns, dtype=object
    )
    frame.index = pd.Index(table.row_numbers, dtype="int64")
    return frame


class _TooManyRows(Exception):
    """Raised while reading, so an oversized table is never held in memory."""


class _TooManyColumns(Exception):
    """Raised while reading a record with data beyond ``MAX_COLUMNS``."""


def _limited(records: Iterable[list[Any]], max_rows: int) -> list[list[Any]]:
    """Collect records, raising ``_TooManyRows`` past the header and ``max_rows``.

    Blank records count too, so the limit is on records read, not data rows.
    Each record keeps at most ``MAX_COLUMNS`` cells, without Excel's trailing
    empty cells. Data beyond that raises ``_TooManyColumns``.
    """
    collected = []
    for record in records:
        cells = list(record[: MAX_COLUMNS + 1])
        while cells and not _filled(cells[-1]):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise _TooManyColumns
        collected.append(cells)
        if len(collected) > max_rows + 1:
            raise _TooManyRows
    return collected


def _failed(problem: str, fix: str, filename: str) -> RawTable:
    logger.info("upload rejected: %s %s", filename, problem)
    return RawTable(issues=[ParseIssue(None, None, "", f"The file {problem}", fix)])


def _decode(data: bytes) -> tuple[str | None, str, list[ParseIssue]]:
    """Return (text, encoding name, warnings); text is None if undecodable."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "strict"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", []
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        return None, "utf-16 without BOM", []
    try:
        return data.decode("utf-8", "strict"), "utf-8", []
    except UnicodeDecodeError as error:
        bad_offset = error.start
    text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else None
    encoding = "windows-1252"
    if text is None:
        text = data.decode("latin-1")
        encoding = "latin-1"
    line = data[:bad_offset].count(b"\n") + 1
    warning = ParseIssue(
        line,
        None,
        "",
        f"The file is not UTF-8, so it was read as {encoding} (Latin-1); the first "
        f"non-UTF-8 character is on line {line}",
        "Check that £ and € signs and accented names look right in the preview, "
        "or export as CSV UTF-8.",
    )
    return text, encoding, [warning]


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _sniff_separator(text: str) -> str:
    """Choose the separator that splits the first lines into equal, >1 fields."""
    lines = [line for line in text.splitlines()[: SNIFF_LINES * 2] if line.strip()]
    sample = "\n".join(lines[:SNIFF_LINES])
    best = ","
    best_score = (0, 0)
    for separator in SEPARATORS:
        try:
            counts = [
                len(record)
                for record in csv.reader(io.StringIO(sample), delimiter=separator)
                if any(cell.strip() for cell in record)
            ]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for count in counts if count == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = separator, score
    return best


def _read_csv(
    data: bytes, filename: str, max_rows: int, as_frame: bool = False
) -> RawTable:
    text, encoding, warnings = _decode(data)
    if text is None:
        return _failed(
            "looks like UTF-16 text without a byte order mark",
            "Export again as CSV UTF-8 (Excel: File > Save As > CSV UTF-8).",
            filename,
        )
    separator = _sniff_separator(text)
    columns = split_plain_csv(text, separator)
    if columns is not None and len(columns) > MAX_COLUMNS:
        # Wider files keep the per-cell reader, which enforces MAX_COLUMNS.
        columns = None
    if columns is not None:
        if len(columns[0]) > max_rows + 1:
            raise _TooManyRows
        table = _table_from_columns(columns, as_frame)
    else:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
            records = _limited(reader, max_rows)
        except csv.Error as error:
            return _failed(
                f"is not a readable CSV file ({error})",
                "Check for an unclosed quote mark, or export the file again as CSV.",
                filename,
            )
        table = _table_from_records(records)
    table.file_format = "csv"
    table.encoding = encoding
    table.separator = separator
    table.warnings[:0] = warnings
    if separator != ",":
        table.warnings.append(
            ParseIssue(
                None,
                None,
                "",
                f"Read as {_SEPARATOR_NAMES[separator]}-separated",
                "No action needed if the preview shows the columns correctly.",
            )
        )
    return table


def _table_from_records(records: list[list[Any]]) -> RawTable:
    """Build a RawTable from rows of cells; the first non-empty row is the header."""
    table = RawTable()
    header_index = next(
        (i for i, record in enumerate(records) if any(_filled(c) for c in record)),
        None,
    )
    if header_index is None:
        table.issues.append(
            ParseIssue(
                None,
                None,
                "",
                "The file has no header row",
                "Export the data again with the column names in the first row.",
            )
        )
        return table

    header = [str(_clean(cell)) for cell in records[header_index]]
    body = records[header_index + 1 :]
    width = max(index + 1 for index, name in enumerate(header) if name != "")
    # Columns with neither a header nor any data (Excel's empty column A, or
    # the trailing separators some exports add) are dropped. A value to the
    # right of the last header is reported per row below.
    kept = [
        index
        for index in range(width)
        if header[index] != ""
        or any(len(record) > index and _filled(record[index]) for record in body)
    ]
    table.columns = [header[index] for index in kept]

    for offset, record in enumerate(body):
        number = header_index + offset + 2
        cells = [_clean(c) for c in record]
        if not any(_filled(c) for c in cells):
            continue
        extra = cells[width:]
        if any(_filled(c) for c in extra):
            table.issues.append(
                ParseIssue(
                    number,
                    None,
                    show_value(" | ".join(str(c) for c in cells)),
                    f"has {len(cells)} values but the header has {width} columns",
                    "Put amounts with thousands separators in quotes, or remove "
                    "the separator character from the text; in Excel, export as "
                    "CSV so that it adds the quotes.",
                )
            )
            continue
        cells = cells[:width] + [""] * (width - len(cells))
        table.rows.append(RawRow(number, tuple(cells[index] for index in kept)))

    if not table.rows:
        table.issues.append(
            ParseIssue(
                None,
                None,
                "",
                "The file has a header row but no data rows",
                "Add at least one data row below the header.",
            )
        )
    return table


def _table_from_columns(columns: list[pa.ChunkedArray], as_frame: bool) -> RawTable:
    """Build a RawTable from the columns of ``split_plain_csv``.

    This is ``_table_from_records`` a column at a time, for records that all
    have the same length. ``split_plain_csv`` passes no whitespace but spaces
    and tabs inside a cell and no byte order mark, so stripping those two
    characters cleans a cell as ``_clean`` does.
    """
    table = RawTable()
    cleaned = [pc.utf8_trim(column, characters=" \t") for column in columns]
    filled = np.column_stack(
        [pc.greater(pc.binary_length(column), 0).to_numpy() for column in cleaned]
    )
    record_filled = filled.any(axis=1)
    if not record_filled.any():
        table.issues.append(
            ParseIssue(
                None,
                None,
                "",
                "The file has no header row",
                "Export the data again with the column names in the first row.",
            )
        )
        return table

    header_index = int(np.argmax(record_filled))
    header = [column[header_index].as_py() for column in cleaned]
    body_filled = filled[header_index + 1 :]
    width = max(index + 1 for index, name in enumerate(header) if name != "")
    kept = [
        index
        for index in range(width)
        if header[index] != "" or body_filled[:, index].any()
    ]
    table.columns = [header[index] for index in kept]

    # Record i (counting from 0) is spreadsheet row i + 1.
    has_extra = body_filled[:, width:].any(axis=1)
    for record_index in np.flatnonzero(has_extra) + header_index + 1:
        # _limited drops a record's trailing empty cells before it is counted.
        length = int(np.flatnonzero(filled[record_index])[-1]) + 1
        record = [column[record_index].as_py() for column in cleaned[:length]]
        table.issues.append(
            ParseIssue(
                int(record_index) + 1,
                None,
                show_value(" | ".join(record)),
                f"has {len(record)} values but the header has {width} columns",
                "Put amounts with thousands separators in quotes, or remove "
                "the separator character from the text; in Excel, export as "
                "CSV so that it adds the quotes.",
            )
        )
    use = np.flatnonzero(body_filled.any(axis=1) & ~has_extra) + header_index + 1
    if len(use) > 0 and use[-1] - use[0] + 1 == len(use):
        # Usually every record after the header is kept: slice, do not copy.
        picked = [cleaned[index][use[0] : use[-1] + 1] for index in kept]
    else:
        picked = [cleaned[index].take(pa.array(use)) for index in kept]
    frame = pd.DataFrame(
        {
            position: pd.Series(pd.array(column, dtype="str"), copy=False)
            for position, column in enumerate(picked)
        }
    )
    frame.columns = pd.Index(table.columns, dtype=object)
    frame.index = pd.Index(use + 1, dtype="int64")
    if as_frame:
        table.frame = frame
    else:
        lists = [frame.iloc[:, position].tolist() for position in range(len(kept))]
        table.rows = [
            RawRow(number, cells)
            for number, cells in zip(
                frame.index.tolist(), zip(*lists, strict=True), strict=True
            )
        ]

    if len(frame) == 0:
        table.issues.append(
            ParseIssue(
                None,
                None,
                "",
                "The file has a header row but no data rows",
                "Add at least one data row below the header.",
            )
        )
    return table


def _filled(cell: Any) -> bool:
    return _clean(cell) != ""


def _clean(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip().lstrip("\ufeff").strip()
    return cell


def _read_xlsx(data: bytes, filename: str, max_rows: int) -> RawTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        formulas_book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        return _failed(
            f"is not a readable Excel workbook ({error})",
            "Open it in Excel and save it again as .xlsx, or export as CSV.",
            filename,
        )
    sheets = [
        ws for ws in formulas_book.worksheets if ws.sheet_state == "visible"
    ] or list(formulas_book.worksheets)
    sheet = sheets[0]
    try:
        raw_records = _limited(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), max_rows
        )
    except (ValueError, TypeError, SyntaxError) as error:
        # openpyxl raises these for a cell whose stored text does not fit its
        # type (a number cell holding "NaN") and for damaged sheet XML.
        return _failed(
            f"is not a readable Excel workbook ({error})",
            "Open it in Excel and save it again as .xlsx, or export as CSV.",
            filename,
        )
    has_formula = any(
        isinstance(cell, str) and cell.startswith("=")
        for record in raw_records
        for cell in record
    )
    warnings: list[ParseIssue] = []
    records = raw_records
    if has_formula:
        values_book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        saved = _limited(
            values_book[sheet.title].iter_rows(
                values_only=True, max_col=MAX_COLUMNS + 1
            ),
            max_rows,
        )
        records = _merge_formula_values(raw_records, saved, warnings)
        values_book.close()
    if (sheet.max_column or 0) > MAX_COLUMNS + 1:
        warnings.append(
            ParseIssue(
                None,
                None,
                "",
                f"Only the first {MAX_COLUMNS + 1} columns of sheet '{sheet.title}' "
                f"were read, but its used range reaches column {sheet.max_column:,}",
                "Delete any cells to the right of the data and upload again.",
            )
        )
    other_sheets = [ws.title for ws in sheets[1:] if ws.max_row and ws.max_row > 1]
    formulas_book.close()
    table = _table_from_records([_normalise_excel(r) for r in records])
    table.file_format = "xlsx"
    table.sheet = sheet.title
    table.warnings[:0] = warnings
    if other_sheets:
        table.warnings.append(
            ParseIssue(
                None,
                None,
                "",
                f"Read the first sheet '{sheet.title}' only; other sheets "
                f"({', '.join(other_sheets)}) were ignored",
                "Move the data to the first sheet if it is on another one.",
            )
        )
    return table


def _merge_formula_values(
    formulas: list[list[Any]], saved: list[list[Any]], warnings: list[ParseIssue]
) -> list[list[Any]]:
    """Replace formulas by the value Excel saved; keep the formula if none saved."""
    from openpyxl.utils import get_column_letter

    merged = []
    for index, record in enumerate(formulas):
        saved_record = saved[index] if index < len(saved) else []
        row = []
        for position, cell in enumerate(record):
            if isinstance(cell, str) and cell.startswith("="):
                value = saved_record[position] if position < len(saved_record) else None
                if value is not None:
                    row.append(value)
                    reference = f"{get_column_letter(position + 1)}{index + 1}"
                    warnings.append(
                        ParseIssue(
                            index + 1,
                            None,
                            show_value(cell),
                            f"cell {reference} is a formula, so the value Excel "
                            f"saved ({show_value(value)}) was used",
                            "No action needed if the value is right.",
                        )
                    )
                    continue
            row.append(cell)
        merged.append(row)
    return merged


def _normalise_excel(record: list[Any]) -> list[Any]:
    """Turn Excel cell values into str, int, float, date or datetime."""
    cells = []
    for cell in record:
        if isinstance(cell, datetime):
            cells.append(cell)
        elif isinstance(cell, date):
            cells.append(datetime.combine(cell, time()))
        elif isinstance(cell, time):
            cells.append(cell.isoformat())
        else:
            cells.append(cell)
    return cells
