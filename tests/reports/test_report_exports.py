"""Report exports: safe CSV, the capital report, MIF001/MIF002 and the workbook."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from calc.position import firm_position
from calc.result import CalculationResult
from ingest.sample_firm import (
    parse_sample_files,
    read_sample_trades,
    sample_firm_inputs,
)
from reports import (
    capital_report_csv,
    capital_report_frame,
    capital_workbook,
    make_cell_safe,
    mif001_rows,
    mif002_rows,
    rows_frame,
    to_safe_csv,
)

CALCULATION_DATE = date(2026, 12, 1)


@pytest.fixture(scope="module")
def position():
    parsed = parse_sample_files()
    return firm_position(sample_firm_inputs(parsed, trades=read_sample_trades()))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tleading tab", "'\tleading tab"),
        ("\rleading return", "'\rleading return"),
        ("-1234.50", "-1234.50"),
        ("Rent", "Rent"),
        (-5.25, -5.25),
        (Decimal("-10.00"), Decimal("-10.00")),
        (None, ""),
        (True, "yes"),
    ],
)
def test_make_cell_safe(value, expected):
    assert make_cell_safe(value) == expected


def test_to_safe_csv_bom_formulas_and_pennies():
    frame = pd.DataFrame(
        {
            "item": ["=1+2", "Rent", "@x"],
            "amount_gbp": [1234.565, -0.004, -99.995],
            "ratio": [0.1 + 0.2, 1.5, float("nan")],
        }
    )
    rows = read_csv(to_safe_csv(frame))
    assert rows[0] == ["item", "amount_gbp", "ratio"]
    assert rows[1] == ["'=1+2", "1234.57", "0.30000000000000004"]
    assert rows[2] == ["Rent", "0.00", "1.5"]
    assert rows[3] == ["'@x", "-100.00", ""]


def test_to_safe_csv_pound_sign_survives():
    data = to_safe_csv(pd.DataFrame({"label": ["£1,000 fund"]}))
    assert "£1,000 fund" in data.decode("utf-8-sig")


def test_to_safe_csv_header_made_safe():
    rows = read_csv(to_safe_csv(pd.DataFrame({"=bad": [1]})))
    assert rows[0] == ["'=bad"]


def test_mif001_rows_from_position(position):
    rows = {row.label: row for row in mif001_rows(position)}
    assert rows["Own funds requirement"].value == pytest.approx(
        position.own_funds_requirement_gbp
    )
    assert rows["Total own funds"].value == pytest.approx(position.own_funds_gbp)
    assert rows[
        "CET1 required (56% of the own funds requirement)"
    ].value == pytest.approx(0.56 * position.own_funds_requirement_gbp)
    assert rows["CET1 and AT1 required (75%)"].value == pytest.approx(
        0.75 * position.own_funds_requirement_gbp
    )
    assert rows["Own funds test met"].value is True
    assert rows["K-NPR (net position risk)"].value is None
    assert rows["Relevant expenditure (annual)"].value == pytest.approx(17_457_060.0)


def test_mif002_rows_from_position(position):
    rows = {row.label: row for row in mif002_rows(position)}
    fixed_overheads = position.results["fixed_overheads"].value
    assert rows["One third of the fixed overheads requirement"].value == pytest.approx(
        fixed_overheads / 3
    )
    assert rows["1.6% of guarantees provided to clients"].value == pytest.approx(
        0.016 * 250_000
    )
    assert rows["Total core liquid assets"].value == pytest.approx(9_671_360.0)
    assert rows["Coins and banknotes"].value == 0.0
    assert rows[
        "Surplus core liquid assets over the requirement"
    ].value == pytest.approx(position.liquidity_surplus_gbp)


def test_returns_accept_result_dicts(position):
    as_dicts = {name: result.to_dict() for name, result in position.results.items()}
    assert rows_frame(mif001_rows(as_dicts)).equals(rows_frame(mif001_rows(position)))


def test_returns_with_partial_results():
    result = CalculationResult("pmr", "PMR", 75_000.0, "MIFIDPRU 4.4", {})
    rows = {row.label: row for row in mif001_rows({"pmr": result})}
    assert rows["Permanent minimum requirement"].value == 75_000.0
    assert rows["Total own funds"].value is None


def test_returns_reject_other_types():
    with pytest.raises(TypeError, match="FirmPosition"):
        mif001_rows([1, 2])


def test_capital_report_csv(position):
    data = capital_report_csv(position, "=Evil Ltd", CALCULATION_DATE)
    rows = read_csv(data)
    assert rows[0] == [
        "return",
        "section",
        "reference",
        "item",
        "value",
        "unit",
        "rule",
    ]
    by_item = {(row[0], row[3]): row for row in rows[1:]}
    assert by_item[("Report", "Firm")][4] == "'=Evil Ltd"
    ofr = by_item[("MIF001", "Own funds requirement")]
    assert ofr[4] == "4364265.00"
    for row in rows[1:]:
        if row[5] == "GBP" and row[4]:
            assert row[4].split(".")[1].__len__() == 2, row


def test_capital_report_negative_numbers_stay_numbers():
    result = CalculationResult(
        "own_funds_composition",
        "Own funds composition",
        -5.0,
        "MIFIDPRU 3",
        {},
        figures={"surplus_gbp": -1234.567, "own_funds_gbp": 10.0},
    )
    frame = capital_report_frame({"own_funds_composition": result})
    surplus = frame[frame["item"] == "Surplus own funds over the own funds requirement"]
    assert surplus["value"].iloc[0] == Decimal("-1234.57")
    rows = read_csv(capital_report_csv({"own_funds_composition": result}))
    values = [row[4] for row in rows if row[3].startswith("Surplus own funds")]
    assert values == ["-1234.57"]


def test_workbook_sheets_and_formats(position):
    data = capital_workbook(position, "Sample Asset Management Ltd", CALCULATION_DATE)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[:3] == ["Summary", "MIF001", "MIF002"]
    for name in (
        "Requirements",
        "K-factors",
        "Own funds",
        "Liquidity",
        "ICARA",
        "Inputs",
    ):
        assert name in book.sheetnames
    sheet = book["MIF001"]
    ofr_rows = [
        row for row in sheet.iter_rows() if row[2].value == "Own funds requirement"
    ]
    cell = ofr_rows[0][3]
    assert cell.value == pytest.approx(4_364_265.0)
    assert "£" in cell.number_format


def test_workbook_keeps_formula_text_as_text():
    result = CalculationResult("pmr", "=cmd()", 1.0, "MIFIDPRU 4.4", {})
    data = capital_workbook({"pmr": result}, '=HYPERLINK("x")')
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["Summary"]["B3"].value == '=HYPERLINK("x")'
    assert book["Summary"]["B3"].data_type == "s"


def test_return_layout_frames_round_to_penny(position):
    """The MIF001/MIF002 tables on screen and in their CSV carry pennies only."""
    for rows in (mif001_rows(position), mif002_rows(position)):
        frame = rows_frame(rows)
        money = frame.loc[frame["unit"] == "GBP", "value"].dropna()
        assert len(money) > 0
        for value in money:
            assert isinstance(value, Decimal)
            assert value == value.quantize(Decimal("0.01"))
    kfr = rows_frame(mif001_rows(position))
    kfr_value = kfr.loc[kfr["item"] == "Total K-factor requirement", "value"].iloc[0]
    assert kfr_value == Decimal(repr(position.k_factor_requirement_gbp)).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )
