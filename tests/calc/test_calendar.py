"""England and Wales business days and calendar months (MIFIDPRU 4.7.4R)."""

import datetime as dt

from calc.calendar import (
    Month,
    business_days_between,
    is_business_day,
    is_first_business_day_of_month,
    months_before,
)


def test_bank_holidays_2026_not_business_days() -> None:
    # England and Wales bank holidays of 2026, including Boxing Day observed.
    for day in [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ]:
        assert not is_business_day(dt.date.fromisoformat(day)), day


def test_weekend_not_business_day() -> None:
    assert not is_business_day(dt.date(2026, 11, 28))
    assert not is_business_day(dt.date(2026, 11, 29))
    assert is_business_day(dt.date(2026, 11, 30))


def test_scottish_holiday_is_business_day() -> None:
    # 2 January is a bank holiday in Scotland only; the England and Wales
    # calendar counts it as a business day.
    assert is_business_day(dt.date(2026, 1, 2))


def test_first_business_day_after_holiday() -> None:
    assert Month(2026, 1).first_business_day() == dt.date(2026, 1, 2)
    assert Month(2027, 1).first_business_day() == dt.date(2027, 1, 4)
    assert is_first_business_day_of_month(dt.date(2026, 12, 1))
    assert not is_first_business_day_of_month(dt.date(2026, 12, 2))


def test_last_business_day_skips_holiday() -> None:
    # 31 August 2026 is the late summer bank holiday.
    assert Month(2026, 8).last_business_day() == dt.date(2026, 8, 28)


def test_months_before_crosses_year() -> None:
    months = months_before(dt.date(2026, 2, 2), 3)
    assert [str(m) for m in months] == ["2025-11", "2025-12", "2026-01"]


def test_month_shift_and_parse() -> None:
    assert Month.parse("2026-12").shift(1) == Month(2027, 1)
    assert Month(2026, 1).shift(-1) == Month(2025, 12)
    assert str(Month(2026, 3)) == "2026-03"


def test_business_days_between_inclusive() -> None:
    days = business_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 7))
    assert days == [dt.date(2026, 4, 2), dt.date(2026, 4, 7)]
