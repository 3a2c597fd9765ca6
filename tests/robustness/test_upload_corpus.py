"""Bad upload files: each is read correctly or rejected naming row, column and fix.

``parse_upload`` must never raise for a file's content: whatever an analyst's
spreadsheet exports gives either the right values or a list of ``ParseIssue``.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from ingest.upload import parse_upload
from tests.robustness.upload_files import (
    AUM_HEADER,
    aum_csv,
    workbook,
    workbook_with_raw_amount,
)

TODAY = date(2026, 12, 4)
ROOT = Path(__file__).resolve().parent.parent.parent


def parse(data: bytes, filename: str = "upload.csv", kind: str = "aum_month_end"):
    return parse_upload(kind, data, filename, today=TODAY)


# (label, file content, parsed amount of the first row)
READ_CORRECTLY = [
    ("plain", aum_csv("31/01/2026,1234.56,GBP,1"), 1234.56),
    ("utf-8-bom", codecs.BOM_UTF8 + aum_csv("31/01/2026,100,GBP,1"), 100.0),
    ("utf-16-bom", (AUM_HEADER + "31/01/2026,100,GBP,1\n").encode("utf-16"), 100.0),
    ("thousands-comma", aum_csv('31/01/2026,"1,234.56",GBP,1'), 1234.56),
    ("thousands-dot", aum_csv('31/01/2026,"1.234,56",GBP,1'), 1234.56),
    ("pound-sign", aum_csv('31/01/2026,"£1,234.00",GBP,1'), 1234.0),
    ("space-grouped", aum_csv("31/01/2026, 1 234,GBP,1"), 1234.0),
    ("no-break-space", aum_csv("31/01/2026,1\u00a0234,GBP,1"), 1234.0),
    ("plus-sign", aum_csv("31/01/2026,+1234,GBP,1"), 1234.0),
    ("iso-date", aum_csv("2026-01-31,5,GBP,1"), 5.0),
    ("excel-serial-date", aum_csv("46053,5,GBP,1"), 5.0),
    (
        "semicolon-decimal-comma",
        b"date;amount;currency;fx_rate_to_gbp\n31/01/2026;1.234,56;GBP;1\n",
        1234.56,
    ),
    (
        "latin-1",
        "date,amount,currency,fx_rate_to_gbp,portfolio\n31/01/2026,100,GBP,1,Café\n".encode(
            "latin-1"
        ),
        100.0,
    ),
]


@pytest.mark.parametrize(
    ("label", "data", "amount"), READ_CORRECTLY, ids=[c[0] for c in READ_CORRECTLY]
)
def test_variant_read_correctly(label: str, data: bytes, amount: float) -> None:
    upload = parse(data)
    assert upload.issues == []
    assert upload.frame["amount"].iloc[0] == amount


# (label, file content, row, column, words the message must contain)
REJECTED = [
    ("empty", b"", None, None, "empty"),
    ("blank-lines", b"\n\n\n", None, None, "empty"),
    ("header-only", aum_csv(), None, None, "no data rows"),
    ("wrong-columns", b"foo,bar\n1,2\n", 1, "amount", "missing"),
    (
        "duplicated-column",
        b"date,amount,amount,currency,fx_rate_to_gbp\n31/01/2026,1,2,GBP,1\n",
        1,
        "amount",
        "second column",
    ),
    (
        "utf-16-without-bom",
        (AUM_HEADER + "31/01/2026,100,GBP,1\n").encode("utf-16-le"),
        None,
        None,
        "UTF-16",
    ),
    ("negative-bracketed", aum_csv('31/01/2026,"(1,234)",GBP,1'), 2, "amount", "neg"),
    ("negative", aum_csv("31/01/2026,-5,GBP,1"), 2, "amount", "negative"),
    ("dollar-in-gbp-row", aum_csv('31/01/2026,"$1,234",GBP,1'), 2, "amount", "USD"),
    ("text", aum_csv("31/01/2026,abc,GBP,1"), 2, "amount", "not a number"),
    ("nan", aum_csv("31/01/2026,NaN,GBP,1"), 2, "amount", "not a number"),
    ("infinity", aum_csv("31/01/2026,inf,GBP,1"), 2, "amount", "not a number"),
    ("scientific", aum_csv("31/01/2026,1e300,GBP,1"), 2, "amount", "scientific"),
    ("400-digits", aum_csv("31/01/2026," + "9" * 400 + ",GBP,1"), 2, "amount", "large"),
    ("30-digits", aum_csv("31/01/2026," + "9" * 30 + ",GBP,1"), 2, "amount", "large"),
    ("percent", aum_csv("31/01/2026,5%,GBP,1"), 2, "amount", "percentage"),
    ("formula-amount", aum_csv("31/01/2026,=1+1,GBP,1"), 2, "amount", "formula"),
    ("future-date", aum_csv("31/12/2027,5,GBP,1"), 2, "date", "future"),
    ("impossible-date", aum_csv("31/02/2026,5,GBP,1"), 2, "date", "28 days"),
    ("two-digit-year", aum_csv("31/01/26,5,GBP,1"), 2, "date", "two-digit"),
    ("month-first-date", aum_csv("01/31/2026,5,GBP,1"), 2, "date", "month-first"),
    (
        "duplicate-date",
        aum_csv("31/01/2026,5,GBP,1", "31/01/2026,6,GBP,1"),
        3,
        "date",
        "repeats row 2",
    ),
    (
        "missing-month",
        aum_csv("31/01/2026,5,GBP,1", "31/03/2026,6,GBP,1"),
        None,
        "date",
        "2026-02",
    ),
    (
        "mixed-separators",
        aum_csv('31/01/2026,"1,234.56",GBP,1', '28/02/2026,"1.234,56",GBP,1'),
        3,
        "amount",
        "decimal separator",
    ),
    ("zero-fx-rate", aum_csv("31/01/2026,5,USD,0"), 2, "fx_rate_to_gbp", "positive"),
    (
        "text-fx-rate",
        aum_csv("31/01/2026,5,USD,abc"),
        2,
        "fx_rate_to_gbp",
        "not a number",
    ),
    ("bad-currency", aum_csv("31/01/2026,5,US$,0.79"), 2, "currency", "currency code"),
    ("nul-byte", aum_csv("31/01/2026,5\x00,GBP,1"), 2, "amount", "not a number"),
    ("ragged-row", aum_csv("31/01/2026,5,GBP,1,extra,more"), 2, None, "6 values"),
    ("hex-number", aum_csv("31/01/2026,0x10,GBP,1"), 2, "amount", "not a number"),
    (
        "fullwidth-digits",
        aum_csv("31/01/2026,\uff11\uff12\uff13,GBP,1"),
        2,
        "amount",
        "not a number",
    ),
    (
        "excel-name-csv-content",
        aum_csv("31/01/2026,5,GBP,1"),
        None,
        None,
        "not an Excel",
    ),
    # A header made only of byte order marks used to raise ValueError (max of
    # an empty sequence) instead of reporting a missing header.
    (
        "header-of-byte-order-marks",
        "\ufeff\ufeff\n31/01/2026,5,GBP,1\n".encode(),
        None,
        None,
        "header",
    ),
]


@pytest.mark.parametrize(
    ("label", "data", "row", "column", "words"), REJECTED, ids=[c[0] for c in REJECTED]
)
def test_bad_file_rejected(label, data, row, column, words) -> None:
    filename = "upload.xlsx" if label == "excel-name-csv-content" else "upload.csv"
    upload = parse(data, filename)
    assert not upload.ok
    assert upload.frame.empty
    first = upload.issues[0]
    matching = [issue for issue in upload.issues if words in str(issue)]
    assert matching, [str(issue) for issue in upload.issues]
    assert matching[0].row == row
    if column is not None:
        assert matching[0].column == column
    assert first.fix


def test_formula_text_kept_with_warning() -> None:
    data = (
        b"date,amount,currency,fx_rate_to_gbp,portfolio\n"
        b'31/01/2026,100,GBP,1,"=HYPERLINK(""http://example.com"",""x"")"\n'
    )
    upload = parse(data)
    assert upload.ok
    assert upload.frame["portfolio"].iloc[0].startswith("=HYPERLINK(")
    assert [warning.column for warning in upload.warnings] == ["portfolio"]


@pytest.mark.parametrize(
    "filename", ["../../etc/passwd.csv", "a/b\\c.csv", "..", "con.csv", "x\x00.csv"]
)
def test_odd_file_name_is_only_a_label(filename: str, tmp_path, monkeypatch) -> None:
    # The name selects CSV or Excel and appears in messages; it is never a path.
    monkeypatch.chdir(tmp_path)
    upload = parse(aum_csv("31/01/2026,5,GBP,1"), filename)
    assert upload.ok
    assert upload.frame["amount"].tolist() == [5.0]
    assert list(tmp_path.iterdir()) == []


def test_rows_out_of_order_sorted() -> None:
    upload = parse(aum_csv("28/02/2026,5,GBP,1", "31/01/2026,6,GBP,1"))
    assert upload.ok
    assert upload.frame["date"].tolist() == [date(2026, 1, 31), date(2026, 2, 28)]
    assert upload.frame["amount"].tolist() == [6.0, 5.0]
    assert any("order" in warning.message for warning in upload.warnings)


# Excel workbooks.


def test_workbook_dates_and_numbers_read() -> None:
    data = workbook(
        [
            ["date", "amount", "currency", "fx_rate_to_gbp"],
            [date(2026, 1, 31), 1234.56, "GBP", 1],
            ["28/02/2026", "1,234.56", "GBP", "1"],
        ]
    )
    upload = parse(data, "upload.xlsx")
    assert upload.issues == []
    assert upload.frame["amount"].tolist() == [1234.56, 1234.56]


@pytest.mark.parametrize(
    ("raw_value", "words"),
    [
        # Cell text that openpyxl cannot convert used to escape as ValueError.
        ("NaN", "not a readable Excel workbook"),
        ("abc", "not a readable Excel workbook"),
        # An integer beyond the float range used to escape as OverflowError.
        ("1" + "0" * 400, "too large"),
        # A finite number far above any real balance used to be accepted.
        ("1e300", "too large"),
        ("1E+400", "finite"),
    ],
)
def test_workbook_raw_cell_rejected(raw_value: str, words: str) -> None:
    upload = parse(workbook_with_raw_amount(raw_value), "upload.xlsx")
    assert not upload.ok
    assert any(words in str(issue) for issue in upload.issues), [
        str(issue) for issue in upload.issues
    ]


def test_workbook_formula_without_value_rejected() -> None:
    data = workbook(
        [
            ["date", "amount", "currency", "fx_rate_to_gbp"],
            [date(2026, 1, 31), "=1000+234.56", "GBP", 1],
        ]
    )
    upload = parse(data, "upload.xlsx")
    assert [(issue.row, issue.column) for issue in upload.issues] == [(2, "amount")]
    assert "formula" in upload.issues[0].message


FAR_CELL_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    from datetime import date
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from ingest.upload import parse_upload
    data = open(sys.argv[1], "rb").read()
    upload = parse_upload("aum_month_end", data, "upload.xlsx", today=date(2026, 12, 4))
    print(upload.ok, upload.frame["amount"].tolist() if upload.ok else "")
    print("|".join(str(issue) for issue in upload.issues))
    print("|".join(str(warning) for warning in upload.warnings))
    """
)


@pytest.mark.parametrize(
    ("far_cell", "expected_ok"),
    [
        # Column XFD on row 3: only the first 101 columns are read.
        ((3, 16_384), True),
        # Row 1,048,576 and column XFD: this 5 KB file used to expand into
        # 200,000 rows of 16,384 empty cells and exhaust memory.
        ((1_048_576, 16_384), False),
    ],
)
def test_workbook_far_cell_bounded(tmp_path, far_cell, expected_ok) -> None:
    data = workbook(
        [
            ["date", "amount", "currency", "fx_rate_to_gbp"],
            [date(2026, 1, 31), 5, "GBP", 1],
        ],
        far_cell=far_cell,
    )
    assert len(data) < 10_000
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    # A child process with 1.5 GB of address space, so that a regression fails
    # this test instead of exhausting the machine's memory.
    completed = subprocess.run(
        [sys.executable, "-c", FAR_CELL_SCRIPT, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    first_line, issues, warnings = completed.stdout.splitlines()[:3]
    if expected_ok:
        assert first_line == "True [5.0]"
        assert "reaches column 16,384" in warnings
    else:
        assert first_line.startswith("False")
        assert "rows" in issues


def test_workbook_data_beyond_column_limit_rejected() -> None:
    header = ["date", "amount", "currency", "fx_rate_to_gbp"]
    # The 101st cell contains data: it is read and rejected, naming the limit.
    wide_row = [date(2026, 1, 31), 5, "GBP", 1] + [None] * 96 + ["stray"]
    assert len(wide_row) == 101
    upload = parse(workbook([header, wide_row]), "upload.xlsx")
    assert not upload.ok
    assert "100 columns" in str(upload.issues[0])


def test_csv_line_of_separators_bounded() -> None:
    # Trailing separators are empty columns: ignored, and not copied per cell.
    data = aum_csv("31/01/2026,5,GBP,1" + "," * 200_000)
    upload = parse(data)
    assert upload.ok
    assert upload.frame["amount"].tolist() == [5.0]


# Large files.


def _client_money_rows(count_per_account: int, accounts: int) -> tuple[bytes, float]:
    from calc.calendar import business_days_between

    days = business_days_between(date(1990, 1, 1), date(2026, 11, 30))
    days = days[-count_per_account:]
    lines = ["date,segregated,amount,account"]
    total = 0.0
    for account in range(accounts):
        amount = 1000 + account + 0.5
        for day in days:
            lines.append(f"{day:%d/%m/%Y},yes,{amount:.2f},account {account}")
            total += amount
    return ("\n".join(lines) + "\n").encode(), total


@pytest.mark.slow
def test_hundred_thousand_rows_parsed() -> None:
    data, total = _client_money_rows(9_100, 11)
    upload = parse(data, kind="client_money_daily")
    assert upload.issues == []
    assert len(upload.frame) == 100_100
    assert upload.frame["amount"].sum() == pytest.approx(total)


@pytest.mark.slow
def test_hundred_thousand_rows_one_bad_cell() -> None:
    data, _ = _client_money_rows(9_100, 11)
    data = data[: data.rindex(b"1010.50")] + b"1O10.50,account 10\n"
    upload = parse(data, kind="client_money_daily")
    assert upload.frame.empty
    assert [(issue.row, issue.column) for issue in upload.issues] == [
        (100_101, "amount")
    ]


def test_file_over_fifty_megabytes_rejected() -> None:
    line = b"31/01/2026,5,GBP,1\n"
    data = AUM_HEADER.encode() + line * (50 * 1024 * 1024 // len(line) + 1)
    assert len(data) > 50 * 1024 * 1024
    upload = parse(data)
    assert [issue.row for issue in upload.issues] == [None]
    assert "over the limit of 50 MB" in upload.issues[0].message
    assert "Split the file" in upload.issues[0].fix
