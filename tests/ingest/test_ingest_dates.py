"""Date parsing: accepted styles, Excel serials, impossible and ambiguous dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.dates import excel_serial_to_date, parse_date
from ingest.issues import DateError

NEW_YEARS_EVE = date(2025, 12, 31)


@pytest.mark.parametrize(
    "value",
    [
        "2025-12-31",
        "2025/12/31",
        "2025-12-31 00:00:00",
        "2025-12-31T17:30",
        "31/12/2025",
        "31-12-2025",
        "31.12.2025",
        "31/12/2025 00:00",
        "31 Dec 2025",
        "31-Dec-2025",
        "31 December 2025",
        "December 31, 2025",
        "Dec 31 2025",
        "20251231",
        "46022",
        46022,
        46022.75,
        datetime(2025, 12, 31, 23, 59),
        date(2025, 12, 31),
    ],
)
def test_parse_date_accepts(value):
    assert parse_date(value) == NEW_YEARS_EVE


def test_day_first_by_default():
    assert parse_date("01/02/2026") == date(2026, 2, 1)
    assert parse_date("01/02/2026", dayfirst=False) == date(2026, 1, 2)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("31/02/2025", "February 2025 has 28 days"),
        ("29/02/2025", "February 2025 has 28 days"),
        ("31/04/2026", "April 2026 has 30 days"),
        ("2025-13-01", "month 13"),
        ("12/31/2025", "looks month-first"),
        ("31/12/25", "two-digit year"),
        ("", "is empty"),
        ("yesterday", "is not a date"),
        ("=TODAY()", "is a formula"),
        ("32 Foo 2025", "not a month"),
        (3, "outside the range"),
        (True, "TRUE/FALSE"),
    ],
)
def test_parse_date_rejects(value, problem):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert problem in caught.value.problem
    assert caught.value.fix


def test_leap_day_accepted():
    assert parse_date("29/02/2024") == date(2024, 2, 29)


def test_excel_serial_skips_phantom_leap_day():
    # Serial 61 is 1900-03-01 because Excel counts a 29 February 1900.
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(45292) == date(2024, 1, 1)


dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))


@given(dates)
def test_round_trip_day_first_styles(day):
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y"):
        assert parse_date(day.strftime(pattern)) == day


@given(dates)
def test_round_trip_month_first(day):
    assert parse_date(day.strftime("%m/%d/%Y"), dayfirst=False) == day


@given(dates)
def test_round_trip_excel_serial(day):
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == day
    if 10_000 <= serial <= 99_999:
        assert parse_date(str(serial)) == day


def test_four_digit_text_is_not_a_serial():
    with pytest.raises(DateError) as caught:
        parse_date("2025")
    assert "full date" in caught.value.fix
