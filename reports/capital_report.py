"""The capital report: MIF001 and MIF002 rows and every headline result, as CSV.

The CSV is UTF-8 with a byte order mark, text cells that a spreadsheet could
run as formulas are neutralised, and GBP amounts are rounded to the penny
(``calc.money.round_gbp``) at export, never before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from calc.rules import RULES_VERSION
from reports.results import ResultsView
from reports.returns import ReturnRow, mif001_rows, mif002_rows
from reports.safe_csv import export_value, to_safe_csv

COLUMNS = ["return", "section", "reference", "item", "value", "unit", "rule"]


def _return_records(name: str, rows: list[ReturnRow]) -> list[dict[str, Any]]:
    return [
        {
            "return": name,
            "section": row.section,
            "reference": row.reference,
            "item": row.label,
            "value": export_value(row.value, row.unit),
            "unit": row.unit,
            "rule": row.rule,
        }
        for row in rows
    ]


def capital_report_frame(
    source: Any, firm_name: str = "", calculation_date: date | None = None
) -> pd.DataFrame:
    """Build the report table from a FirmPosition or a mapping of results.

    Rows: the report header (firm, calculation date, rules version), MIF001,
    MIF002, then the headline value of every calculator that ran.
    """
    view = ResultsView.of(source)
    header = [
        ("Firm", firm_name),
        ("Calculation date", calculation_date.isoformat() if calculation_date else ""),
        ("Rules version", RULES_VERSION),
    ]
    records: list[dict[str, Any]] = [
        {
            "return": "Report",
            "section": "Report",
            "reference": "",
            "item": label,
            "value": text,
            "unit": "text",
            "rule": "",
        }
        for label, text in header
    ]
    records += _return_records("MIF001", mif001_rows(view))
    records += _return_records("MIF002", mif002_rows(view))
    for name, result in view.results.items():
        unit = str(result.get("unit", "GBP"))
        records.append(
            {
                "return": "Results",
                "section": "Calculator results",
                "reference": name,
                "item": view.title(name),
                "value": export_value(result.get("value"), unit),
                "unit": unit,
                "rule": view.rule(name),
            }
        )
    return pd.DataFrame(records, columns=COLUMNS)


def capital_report_csv(
    source: Any, firm_name: str = "", calculation_date: date | None = None
) -> bytes:
    """Return the capital report as CSV bytes (UTF-8 with BOM, formula-safe)."""
    frame = capital_report_frame(source, firm_name, calculation_date)
    return to_safe_csv(frame, money_columns=[])
