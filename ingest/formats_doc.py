"""Render docs/upload-formats.md from the schemas, so the page cannot drift.

Run ``.venv/bin/python -m ingest.formats_doc`` from the repository root to
rewrite the page after changing a schema; a test fails when they differ.
"""

from __future__ import annotations

from pathlib import Path

from ingest.kinds import SCHEMAS
from ingest.schemas import ColumnType, Period, Required, UploadSchema
from ingest.tables import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "upload-formats.md"

INTRODUCTION = f"""# Upload formats

Every upload goes through `ingest.parse_upload(kind, data, filename)`. A file is
used only when it has no errors: one bad cell rejects the whole file, and every
problem is listed with its spreadsheet row (the header is row 1), its column,
the value and the fix. A template with an example row for each kind is
available from `ingest.template_csv(kind)`.

## Files

- CSV or Excel `.xlsx` (the first visible sheet). Old `.xls` workbooks are
  rejected: save them as `.xlsx` or CSV.
- CSV text in UTF-8 with or without a byte order mark, or UTF-16 with a byte
  order mark. Other files are read as Windows-1252 (Latin-1) with a warning.
- Separator: comma, semicolon, tab or pipe, detected from the first lines.
  Quote fields that contain the separator.
- At most {DEFAULT_MAX_BYTES // 1_048_576} MB and {DEFAULT_MAX_ROWS:,} data rows
  (`ingest.tables.TableLimits`).
- Blank rows are skipped. The first non-empty row is the header.

## Headers

Headers match whatever their case, spacing and punctuation: `Month End`,
`month_end` and `MONTH-END` are the same header. Each column also accepts the
other names listed below. A header that matches no column is an error (a
misspelt optional column would otherwise fall back to its default), except
`notes`, `comment`, `remarks`, `source` and `reference`, which are ignored.
Where every amount of an upload is in GBP, `Amount (GBP)` is accepted for
`amount`.

## Cells

- **Amounts** accept `1234.56`, `1,234.56`, `1.234,56`, `1 234,56`, `(1,234)`
  for a negative, a leading or trailing minus, and £ $ € or an ISO code such as
  `GBP`. Whether `,` or `.` is the decimal separator is decided once per column
  from the values that show it, and the decision is reported; a column whose
  values could be read either way (`1,234` only) is read the UK way with a
  warning. Rejected: text, formulas, `NaN`, infinity, percentages and
  scientific notation such as `1.5E+09` (digits lost by Excel). A currency
  named in an amount cell must match the row's currency.
- **Dates** are day-first: `31/12/2025`, `31-12-2025`, `31.12.2025`, ISO
  `2025-12-31`, `31 Dec 2025`, Excel date cells and five-digit Excel serial
  numbers. Two-digit years and impossible dates (`31/02/2025`) are rejected, as
  are dates after today.
- **Yes/no** accepts yes, no, y, n, true, false, 1 and 0.
- **FX rates** are GBP per one unit of the currency (about 0.79 for USD), on the
  row's own date. A GBP row takes 1 when the rate is empty. Rates for USD,
  EUR, CHF, CAD, AUD, NZD and SGD outside their usual range are rejected as
  entered the wrong way round.
- **Text** that starts like a formula (`=HYPERLINK(...)`) is kept as text and
  flagged with a warning; exports write it with a leading apostrophe.

## Series

- A file may hold several series, one for each combination of the unique
  columns other than the date (each portfolio and currency, each account).
  Gaps are checked in each series separately.
- Month-end series need the last calendar day or the last business day of each
  month, and every month between the first and the last.
- Daily series hold England and Wales business days only (weekends and bank
  holidays are rejected). Balances need every business day between the first
  and the last date. For flows (client orders, trading flow) a missing day is a
  warning, because a day without orders counts as zero.
- Rows may come in any order; rows out of date order are sorted, with a
  warning. Rows that repeat the key columns of an earlier row are rejected.
"""


def render_schema(schema: UploadSchema) -> str:
    """Return the markdown section of one upload kind."""
    lines = [
        f"## {schema.title} (`{schema.kind}`)",
        "",
        f"Feeds {schema.rule}. {schema.description}",
        "",
    ]
    if schema.period == Period.MONTH_END:
        lines += ["Series: month-end, no missing months.", ""]
    elif schema.period == Period.BUSINESS_DAY:
        rule = "errors" if schema.missing_days_are_errors else "warnings"
        lines += [f"Series: business days; missing business days are {rule}.", ""]
    if schema.key:
        lines += [f"Unique together: {', '.join(schema.key)}.", ""]
    lines += [
        "| Column | Required | Type | Description | Also accepted |",
        "|---|---|---|---|---|",
    ]
    for column in schema.columns:
        required = "yes" if column.required == Required.YES else "no"
        kind = column.type.value
        if column.type in (ColumnType.AMOUNT, ColumnType.NUMBER, ColumnType.INTEGER):
            if column.allow_negative:
                kind += ", may be negative"
            if column.minimum is not None and column.maximum is not None:
                kind += f", {column.minimum:g} to {column.maximum:g}"
        description = column.description
        if column.type == ColumnType.CHOICE:
            description += ". Allowed: " + ", ".join(
                f"`{value}`" for value in column.canonical_choices()
            )
        aliases = ", ".join(column.aliases)
        lines.append(
            f"| `{column.name}` | {required} | {kind} | {description} | {aliases} |"
        )
    lines.append("")
    return "\n".join(lines)


def render_upload_formats() -> str:
    """Return the whole docs/upload-formats.md page."""
    sections = [INTRODUCTION]
    sections += [render_schema(schema) for schema in SCHEMAS.values()]
    return "\n".join(sections)


def main() -> None:
    """Write docs/upload-formats.md."""
    DOC_PATH.write_text(render_upload_formats(), encoding="utf-8")


if __name__ == "__main__":
    main()
