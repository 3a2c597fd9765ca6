"""The columnar CSV path against the per-cell path: same cells, values and issues.

``ingest.tables`` splits quote-free CSV text with pyarrow and falls back to
``csv.reader`` for everything else. ``ingest.columns`` reads each distinct
date, flag, choice or currency text once, and ``ingest.amounts`` reads plain
amounts such as ``1,234.56`` without ``parse_money``. Each test reads a file
twice, once as shipped and once with these shortcuts turned off
(``per_cell_path``), and compares everything the caller can see.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.saccr.trades import ALL_COLUMNS, TradeFileError, read_trade_file
from ingest import amounts, columns, plain_csv, tables
from ingest.kinds import SCHEMAS
from ingest.tables import MAX_COLUMNS, read_table
from ingest.upload import parse_upload

TODAY = date(2026, 12, 4)
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


@contextmanager
def per_cell_path():
    """Read every CSV file with ``csv.reader`` and parse every cell on its own."""
    with (
        mock.patch.object(tables, "split_plain_csv", return_value=None),
        mock.patch.object(columns, "_PURE_READER_TYPES", frozenset()),
        mock.patch.object(amounts, "_read_plain_amount", return_value=None),
    ):
        yield


@contextmanager
def counting_columnar_calls():
    """Count the files that the columnar path accepted."""
    accepted = []

    def spy(text, separator):
        columns = plain_csv.split_plain_csv(text, separator)
        accepted.append(columns is not None)
        return columns

    with mock.patch.object(tables, "split_plain_csv", side_effect=spy):
        yield accepted


def table_view(table):
    """Return every field of a RawTable that a caller can read, as plain data."""
    frame = None
    if table.frame is not None:
        frame = (
            list(table.frame.columns),
            table.frame.index.tolist(),
            [table.frame.iloc[:, i].tolist() for i in range(table.frame.shape[1])],
        )
    return {
        "columns": table.columns,
        "rows": [(row.number, row.cells) for row in table.rows],
        "row_numbers": table.row_numbers,
        "file_format": table.file_format,
        "encoding": table.encoding,
        "separator": table.separator,
        "issues": table.issues,
        "warnings": table.warnings,
        "frame": frame,
    }


def assert_same_table(data: bytes, filename: str = "upload.csv", **options):
    for as_frame in (False, True):
        columnar = read_table(data, filename, as_frame=as_frame, **options)
        with per_cell_path():
            per_cell = read_table(data, filename, as_frame=as_frame, **options)
        assert table_view(columnar) == table_view(per_cell)


def assert_same_upload(kind: str, data: bytes, filename: str = "upload.csv"):
    columnar = parse_upload(kind, data, filename, today=TODAY)
    with per_cell_path():
        per_cell = parse_upload(kind, data, filename, today=TODAY)
    assert columnar.issues == per_cell.issues
    assert columnar.warnings == per_cell.warnings
    assert columnar.notes == per_cell.notes
    pd.testing.assert_frame_equal(columnar.frame, per_cell.frame)
    pd.testing.assert_frame_equal(columnar.preview, per_cell.preview)
    return columnar


def read_trades(path: Path):
    """Return the TradeTable, or the issues of the TradeFileError raised."""
    try:
        return read_trade_file(path)
    except TradeFileError as error:
        return error.issues


def assert_same_trades(path: Path):
    columnar = read_trades(path)
    with per_cell_path():
        per_cell = read_trades(path)
    if isinstance(per_cell, tuple):
        assert columnar == per_cell
        return
    assert not isinstance(columnar, tuple), columnar
    pd.testing.assert_frame_equal(columnar.trades, per_cell.trades)
    pd.testing.assert_frame_equal(columnar.netting_sets, per_cell.netting_sets)


# --- hand-made files ------------------------------------------------------------

# Each case names the property of the file it checks. The files come from the
# cases in test_ingest_tables.py and test_ingest_upload.py, plus the shapes that
# decide between the two paths.
FILES = {
    "plain": b"date,amount\n31/12/2025,1234.56\n01/01/2026,7\n",
    "quoted thousands": b'date,amount\n31/12/2025,"1,234.56"\n01/01/2026,7\n',
    "quoted newline": b'a,b\n"x\ny",2\n3,4\n',
    "unquoted thousands": b"date,amount\n31/12/2025,1,234.56\n",
    "crlf": b"date,amount\r\n31/12/2025,1\r\n01/01/2026,2\r\n",
    "bare carriage returns": b"date,amount\r31/12/2025,1\r01/01/2026,2\r",
    "no final newline": b"date,amount\n31/12/2025,1",
    "blank rows counted": b"date,amount\n\n31/12/2025,1\n,\n01/01/2026,2\n",
    "blank lines before header": b"\n\n,\ndate,amount\n31/12/2025,1\n",
    "trailing blank lines": b"date,amount\n31/12/2025,1\n\n\n",
    "trailing empty columns": b"date,amount,,\n31/12/2025,1,,\n",
    "short rows": b"a,b,c\n1,2\n",
    "long row with data": b"a,b\n1,2,3\n4,5,\n",
    "data right of header": b"a,b,,\n1,2,,x\n3,4,,\n5,6,y,z\n",
    "column without header": b"a,,c\n1,2,3\n",
    "header only": b"date,amount\r\n",
    "header then blank rows": b"date,amount\n,\n , \n",
    "spaces and tabs": b" date ,\tamount\t\n 31/12/2025 , 1 \n",
    "semicolons": b"Date;Balance\n31/12/2025;1.234,56\n",
    "tabs": b"date\tamount\n31/12/2025\t1,234.56\n",
    "pipes": b"date|amount\n31/12/2025|1,234.56\n",
    "utf-8 bom": b"\xef\xbb\xbfdate,amount\n31/12/2025,1\n",
    "bom inside": "date,amount\n\ufeff31/12/2025,1\n".encode(),
    "utf-16": "date,amount\n31/12/2025,£1\n".encode("utf-16"),
    "windows-1252": "date,amount\n31/12/2025,€5\n".encode("cp1252"),
    "latin-1": b"date,amount\n31/12/2025,\x81 5\n",
    "no-break space": "date,amount\n31/12/2025,\u00a01 234\u00a0\n".encode(),
    "narrow no-break space": "date,amount\n31/12/2025,1\u202f234\n".encode(),
    "form feed": b"date,amount\n31/12/2025,1\x0c\n",
    "NUL": b"date,amount\n31/12/2025,1\x00\n",
    "non-ascii text": "name,amount\nZoë Müller,£5\n".encode(),
    "formula text": b"name,amount\n=HYPERLINK(1),-x\n",
    "one column": b"amount\n1\n\n2\n",
    "quote mid-field": b'a,b\nx"y,2\n',
    "text after closing quote": b'a,b\n"x"y,2\n',
    "unclosed quote": b'a,b\n"x,2\n',
    "space before quote": b'a,b\n "x,y",2\n',
}


@pytest.mark.parametrize("name", list(FILES))
def test_read_table_same_on_both_paths(name):
    assert_same_table(FILES[name])


def test_row_limit_same_on_both_paths():
    data = b"a,b\n" + b"1,2\n" * 5
    for max_rows in (4, 5, 6):
        assert_same_table(data, limits=tables.TableLimits(max_rows=max_rows))


def test_wide_file_same_on_both_paths():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 5))
    row = ",".join("1" for _ in range(MAX_COLUMNS + 5))
    assert_same_table(f"{header}\n{row}\n".encode())


def test_long_cell_same_on_both_paths():
    assert_same_table(b"a,b\n" + b"x" * 200_000 + b",1\n")


def test_columnar_path_taken_for_plain_files():
    with counting_columnar_calls() as accepted:
        read_table(FILES["plain"], "a.csv")
        read_table(FILES["semicolons"], "a.csv")
        read_table(FILES["quoted thousands"], "a.csv")
        read_table(FILES["no-break space"], "a.csv")
    assert accepted == [True, True, False, False]


def test_other_whitespace_is_every_other_space_character():
    expected = {
        chr(code)
        for code in range(0x110000)
        if chr(code).isspace() and chr(code) not in " \t\r\n"
    }
    assert set(plain_csv.OTHER_WHITESPACE) == expected


# --- generated cells --------------------------------------------------------------

DIGITS = st.text("0123456789", min_size=1, max_size=9)
AMOUNT_TEXT = st.one_of(
    DIGITS,
    st.builds("{}.{}".format, DIGITS, DIGITS),
    st.builds("{},{}".format, DIGITS, DIGITS),
    st.decimals(-1e12, 1e12, places=2, allow_nan=False).map("{:,}".format),
    st.decimals(0, 1e9, places=2, allow_nan=False).map(
        lambda value: f"{value:,}".replace(",", " ").replace(".", ",")
    ),
    st.builds("({})".format, DIGITS),
    st.builds("£{}".format, DIGITS),
    st.builds("{} USD".format, DIGITS),
    st.builds("-€{}".format, DIGITS),
    st.builds("{}-".format, DIGITS),
    st.sampled_from(
        ["", " ", "abc", "1.5E+09", "12%", "nan", "=A1", "1,23,4", "--5", "1.2.3"]
    ),
    st.text(" 0123456789.,()-£$€'aZ\t", max_size=12),
    st.integers(10**17, 10**20).map("{:,}".format),
)
DAY = st.dates(date(1990, 1, 1), date(2030, 12, 31))
DATE_TEXT = st.one_of(
    DAY.map(lambda day: day.isoformat()),
    DAY.map(lambda day: f"{day:%Y/%m/%d}"),
    DAY.map(lambda day: f"{day:%d/%m/%Y}"),
    DAY.map(lambda day: f"{day:%d-%m-%Y}"),
    DAY.map(lambda day: f"{day:%d.%m.%Y}"),
    DAY.map(lambda day: f"{day:%d %b %Y}"),
    DAY.map(lambda day: f"{day:%d-%b-%Y}"),
    DAY.map(lambda day: f"{day:%B} {day.day}, {day.year}"),
    DAY.map(lambda day: f"{day.isoformat()} 17:30"),
    DAY.map(lambda day: f"{day:%Y%m%d}"),
    DAY.map(lambda day: str((day - date(1899, 12, 30)).days)),
    st.sampled_from(
        ["31/02/2025", "29/02/2025", "13/31/2025", "31/12/25", "2025", "", "x"]
    ),
    st.text("0123456789/-. JanFebSept", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(AMOUNT_TEXT)
def test_plain_amount_reader_matches_parse_money(text):
    plain = amounts._read_plain_amount(text)
    if plain is not None:
        assert plain == amounts.parse_money(text, amounts.DecimalSeparator.DOT)


@pytest.mark.parametrize(
    "text", ["0", "-0", "0012", "1,234", "-1,234,567.891", "12.5", "1234.567"]
)
def test_plain_amount_reader_reads_plain_forms(text):
    plain = amounts._read_plain_amount(text)
    assert plain is not None
    assert plain == amounts.parse_money(text, amounts.DecimalSeparator.DOT)


@pytest.mark.parametrize(
    "text",
    [
        "9" * 400,
        "2" + "0" * 18,
        "-1" + "0" * 19,
        "1,23",
        "(5)",
        "£5",
        " 5",
        "5-",
    ],
)
def test_plain_amount_reader_leaves_other_forms(text):
    assert amounts._read_plain_amount(text) is None


@given(st.text(max_size=20) | AMOUNT_TEXT)
def test_digits_only_keeps_digits_and_marks(text):
    expected = "".join(ch for ch in text if ch.isdigit() or ch in ".,")
    assert amounts._digits_only(text) == expected


FLAG_TEXT = st.sampled_from(["yes", "No", "Y", "n", "TRUE", "0", "", "maybe"])
SEPARATOR = st.sampled_from([";", ",", "\t", "|"])
LINE_END = st.sampled_from(["\n", "\r\n"])


@st.composite
def daily_files(draw):
    separator = draw(SEPARATOR)
    line_end = draw(LINE_END)
    count = draw(st.integers(1, 12))
    lines = [separator.join(["Date", "Segregated", "Balance"])]
    for _ in range(count):
        cells = [draw(DATE_TEXT), draw(FLAG_TEXT), draw(AMOUNT_TEXT)]
        lines.append(separator.join(cells))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), "")
    return (line_end.join(lines) + line_end).encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(daily_files())
def test_generated_daily_uploads_same_on_both_paths(data):
    assert_same_table(data)
    assert_same_upload("client_money_daily", data)


TRADE_TEMPLATE = {
    "trade_id": "T{index}",
    "netting_set_id": "NS1",
    "asset_class": "interest_rate",
    "hedging_set": "GBP",
    "direction": "long",
    "end_years": "5",
}


@st.composite
def trade_files(draw):
    separator = draw(st.sampled_from([";", "\t", "|"]))
    count = draw(st.integers(1, 8))
    header = [*TRADE_TEMPLATE, "notional", "maturity_years", "mtm"]
    lines = [separator.join(header)]
    for index in range(count):
        fixed = [value.format(index=index) for value in TRADE_TEMPLATE.values()]
        numbers = [draw(AMOUNT_TEXT) for _ in range(3)]
        lines.append(separator.join(fixed + numbers))
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trade_files())
def test_generated_trade_files_same_on_both_paths(data):
    assert_same_table(data, "trades.csv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trades.csv"
        path.write_bytes(data)
        assert_same_trades(path)


# --- sample data ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(path for path in SAMPLE_DATA.glob("*.csv") if path.stem in SCHEMAS),
    ids=lambda path: path.stem,
)
def test_sample_upload_same_on_both_paths(path):
    parsed = assert_same_upload(path.stem, path.read_bytes(), path.name)
    assert parsed.ok


def test_sample_trades_same_on_both_paths():
    assert_same_trades(SAMPLE_DATA / "trades.csv")


def test_full_trade_file_same_on_both_paths(tmp_path):
    path = tmp_path / "trades.csv"
    frame = pd.read_csv(SAMPLE_DATA / "trades.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(ALL_COLUMNS)
    frame.loc[1, "notional"] = "abc"
    frame.loc[2, "mtm"] = "(2 500)"
    frame.to_csv(path, index=False, sep=";")
    assert_same_trades(path)
