"""Trade file import: formats, row-level errors and all-or-nothing behaviour."""

from __future__ import annotations

import pandas as pd
import pytest

from calc.saccr import (
    TradeFileError,
    calculate_exposure,
    read_trade_file,
    template_csv,
    trade_table_from_records,
)
from calc.saccr.trades import ALL_COLUMNS, template_frame

HEADER = (
    "trade_id,netting_set_id,asset_class,hedging_set,notional,maturity_years,"
    "direction,mtm"
)


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def issues_of(error: TradeFileError) -> list[tuple[int | None, str | None]]:
    return [(issue.row, issue.column) for issue in error.issues]


def test_template_imports_and_has_every_column(tmp_path) -> None:
    path = write(tmp_path, "template.csv", template_csv())
    table = read_trade_file(path)
    assert list(template_frame().columns) == list(ALL_COLUMNS)
    assert len(table.trades) == 4
    assert set(table.netting_sets.index) == {"NS-BANK-A", "NS-FUND-B"}


def test_bom_semicolons_and_thousands(tmp_path) -> None:
    """A European export: BOM, ';' separator, '1.000.000,50' and '(2.500,00)'."""
    text = (
        HEADER.replace(",", ";")
        + "\nT1;NS;fx;EUR/GBP;1.000.000,50;1;long;(2.500,00)"
        + "\nT2;NS;fx;EUR/GBP;250000;0,5;short;1,5\n"
    )
    table = read_trade_file(write(tmp_path, "trades.csv", "\ufeff" + text))
    trades = table.trades.set_index("trade_id")
    assert trades.loc["T1", "notional"] == 1_000_000.5
    assert trades.loc["T1", "mtm"] == -2_500.0
    assert trades.loc["T2", "maturity_years"] == 0.5
    assert trades.loc["T2", "mtm"] == 1.5


def test_comma_thousands_in_quoted_cells(tmp_path) -> None:
    text = HEADER + '\nT1,NS,fx,EUR/GBP,"1,250,000.25",1,long,"-3,000"\n'
    trades = read_trade_file(write(tmp_path, "trades.csv", text)).trades
    assert trades["notional"].iloc[0] == 1_250_000.25
    assert trades["mtm"].iloc[0] == -3_000.0


def test_excel_file_gives_same_result_as_csv(tmp_path) -> None:
    frame = template_frame()
    excel = tmp_path / "trades.xlsx"
    frame.to_excel(excel, index=False)
    csv_path = write(tmp_path, "trades.csv", template_csv())
    from_excel = calculate_exposure(read_trade_file(excel)).netting_sets
    from_csv = calculate_exposure(read_trade_file(csv_path)).netting_sets
    pd.testing.assert_series_equal(
        from_excel["exposure_at_default"], from_csv["exposure_at_default"]
    )


def test_missing_columns_are_all_listed(tmp_path) -> None:
    path = write(
        tmp_path, "trades.csv", "trade_id,netting_set_id,asset_class\nT1,NS,fx\n"
    )
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(path)
    missing = {issue.column for issue in caught.value.issues}
    assert missing == {"notional", "maturity_years", "direction", "mtm"}
    assert all(issue.row is None for issue in caught.value.issues)


def test_bad_values_give_row_and_column(tmp_path) -> None:
    """Every bad cell is reported with its spreadsheet row; nothing is imported."""
    text = (
        HEADER
        + "\nT1,NS,fx,EUR/GBP,1000,1,long,0"
        + "\nT2,NS,fxx,EUR/GBP,abc,1,sideways,0"
        + "\nT3,NS,interest_rate,GBP,1000,-1,long,0"
        + "\nT1,NS,fx,EURGBP,1000,1,short,\n"
    )
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(write(tmp_path, "trades.csv", text))
    found = issues_of(caught.value)
    assert (3, "asset_class") in found
    assert (3, "notional") in found
    assert (3, "direction") in found
    assert (4, "maturity_years") in found
    assert (4, "end_years") in found
    assert (5, "hedging_set") in found
    assert (5, "mtm") in found
    assert (2, "trade_id") in found
    assert (5, "trade_id") in found
    assert (2, "notional") not in found


def test_message_names_row_column_value_and_expectation(tmp_path) -> None:
    text = HEADER + "\nT1,NS,fx,EUR/GBP,abc,1,long,0\n"
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(write(tmp_path, "trades.csv", text))
    message = str(caught.value)
    assert "Row 2, column 'notional' has 'abc'" in message
    assert "expected a number" in message
    assert "nothing was imported" in message


def test_option_without_price_is_rejected() -> None:
    rows = [
        {
            "trade_id": "O1",
            "netting_set_id": "NS",
            "asset_class": "equity",
            "sub_class": "single_name",
            "risk_factor": "ACME",
            "notional": 1000,
            "maturity_years": 1,
            "direction": "long",
            "mtm": 0,
            "option_type": "call",
            "option_position": "held",
        }
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    found = {column for _, column in issues_of(caught.value)}
    assert {"option_position", "underlying_price", "strike", "exercise_years"} <= found


def test_negative_rate_option_needs_shift() -> None:
    rows = [
        {
            "trade_id": "O1",
            "netting_set_id": "NS",
            "asset_class": "interest_rate",
            "hedging_set": "EUR",
            "notional": 1000,
            "end_years": 5,
            "maturity_years": 1,
            "direction": "long",
            "mtm": 0,
            "option_type": "put",
            "option_position": "bought",
            "underlying_price": -0.001,
            "strike": 0.0,
            "exercise_years": 1,
        }
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    found = {column for _, column in issues_of(caught.value)}
    assert found == {"underlying_price", "strike"}


def test_netting_set_terms_must_agree() -> None:
    base = {
        "netting_set_id": "NS",
        "asset_class": "fx",
        "hedging_set": "EUR/GBP",
        "notional": 1000,
        "maturity_years": 1,
        "direction": "long",
        "mtm": 0,
    }
    rows = [
        base | {"trade_id": "A", "margined": "true", "minimum_transfer_amount": 10},
        base | {"trade_id": "B", "margined": "true", "minimum_transfer_amount": 20},
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    assert issues_of(caught.value) == [(3, "minimum_transfer_amount")]


def test_credit_needs_sub_class_and_entity() -> None:
    rows = [
        {
            "trade_id": "C1",
            "netting_set_id": "NS",
            "asset_class": "credit",
            "sub_class": "AAAA",
            "notional": 1000,
            "end_years": 5,
            "maturity_years": 5,
            "direction": "long",
            "mtm": 0,
        }
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    assert set(issues_of(caught.value)) == {(2, "sub_class"), (2, "risk_factor")}


def test_tranche_bounds_checked() -> None:
    rows = [
        {
            "trade_id": "C1",
            "netting_set_id": "NS",
            "asset_class": "credit",
            "sub_class": "IG_index",
            "risk_factor": "ITRAXX",
            "notional": 1000,
            "end_years": 5,
            "maturity_years": 5,
            "direction": "long",
            "mtm": 0,
            "attachment": 0.07,
            "detachment": 0.03,
        }
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    assert issues_of(caught.value) == [(2, "detachment")]


def test_empty_file_is_rejected(tmp_path) -> None:
    with pytest.raises(TradeFileError):
        read_trade_file(write(tmp_path, "trades.csv", HEADER + "\n"))


def test_tranche_cannot_be_option() -> None:
    rows = [
        {
            "trade_id": "C1",
            "netting_set_id": "NS",
            "asset_class": "credit",
            "sub_class": "IG_index",
            "risk_factor": "ITRAXX",
            "notional": 1000,
            "end_years": 5,
            "maturity_years": 5,
            "direction": "long",
            "mtm": 0,
            "attachment": 0.03,
            "detachment": 0.07,
            "option_type": "call",
            "option_position": "bought",
            "underlying_price": 1,
            "strike": 1,
            "exercise_years": 1,
        }
    ]
    with pytest.raises(TradeFileError) as caught:
        trade_table_from_records(rows)
    assert issues_of(caught.value) == [(2, "option_type")]


def test_one_bad_row_blocks_whole_file(tmp_path) -> None:
    """All or nothing: 2 valid rows and 1 invalid row import nothing."""
    text = (
        HEADER
        + "\nT1,NS,fx,EUR/GBP,1000,1,long,0"
        + "\nT2,NS,fx,EUR/GBP,1000,1,long,0"
        + "\nT3,NS,fx,EUR/GBP,1000,1,flat,0\n"
    )
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(write(tmp_path, "trades.csv", text))
    assert issues_of(caught.value) == [(4, "direction")]


def test_mixed_decimal_separators_rejected(tmp_path) -> None:
    """One decimal separator per column: '0.5' among '2,5' and '1,5' is rejected."""
    text = (
        HEADER.replace(",", ";")
        + "\nT1;NS;fx;EUR/GBP;1.000,5;2,5;long;0"
        + "\nT2;NS;fx;EUR/GBP;1.000,5;0.5;long;0"
        + "\nT3;NS;fx;EUR/GBP;1.000,5;1,5;long;0\n"
    )
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(write(tmp_path, "trades.csv", text))
    assert issues_of(caught.value) == [(3, "maturity_years")]


def test_row_numbers_survive_blank_lines(tmp_path) -> None:
    text = HEADER + "\nT1,NS,fx,EUR/GBP,1000,1,long,0\n\nT2,NS,fx,EUR/GBP,x,1,long,0\n"
    with pytest.raises(TradeFileError) as caught:
        read_trade_file(write(tmp_path, "trades.csv", text))
    assert issues_of(caught.value) == [(4, "notional")]
