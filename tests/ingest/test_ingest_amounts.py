"""Amount parsing: accepted forms, rejected values, per-column decimal convention."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.amounts import (
    DecimalSeparator,
    classify_separator,
    decide_decimal_separator,
    parse_amount,
    parse_amount_column,
    parse_money,
)
from ingest.issues import AmountError

ACCEPTED = [
    ("1234.56", 1234.56),
    ("1,234.56", 1234.56),
    ("1.234,56", 1234.56),
    ("1 234,56", 1234.56),
    ("1\u00a0234.56", 1234.56),
    ("1'234.56", 1234.56),
    ("(1,234)", -1234.0),
    ("(1,234.50)", -1234.5),
    ("-1,234.50", -1234.5),
    ("\u22121,234.50", -1234.5),
    ("1,234.50-", -1234.5),
    ("+17", 17.0),
    ("£1,234.56", 1234.56),
    ("-£1,234.56", -1234.56),
    ("£-1,234.56", -1234.56),
    ("$ 99.10", 99.1),
    ("€12,5", 12.5),
    ("GBP 1,000", 1000.0),
    ("1,000 USD", 1000.0),
    ("eur 3", 3.0),
    ("  42  ", 42.0),
    ("0", 0.0),
    ("1,234,567,890.12", 1234567890.12),
    ("1.234.567", 1234567.0),
    (".5", 0.5),
    (1234.5, 1234.5),
    (7, 7.0),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_parse_amount_accepts(text, expected):
    assert parse_amount(text) == pytest.approx(expected, abs=1e-9)


REJECTED = [
    ("", "is empty"),
    ("   ", "is empty"),
    ("abc", "is not a number"),
    ("12abc", "not a currency code"),
    ("NaN", "is not a number"),
    ("nan", "is not a number"),
    ("inf", "is not a number"),
    ("-Infinity", "is not a number"),
    ("#N/A", "is not a number"),
    (float("nan"), "is not a finite number"),
    (float("inf"), "is not a finite number"),
    ("1.5E+09", "scientific notation"),
    ("=SUM(A1:A3)", "is a formula"),
    ("12%", "is a percentage"),
    ("1,23,456", "thousands separators"),
    ("1 23 4", "spaces inside the number"),
    ("--5", "more than one sign"),
    ("(-5)", "more than one sign"),
    ("£5 GBP", "names the currency twice"),
    ("XYZ 5", "not a currency code"),
    (True, "TRUE/FALSE"),
]


@pytest.mark.parametrize(("value", "problem"), REJECTED)
def test_parse_amount_rejects(value, problem):
    with pytest.raises(AmountError) as caught:
        parse_amount(value)
    assert problem in caught.value.problem
    assert caught.value.fix


def test_parse_money_reads_currency():
    assert parse_money("£10").currency == "GBP"
    assert parse_money("10 usd").currency == "USD"
    assert parse_money("€10").currency == "EUR"
    assert parse_money("10").currency is None


def test_explicit_separator_contradiction_rejected():
    with pytest.raises(AmountError) as caught:
        parse_amount("1.234,56", DecimalSeparator.DOT)
    assert "decimal separator" in caught.value.problem


def test_ambiguous_value_follows_column_convention():
    assert parse_amount("1,234", ",") == pytest.approx(1.234)
    assert parse_amount("1,234", ".") == 1234.0
    assert parse_amount("1.234", ",") == 1234.0
    assert parse_amount("1.234", ".") == pytest.approx(1.234)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", DecimalSeparator.DOT),
        ("1,234,567", DecimalSeparator.DOT),
        ("1.234,56", DecimalSeparator.COMMA),
        ("12,5", DecimalSeparator.COMMA),
        ("1.234.567", DecimalSeparator.COMMA),
        ("1,234", None),
        ("1.234", None),
        ("1234", None),
    ],
)
def test_classify_separator(text, expected):
    assert classify_separator(text) == expected


def test_column_decides_comma_from_one_clear_value():
    values = ["1.234", "2.500,75", "3.000"]
    column = parse_amount_column(values, [2, 3, 4], "amount")
    assert column.decision.separator == DecimalSeparator.COMMA
    assert column.amounts == [1234.0, 2500.75, 3000.0]
    assert column.errors == []


def test_column_with_mixed_conventions_flags_minority_rows():
    values = ["1,234.50", "2,000.00", "3.000,25"]
    column = parse_amount_column(values, [2, 3, 4], "amount")
    assert column.decision.separator == DecimalSeparator.DOT
    assert [issue.row for issue in column.errors] == [4]
    assert column.errors[0].column == "amount"
    assert "1,234.56" in column.errors[0].fix


def test_column_all_ambiguous_warns():
    column = parse_amount_column(["1,234", "2,000"], [2, 3], "amount")
    assert column.decision.assumed
    assert column.amounts == [1234.0, 2000.0]
    assert len(column.warnings) == 1
    assert column.warnings[0].row == 2


def test_column_collects_every_bad_cell():
    column = parse_amount_column(["x", "1", "y", "NaN"], [2, 3, 4, 5], "amount")
    assert [issue.row for issue in column.errors] == [2, 4, 5]


def test_decision_reports_its_evidence_row():
    decision = decide_decimal_separator(["5", "1.234,5"], [2, 3])
    assert "row 3" in decision.reason


pennies = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


@given(pennies)
def test_round_trip_uk_format(amount):
    text = f"{amount:,.2f}"
    assert parse_amount(text, ".") == pytest.approx(float(amount), abs=1e-6)


@given(pennies)
def test_round_trip_european_format(amount):
    uk = f"{amount:,.2f}"
    text = uk.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_amount(text, ",") == pytest.approx(float(amount), abs=1e-6)


@given(pennies)
def test_round_trip_accounting_negative(amount):
    text = f"(£{abs(amount):,.2f})"
    assert parse_amount(text) == pytest.approx(-float(abs(amount)), abs=1e-6)


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_round_trip_repr(number):
    text = repr(number)
    if "e" in text or "E" in text:
        with pytest.raises(AmountError):
            parse_amount(text)
    else:
        assert parse_amount(text) == number


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz!?#", min_size=1, max_size=8))
def test_letters_never_parse(text):
    try:
        parse_amount(text)
    except AmountError:
        return
    # Only a currency code followed by nothing could reach here, and it has no digits.
    pytest.fail(f"{text!r} parsed as a number")


def test_large_values_stay_exact_to_the_penny():
    assert parse_amount("2,147,483,647.99") == 2147483647.99
    assert math.isfinite(parse_amount("999,999,999,999.99"))
