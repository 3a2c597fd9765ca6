"""The capital workbook: one Excel sheet per area, GBP cells in GBP number format.

Sheets: Summary, MIF001, MIF002, one sheet of working steps per calculator
group (requirements, K-factors, own funds, liquidity, ICARA) and Inputs. Text
is written with ``write_string`` so that nothing in a label or an uploaded name
becomes a formula.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter

from calc.rules import RULES_VERSION
from reports.results import ResultsView
from reports.returns import ReturnRow, mif001_rows, mif002_rows
from reports.safe_csv import export_value

GBP_FORMAT = "£#,##0.00;[Red]-£#,##0.00"
RATIO_FORMAT = "0.00%"
EXCEL_CELL_TEXT_LIMIT = 32_767  # characters, Excel's maximum for one cell
TRUNCATED = " ... (truncated; the full inputs are in the saved calculation)"
SHEET_GROUPS = {
    "Requirements": ("pmr", "fixed_overheads", "sni", "own_funds_requirement"),
    "K-factors": (
        "k_aum",
        "k_cmh",
        "k_asa",
        "k_coh",
        "k_npr",
        "k_cmg",
        "k_tcd",
        "k_dtf",
        "k_con",
        "k_factor_requirement",
    ),
    "Own funds": ("own_funds_composition",),
    "Liquidity": ("liquidity",),
    "ICARA": ("risk_assessment", "wind_down", "icara"),
}


class _Writer:
    """Cell writing with one format per unit."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.gbp = book.add_format({"num_format": GBP_FORMAT})
        self.ratio = book.add_format({"num_format": RATIO_FORMAT})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})

    def cell(
        self, sheet: Any, row: int, column: int, value: Any, unit: str = ""
    ) -> None:
        """Write one value with the format for its unit."""
        if value is None:
            sheet.write_blank(row, column, None)
        elif isinstance(value, bool):
            sheet.write_string(row, column, "yes" if value else "no")
        elif isinstance(value, int | float | Decimal):
            number = float(value)
            if not math.isfinite(number):
                sheet.write_string(row, column, "not a number")
            elif unit == "GBP":
                sheet.write_number(row, column, number, self.gbp)
            elif unit == "ratio":
                sheet.write_number(row, column, number, self.ratio)
            else:
                sheet.write_number(row, column, number)
        else:
            sheet.write_string(row, column, str(value))


def _return_sheet(book: Any, writer: _Writer, name: str, rows: list[ReturnRow]) -> None:
    sheet = book.add_worksheet(name)
    headers = ["Reference", "Section", "Item", "Value", "Unit", "Rule"]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, writer.bold)
    for index, row in enumerate(rows, start=1):
        sheet.write_string(index, 0, row.reference)
        sheet.write_string(index, 1, row.section)
        sheet.write_string(index, 2, row.label)
        writer.cell(sheet, index, 3, export_value(row.value, row.unit), row.unit)
        sheet.write_string(index, 4, row.unit)
        sheet.write_string(index, 5, row.rule)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 58)
    sheet.set_column(3, 3, 18)
    sheet.set_column(5, 5, 24)
    sheet.freeze_panes(1, 0)


def _steps_sheet(
    book: Any, writer: _Writer, title: str, names: tuple[str, ...], view: ResultsView
) -> None:
    present = [name for name in names if view.has(name)]
    if not present:
        return
    sheet = book.add_worksheet(title)
    row = 0
    for name in present:
        result = view.results[name]
        sheet.write_string(row, 0, view.title(name), writer.bold)
        writer.cell(sheet, row, 1, export_value(result.get("value"), "GBP"), "GBP")
        sheet.write_string(row, 2, view.rule(name))
        row += 1
        for step in result.get("steps", []):
            unit = str(step.get("unit", ""))
            sheet.write_string(row, 0, str(step.get("label", "")), writer.wrap)
            writer.cell(sheet, row, 1, export_value(step.get("amount"), unit), unit)
            sheet.write_string(row, 2, str(step.get("rule", "")))
            sheet.write_string(row, 3, str(step.get("note", "")))
            row += 1
        for warning in result.get("warnings", []):
            sheet.write_string(row, 0, f"Warning: {warning}", writer.wrap)
            row += 1
        row += 1
    sheet.set_column(0, 0, 70)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 3, 40)


def capital_workbook(
    source: Any, firm_name: str = "", calculation_date: date | None = None
) -> bytes:
    """Build the capital workbook from a FirmPosition or a mapping of results."""
    view = ResultsView.of(source)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    writer = _Writer(book)

    summary = book.add_worksheet("Summary")
    summary.write_string(0, 0, "Capital report", writer.title)
    facts = [
        ("Firm", firm_name, "text"),
        (
            "Calculation date",
            calculation_date.isoformat() if calculation_date else "",
            "text",
        ),
        ("Rules version", RULES_VERSION, "text"),
        ("Own funds requirement", view.value("own_funds_requirement"), "GBP"),
        ("Own funds", view.figure("own_funds_composition", "own_funds_gbp"), "GBP"),
        (
            "Surplus own funds",
            view.figure("own_funds_composition", "surplus_gbp"),
            "GBP",
        ),
        ("Basic liquid assets requirement", view.value("liquidity"), "GBP"),
        (
            "Core liquid assets",
            view.figure("liquidity", "core_liquid_assets_gbp"),
            "GBP",
        ),
        ("Surplus liquid assets", view.figure("liquidity", "surplus_gbp"), "GBP"),
    ]
    for index, (label, value, unit) in enumerate(facts, start=2):
        summary.write_string(index, 0, label, writer.bold)
        writer.cell(summary, index, 1, export_value(value, unit), unit)
    summary.set_column(0, 0, 34)
    summary.set_column(1, 1, 60)

    _return_sheet(book, writer, "MIF001", mif001_rows(view))
    _return_sheet(book, writer, "MIF002", mif002_rows(view))
    for title, names in SHEET_GROUPS.items():
        _steps_sheet(book, writer, title, names, view)

    inputs = book.add_worksheet("Inputs")
    inputs.write_string(0, 0, "Calculator", writer.bold)
    inputs.write_string(0, 1, "Inputs (JSON)", writer.bold)
    for index, (name, result) in enumerate(view.results.items(), start=1):
        inputs.write_string(index, 0, name)
        text = json.dumps(result.get("inputs", {}), default=str)
        if len(text) > EXCEL_CELL_TEXT_LIMIT:
            cut = EXCEL_CELL_TEXT_LIMIT - len(TRUNCATED)
            text = text[:cut] + TRUNCATED
        inputs.write_string(index, 1, text, writer.wrap)
    inputs.set_column(0, 0, 26)
    inputs.set_column(1, 1, 120)

    book.close()
    return buffer.getvalue()
