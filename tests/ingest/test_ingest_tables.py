"""The low-level reader: encodings, separators, quoting, Excel files and limits."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from ingest.tables import TableLimits, is_formula_text, read_table

ROWS = 'date,amount\n31/12/2025,"1,234.56"\n01/01/2026,7\n'


def cells(table):
    return [list(row.cells) for row in table.rows]


def test_utf8_without_bom():
    table = read_table(ROWS.encode(), "a.csv")
    assert table.ok
    assert table.encoding == "utf-8"
    assert table.columns == ["date", "amount"]
    assert cells(table) == [["31/12/2025", "1,234.56"], ["01/01/2026", "7"]]


def test_utf8_bom_removed_from_first_header():
    table = read_table(b"\xef\xbb\xbf" + ROWS.encode(), "a.csv")
    assert table.encoding == "utf-8-sig"
    assert table.columns[0] == "date"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    text = "name,amount\nCafé £,1\n"
    data = text.encode(codec)
    if codec != "utf-16":
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        data = bom + data
    table = read_table(data, "a.csv")
    assert table.ok, table.issues
    assert cells(table) == [["Café £", "1"]]


def test_utf16_without_bom_rejected():
    table = read_table("name,amount\nx,1\n".encode("utf-16-le"), "a.csv")
    assert not table.ok
    assert "UTF-16" in table.issues[0].message
    assert "UTF-8" in table.issues[0].fix


def test_latin1_fallback_warns():
    table = read_table("name,amount\nCafé £,1\n".encode("latin-1"), "a.csv")
    assert table.ok
    assert cells(table) == [["Café £", "1"]]
    assert table.warnings[0].row == 2
    assert "not UTF-8" in table.warnings[0].message


def test_windows_1252_euro_sign():
    table = read_table("name,amount\n€ fund,1\n".encode("cp1252"), "a.csv")
    assert cells(table) == [["€ fund", "1"]]
    assert table.encoding == "windows-1252"


@pytest.mark.parametrize(
    ("separator", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_separator_sniffed(separator, name):
    text = f"date{separator}amount\n31/12/2025{separator}1.234,56\n"
    table = read_table(text.encode(), "a.csv")
    assert table.separator == separator
    assert cells(table) == [["31/12/2025", "1.234,56"]]
    assert name in table.warnings[-1].message


def test_quoted_fields_with_separator_and_newline():
    text = 'title,amount\n"Rent, office ""A""\nsecond line",5\n'
    table = read_table(text.encode(), "a.csv")
    assert cells(table) == [['Rent, office "A"\nsecond line', "5"]]


def test_unquoted_thousands_separator_reported():
    table = read_table(b"date,amount\n31/12/2025,1,234.56\n", "a.csv")
    assert not table.ok
    issue = table.issues[0]
    assert issue.row == 2
    assert "3 values" in issue.message
    assert "quotes" in issue.fix


def test_empty_file_rejected():
    table = read_table(b"", "a.csv")
    assert not table.ok
    assert table.issues[0].message == "The file is empty"


def test_whitespace_only_file_rejected():
    assert not read_table(b"\xef\xbb\xbf \r\n\r\n", "a.csv").ok


def test_header_only_rejected():
    table = read_table(b"date,amount\r\n", "a.csv")
    assert not table.ok
    assert "no data rows" in table.issues[0].message


def test_blank_rows_skipped_but_counted():
    table = read_table(b"date,amount\n\n31/12/2025,1\n,\n01/01/2026,2\n", "a.csv")
    assert [row.number for row in table.rows] == [3, 5]


def test_trailing_empty_columns_dropped():
    table = read_table(b"date,amount,,\n31/12/2025,1,,\n", "a.csv")
    assert table.columns == ["date", "amount"]


def test_short_rows_padded():
    table = read_table(b"a,b,c\n1,2\n", "a.csv")
    assert cells(table) == [["1", "2", ""]]


def test_size_limit_rejects_large_file():
    line = b"31/12/2025,1234567.89,GBP,1\n"
    data = b"date,amount,currency,fx_rate_to_gbp\n" + line * (
        52 * 1024 * 1024 // len(line)
    )
    assert len(data) > 50 * 1024 * 1024
    table = read_table(data, "big.csv")
    assert not table.ok
    assert "over the limit of 50 MB" in table.issues[0].message
    assert "Split" in table.issues[0].fix


def test_size_limit_configurable():
    table = read_table(ROWS.encode(), "a.csv", TableLimits(max_bytes=10))
    assert "over the limit" in table.issues[0].message


def test_row_limit():
    table = read_table(ROWS.encode(), "a.csv", TableLimits(max_rows=1))
    assert not table.ok
    assert "more than 1 rows below the header" in table.issues[0].message


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_values_and_dates():
    data = xlsx_bytes(
        [["date", "amount"], [date(2025, 12, 31), 1234.56], [datetime(2026, 1, 2), "7"]]
    )
    table = read_table(data, "upload.xlsx")
    assert table.ok
    assert table.file_format == "xlsx"
    assert table.sheet == "Data"
    assert cells(table) == [
        [datetime(2025, 12, 31), 1234.56],
        [datetime(2026, 1, 2), "7"],
    ]


def test_xlsx_formula_without_saved_value_kept_as_text():
    data = xlsx_bytes([["date", "amount"], [date(2025, 12, 31), "=1+2"]])
    table = read_table(data, "upload.xlsx")
    assert cells(table)[0][1] == "=1+2"


def test_xlsx_other_sheets_reported():
    book = openpyxl.Workbook()
    book.active.append(["date", "amount"])
    book.active.append(["31/12/2025", 1])
    extra = book.create_sheet("Notes")
    extra.append(["note"])
    extra.append(["text"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "upload.xlsx")
    assert any("Notes" in warning.message for warning in table.warnings)


def test_old_xls_rejected():
    table = read_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls")
    assert not table.ok
    assert ".xlsx" in table.issues[0].fix


def test_fake_xlsx_rejected():
    table = read_table(b"date,amount\n1,2\n", "upload.xlsx")
    assert not table.ok
    assert "not an Excel workbook" in table.issues[0].message


def test_corrupt_zip_rejected():
    table = read_table(b"PK\x03\x04garbage", "upload.xlsx")
    assert not table.ok
    assert "not a readable Excel workbook" in table.issues[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', True),
        ("@SUM(A1)", True),
        ("+cmd", True),
        ("-cmd", True),
        ("-5", False),
        ("+44 20 7946 0000", False),
        ("Rent", False),
        ("", False),
    ],
)
def test_is_formula_text(text, expected):
    assert is_formula_text(text) is expected


def test_xlsx_saved_formula_value_used_and_blank_margin_dropped():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Data")
    sheet.write_string(2, 1, "date")
    sheet.write_string(2, 2, "amount")
    sheet.write_string(3, 1, "31/01/2026")
    sheet.write_formula(3, 2, "=1+2", None, 3)
    book.close()
    table = read_table(buffer.getvalue(), "upload.xlsx")
    assert table.columns == ["date", "amount"]
    assert table.rows[0].number == 4
    assert table.rows[0].cells == ("31/01/2026", 3)
    assert "C4" in table.warnings[0].message


def test_column_without_header_but_with_data_kept():
    table = read_table(b"date,,amount\n31/12/2025,x,1\n", "a.csv")
    assert table.columns == ["date", "", "amount"]
