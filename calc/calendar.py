"""Business days in England and Wales, and calendar months.

A business day is a weekday that is not a bank holiday in England and Wales, as
listed by the ``holidays`` package (``holidays.UK(subdiv="ENG")``, pinned at
0.109, which includes substitute days such as Boxing Day observed). The averaging
windows of MIFIDPRU 4 count calendar months before the calculation date, and the
calculation date is the first business day of a month (MIFIDPRU 4.7.4R).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year).keys())


def is_business_day(day: dt.date) -> bool:
    """Return whether ``day`` is a weekday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def bank_holiday_name(day: dt.date) -> str | None:
    """Return the name of the England and Wales bank holiday on ``day``, if any."""
    return holidays.UK(subdiv="ENG", years=day.year).get(day)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written ``"YYYY-MM"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1 to 12, got {self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """Return the month that contains ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``"YYYY-MM"``; raise ``ValueError`` on any other form."""
        parts = text.split("-")
        well_formed = (
            len(parts) == 2
            and len(parts[0]) == 4
            and len(parts[1]) == 2
            and all(part.isascii() and part.isdigit() for part in parts)
        )
        if not well_formed:
            raise ValueError(f"expected YYYY-MM, got {text!r}")
        return cls(int(parts[0]), int(parts[1]))

    def shift(self, months: int) -> Month:
        """Return the month ``months`` later (earlier when negative)."""
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> dt.date:
        """The first calendar day of the month."""
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        """The last calendar day of the month."""
        return self.shift(1).first_day - dt.timedelta(days=1)

    def business_days(self) -> list[dt.date]:
        """Return the business days of the month, in order."""
        return business_days_between(self.first_day, self.last_day)

    def first_business_day(self) -> dt.date:
        """Return the first business day of the month."""
        return self.business_days()[0]

    def last_business_day(self) -> dt.date:
        """Return the last business day of the month."""
        return self.business_days()[-1]


def business_days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the business days from ``start`` to ``end``, both included."""
    days = []
    day = start
    while day <= end:
        if is_business_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def months_before(calculation_date: dt.date, count: int) -> list[Month]:
    """Return the ``count`` calendar months before the month of ``calculation_date``.

    The months are in chronological order, oldest first. For a calculation date of
    2026-12-01 and ``count=3`` they are 2026-09, 2026-10 and 2026-11.
    """
    current = Month.of(calculation_date)
    return [current.shift(-offset) for offset in range(count, 0, -1)]


def is_first_business_day_of_month(day: dt.date) -> bool:
    """Return whether ``day`` is the first business day of its month."""
    return day == Month.of(day).first_business_day()
