"""Builders of valid daily and month-end inputs for the calculator tests."""

from __future__ import annotations

import datetime as dt

from calc.calendar import Month, months_before


def business_days_of(months: list[Month]) -> list[dt.date]:
    """Return every England and Wales business day of ``months``, in order."""
    return [day for month in months for day in month.business_days()]


def daily_rows(
    calculation_date: dt.date, window_months: int, amount_by_month: dict[str, float]
) -> list[list]:
    """Return ``[date, amount]`` rows for every business day in the window.

    ``amount_by_month`` maps ``"YYYY-MM"`` to the value of each day in that month;
    months not listed get 0.0.
    """
    months = months_before(calculation_date, window_months)
    return [
        [day.isoformat(), amount_by_month.get(str(Month.of(day)), 0.0)]
        for day in business_days_of(months)
    ]


def constant_daily_rows(
    calculation_date: dt.date, window_months: int, amount: float
) -> list[list]:
    """Return ``[date, amount]`` rows with the same amount on every business day."""
    months = months_before(calculation_date, window_months)
    return [[day.isoformat(), amount] for day in business_days_of(months)]
