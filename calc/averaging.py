"""The K-factor averaging windows of MIFIDPRU 4.

Every window counts calendar months before the month of the calculation date,
drops the most recent months, and averages what remains:

* month-end values (K-AUM, MIFIDPRU 4.7.5R): the arithmetic mean of one value per
  remaining month;
* daily values (K-CMH, K-ASA, K-COH, K-DTF): the arithmetic mean of the values on
  every England and Wales business day of the remaining months, so a month with
  more business days weighs more.

Values outside the window are ignored. A missing month or business day inside the
window raises ``MissingPeriodError`` naming each one, because averaging over a
gap would understate or overstate the requirement.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from calc.calendar import Month, is_first_business_day_of_month, months_before
from calc.errors import InconsistentInputError, MissingPeriodError
from calc.time_series import DailySeries, MonthlySeries, Observation, parse_date


@dataclass(frozen=True)
class WindowAverage:
    """The average of a series over a MIFIDPRU averaging window, in GBP.

    Attributes
    ----------
    average_gbp : float
        Arithmetic mean of the GBP values in the window, unrounded.
    total_gbp : float
        Sum of the GBP values in the window.
    count : int
        Number of values averaged (months or business days).
    months_averaged : tuple of Month
        The months whose values were averaged, oldest first.
    months_excluded : tuple of Month
        The most recent months, dropped from the average.
    observations : tuple of Observation
        The values averaged, with their currency and FX rate.
    """

    average_gbp: float
    total_gbp: float
    count: int
    months_averaged: tuple[Month, ...]
    months_excluded: tuple[Month, ...]
    observations: tuple[Observation, ...]

    def describe_window(self) -> str:
        """Return the window in words, e.g. ``"2026-03 to 2026-08 (126 values)"``."""
        first = self.months_averaged[0]
        last = self.months_averaged[-1]
        return f"{first} to {last} ({self.count} values)"

    def figures(self, prefix: str) -> dict[str, Any]:
        """Return the window's figures keyed with ``prefix`` for a result."""
        return {
            f"{prefix}_gbp": self.average_gbp,
            f"{prefix}_total_gbp": self.total_gbp,
            f"{prefix}_value_count": self.count,
            f"{prefix}_months_averaged": [str(m) for m in self.months_averaged],
            f"{prefix}_months_excluded": [str(m) for m in self.months_excluded],
        }


def parse_calculation_date(field: str, value: Any) -> dt.date:
    """Parse a K-factor calculation date, which must be a month's first business day.

    MIFIDPRU 4.7.4R (and the matching rules for the other K-factors) set the
    calculation on the first business day of each month.
    """
    day = parse_date(field, value)
    if not is_first_business_day_of_month(day):
        first = Month.of(day).first_business_day()
        raise InconsistentInputError(
            field,
            day.isoformat(),
            "is not the first business day of its month",
            f"Use {first.isoformat()}: K-factors are calculated on the first "
            "business day of each month (MIFIDPRU 4.7.4R).",
        )
    return day


def _split_window(
    calculation_date: dt.date, window_months: int, excluded_months: int
) -> tuple[list[Month], list[Month]]:
    months = months_before(calculation_date, window_months)
    cut = window_months - excluded_months
    return months[:cut], months[cut:]


def average_month_end_values(
    series: MonthlySeries,
    calculation_date: dt.date,
    window_months: int,
    excluded_months: int,
) -> WindowAverage:
    """Average month-end values over a window, dropping the most recent months.

    For K-AUM (MIFIDPRU 4.7.5R): the 15 month-ends before the calculation date,
    the 3 most recent dropped, the arithmetic mean of the other 12, each converted
    to GBP at the rate of its own month-end.

    Raises
    ------
    MissingPeriodError
        A month in the averaged part of the window has no value; the error lists
        every missing month.
    """
    averaged, excluded = _split_window(calculation_date, window_months, excluded_months)
    missing = [str(month) for month in averaged if month not in series.values]
    if missing:
        raise MissingPeriodError(
            series.field,
            missing,
            f"has no value for {len(missing)} month(s) needed in the window "
            f"{averaged[0]} to {averaged[-1]}: {', '.join(missing)}",
            "Enter the value on the last business day of each missing month.",
        )
    observations = tuple(series.values[month] for month in averaged)
    return _average(observations, averaged, excluded)


def average_daily_values(
    series: DailySeries,
    calculation_date: dt.date,
    window_months: int,
    excluded_months: int,
) -> WindowAverage:
    """Average end-of-day values over a window, dropping the most recent months.

    The mean is taken over every England and Wales business day in the months that
    remain after the most recent ``excluded_months`` are dropped from the
    ``window_months`` before the calculation date.

    Raises
    ------
    MissingPeriodError
        A business day in the averaged months has no value; the error lists every
        missing day.
    """
    averaged, excluded = _split_window(calculation_date, window_months, excluded_months)
    by_date = series.by_date()
    required = [day for month in averaged for day in month.business_days()]
    missing = [day.isoformat() for day in required if day not in by_date]
    if missing:
        raise MissingPeriodError(
            series.field,
            missing,
            f"has no value for {len(missing)} business day(s) in the window "
            f"{averaged[0]} to {averaged[-1]}: {', '.join(missing)}",
            "Enter the end-of-day value for each missing business day "
            "(zero where nothing was held or handled).",
        )
    observations = tuple(by_date[day] for day in required)
    return _average(observations, averaged, excluded)


def _average(
    observations: tuple[Observation, ...],
    averaged: list[Month],
    excluded: list[Month],
) -> WindowAverage:
    total = math.fsum(obs.amount_gbp for obs in observations)
    return WindowAverage(
        average_gbp=total / len(observations),
        total_gbp=total,
        count=len(observations),
        months_averaged=tuple(averaged),
        months_excluded=tuple(excluded),
        observations=observations,
    )
