"""Reading analysts' uploads: CSV and Excel files, checked against a schema.

``parse_upload(kind, data, filename)`` is the one entry point for uploads. It
returns a ``ParsedUpload`` whose ``ok`` is False when any error was found, and
each error carries its spreadsheet row and column. ``ingest.tables`` contains the
low-level reader and cell parsers for callers with their own file formats.
"""

from ingest.issues import ParseIssue
from ingest.kinds import SCHEMAS
from ingest.tables import RawTable, TableLimits, parse_amount, parse_date, read_table
from ingest.upload import (
    ParsedUpload,
    column_table,
    get_schema,
    parse_upload,
    template_csv,
)

__all__ = [
    "SCHEMAS",
    "ParseIssue",
    "ParsedUpload",
    "RawTable",
    "TableLimits",
    "column_table",
    "get_schema",
    "parse_amount",
    "parse_date",
    "parse_upload",
    "read_table",
    "template_csv",
]
