"""Exports of calculation results: CSV, Excel workbook, return layouts, charts.

Every builder accepts a ``calc.position.FirmPosition`` or a mapping of
calculator name to ``CalculationResult`` (or its ``to_dict()`` form).
"""

from reports.capital_report import capital_report_csv, capital_report_frame
from reports.charts import ChartExportError, capital_chart, export_figure, figure_png
from reports.returns import mif001_rows, mif002_rows, rows_frame
from reports.safe_csv import make_cell_safe, to_safe_csv
from reports.workbook import capital_workbook

__all__ = [
    "ChartExportError",
    "capital_chart",
    "capital_report_csv",
    "capital_report_frame",
    "capital_workbook",
    "export_figure",
    "figure_png",
    "make_cell_safe",
    "mif001_rows",
    "mif002_rows",
    "rows_frame",
    "to_safe_csv",
]
