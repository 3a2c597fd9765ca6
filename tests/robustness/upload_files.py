"""Builders of upload files for the robustness tests: CSV text and .xlsx bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

AUM_HEADER = "date,amount,currency,fx_rate_to_gbp\n"


def aum_csv(*rows: str, header: str = AUM_HEADER) -> bytes:
    """Return a month-end AUM CSV with ``rows`` below ``header``, UTF-8."""
    return (header + "".join(f"{row}\n" for row in rows)).encode("utf-8")


def workbook(rows: list[list[Any]], far_cell: tuple[int, int] | None = None) -> bytes:
    """Return an .xlsx file with ``rows`` on its only sheet.

    ``far_cell`` (row, column) adds a one-character cell there, which stretches
    the sheet's used range the way a stray keystroke in Excel does.
    """
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far_cell is not None:
        sheet.cell(row=far_cell[0], column=far_cell[1], value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_with_raw_amount(raw_value: str) -> bytes:
    """Return a month-end AUM workbook whose amount cell contains ``raw_value``.

    The value is written into the sheet XML as it stands, as another program
    could, because openpyxl refuses to write NaN or numbers beyond a float.
    """
    placeholder = 12345
    data = workbook(
        [
            ["date", "amount", "currency", "fx_rate_to_gbp"],
            [date(2026, 1, 31), placeholder, "GBP", 1],
        ]
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                marker = f"<v>{placeholder}</v>".encode()
                assert marker in content
                content = content.replace(marker, f"<v>{raw_value}</v>".encode())
            target.writestr(item, content)
    return output.getvalue()
