"""Month-end and daily series of amounts, each value with its own FX rate to GBP.

K-AUM uses month-end values (MIFIDPRU 4.7.5R). K-CMH, K-ASA, K-COH, K-DTF and
K-CMG use end-of-day values on England and Wales business days. Each value is
stored in the currency it was measured in together with the rate to GBP on the
date it was measured, and converted at that rate. Earlier values are never
re-translated at a later rate (MIFIDPRU 4.7.5R(2)-(3) and 4.7.6G).

JSON forms accepted for a series field (amounts without a currency are GBP):

* monthly: ``{"2026-01": 1000.0, ...}``, or ``{"2026-01": {"amount": 1000.0,
  "currency": "USD", "fx_rate_to_gbp": 0.79}}``, or a list of objects with a
  ``"month"`` key and the same amount keys;
* daily: ``[["2026-01-02", 1000.0], ...]``, ``[["2026-01-02", 1000.0, "USD",
  0.79], ...]``, a list of objects ``{"date", "amount", "currency",
  "fx_rate_to_gbp"}``, or ``{"2026-01-02": 1000.0, ...}``.

``fx_rate_to_gbp`` is GBP per one unit of the currency, so
``amount_gbp = amount * fx_rate_to_gbp``.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calc.calendar import (
    Month,
    bank_holiday_name,
    business_days_between,
    is_business_day,
)
from calc.errors import (
    CalculationInputError,
    DuplicatePeriodError,
    InconsistentInputError,
    NegativeAmountError,
    NotFiniteError,
    PeriodOrderError,
    UnknownChoiceError,
)
from calc.rules import INTEREST_RATE_DERIVATIVE_DURATION_DIVISOR

GBP = "GBP"

# The largest magnitude accepted for any input number, in any unit. It is far
# above any real balance in any currency, yet small enough that sums of millions
# of values and products with FX rates or coefficients stay finite in float64.
MAX_INPUT_MAGNITUDE = 1e18

# Dates outside these years are rejected: the calendar arithmetic of the averaging
# windows and the bank holiday tables need a bounded range, and a date outside it
# is a typing error in a regulatory return.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199


@dataclass(frozen=True)
class Observation:
    """One measured amount, in its own currency, with the rate to GBP on its date.

    ``amount`` is in ``currency``; ``fx_rate_to_gbp`` is GBP per unit of
    ``currency`` on ``date`` (1.0 for GBP).
    """

    date: dt.date
    amount: float
    currency: str = GBP
    fx_rate_to_gbp: float = 1.0

    @property
    def amount_gbp(self) -> float:
        """The amount converted to GBP at the rate recorded for its own date."""
        return self.amount * self.fx_rate_to_gbp


@dataclass(frozen=True)
class MonthlySeries:
    """Month-end values, one per calendar month, oldest first.

    Each observation's ``date`` is the last business day of its month.
    """

    field: str
    values: Mapping[Month, Observation]

    def months(self) -> list[Month]:
        """Return the months that have a value, oldest first."""
        return list(self.values)

    def scaled(self, factor: float) -> MonthlySeries:
        """Return the series with every amount multiplied by ``factor``."""
        return MonthlySeries(
            self.field,
            {
                month: Observation(
                    obs.date, obs.amount * factor, obs.currency, obs.fx_rate_to_gbp
                )
                for month, obs in self.values.items()
            },
        )


@dataclass(frozen=True)
class DailySeries:
    """End-of-day values on England and Wales business days, oldest first."""

    field: str
    observations: tuple[Observation, ...]

    def by_date(self) -> dict[dt.date, Observation]:
        """Return the observations keyed by date."""
        return {obs.date: obs for obs in self.observations}

    def scaled(self, factor: float) -> DailySeries:
        """Return the series with every amount multiplied by ``factor``."""
        return DailySeries(
            self.field,
            tuple(
                Observation(
                    obs.date, obs.amount * factor, obs.currency, obs.fx_rate_to_gbp
                )
                for obs in self.observations
            ),
        )


# Scalars.


def to_finite_float(
    field: str, value: int | float, allow_negative: bool = True
) -> float:
    """Convert a JSON number to float, rejecting NaN, infinity and huge magnitudes.

    Raises
    ------
    NotFiniteError
        ``value`` is NaN or infinite, or its magnitude exceeds
        ``MAX_INPUT_MAGNITUDE`` (including integers too large for a float).
    NegativeAmountError
        ``value`` is below zero and ``allow_negative`` is false. A huge negative
        value raises this error rather than ``NotFiniteError``.
    """
    try:
        number = float(value)
    except OverflowError:
        # An integer beyond the float range: report it as too large, not as inf.
        number = sys.float_info.max if value > 0 else -sys.float_info.max
    if not math.isfinite(number):
        raise NotFiniteError(
            field, value, "is NaN or infinite", "Enter a finite number."
        )
    if number < 0 and not allow_negative:
        raise NegativeAmountError(
            field, value, "must not be negative", "Enter zero or a positive amount."
        )
    if abs(number) > MAX_INPUT_MAGNITUDE:
        raise NotFiniteError(
            field,
            f"{number:.3g}",
            f"is larger in magnitude than {MAX_INPUT_MAGNITUDE:.0e}",
            "Check the units and the digits: enter the amount in whole units "
            "of its currency as a finite number.",
        )
    return number


def parse_amount(field: str, value: Any, allow_negative: bool = False) -> float:
    """Return ``value`` as a finite float, rejecting NaN, infinity and negatives.

    Raises
    ------
    NotFiniteError
        ``value`` is not a number, or is NaN or infinite.
    NegativeAmountError
        ``value`` is below zero and ``allow_negative`` is false.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotFiniteError(
            field, value, "is not a number", "Enter the amount as a number."
        )
    return to_finite_float(field, value, allow_negative)


def parse_date(field: str, value: Any) -> dt.date:
    """Return ``value`` (``"YYYY-MM-DD"`` or a ``date``) as a ``date``."""
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise CalculationInputError(
            field, value, "is not a date", "Write the date as YYYY-MM-DD."
        )
    _check_year(field, value, day.year)
    return day


def _check_year(field: str, value: Any, year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise CalculationInputError(
            field,
            value,
            f"is outside the supported years {EARLIEST_YEAR} to {LATEST_YEAR}",
            "Check the year of the date.",
        )


def parse_month(field: str, value: Any) -> Month:
    """Return ``value`` (``"YYYY-MM"`` or a ``Month``) as a ``Month``."""
    month: Month | None = None
    if isinstance(value, Month):
        month = value
    elif isinstance(value, str):
        try:
            month = Month.parse(value)
        except ValueError:
            pass
    if month is None:
        raise CalculationInputError(
            field, value, "is not a month", "Write the month as YYYY-MM."
        )
    _check_year(field, value, month.year)
    return month


def parse_bool(field: str, value: Any) -> bool:
    """Return ``value`` if it is a JSON boolean; raise otherwise."""
    if not isinstance(value, bool):
        raise CalculationInputError(
            field, value, "is not true or false", "Enter true or false."
        )
    return value


def _parse_currency(field: str, currency: Any, rate: Any) -> tuple[str, float]:
    if currency is None:
        currency = GBP
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise CalculationInputError(
            f"{field}.currency",
            currency,
            "is not a three-letter ISO 4217 currency code",
            "Enter a code such as GBP, USD or EUR.",
        )
    currency = currency.upper()
    if rate is None:
        if currency != GBP:
            raise NotFiniteError(
                f"{field}.fx_rate_to_gbp",
                rate,
                f"is missing for an amount in {currency}",
                "Enter the market rate on the date of the value, in GBP per unit "
                "of the currency (MIFIDPRU 4.7.5R(3)).",
            )
        return currency, 1.0
    fx_rate = parse_amount(f"{field}.fx_rate_to_gbp", rate)
    if fx_rate == 0:
        raise InconsistentInputError(
            f"{field}.fx_rate_to_gbp",
            rate,
            "must be greater than zero",
            "Enter the market rate in GBP per unit of the currency.",
        )
    if currency == GBP and fx_rate != 1.0:
        raise InconsistentInputError(
            f"{field}.fx_rate_to_gbp",
            rate,
            "must be 1 for an amount in GBP",
            "Leave the rate out, or set the currency of the amount.",
        )
    return currency, fx_rate


def _parse_amount_entry(
    field: str, entry: Any, allow_negative: bool
) -> tuple[float, str, float]:
    """Return (amount, currency, fx rate) from a number or an amount object."""
    if isinstance(entry, Mapping):
        if "amount" not in entry:
            raise NotFiniteError(
                f"{field}.amount", None, "is missing", "Add an amount to the entry."
            )
        amount = parse_amount(f"{field}.amount", entry["amount"], allow_negative)
        currency, rate = _parse_currency(
            field, entry.get("currency"), entry.get("fx_rate_to_gbp")
        )
        return amount, currency, rate
    return parse_amount(field, entry, allow_negative), GBP, 1.0


# Series.


def parse_monthly_series(
    field: str,
    raw: Any,
    calculation_date: dt.date | None = None,
) -> MonthlySeries:
    """Parse and validate a month-end series (K-AUM, MIFIDPRU 4.7.5R).

    Months must be in ascending order, each at most once, and before the month of
    ``calculation_date``. A value may name its measurement ``date``, which must be
    the last business day of its month.

    Raises
    ------
    DuplicatePeriodError, PeriodOrderError, NegativeAmountError, NotFiniteError
        Naming the field and month at fault.
    """
    entries: list[tuple[str, Any, Any]] = []  # (field path, month, amount entry)
    if isinstance(raw, Mapping):
        for key, entry in raw.items():
            entries.append((f"{field}.{key}", key, entry))
    elif isinstance(raw, Sequence) and not isinstance(raw, str):
        for index, entry in enumerate(raw):
            if not isinstance(entry, Mapping) or "month" not in entry:
                raise CalculationInputError(
                    f"{field}[{index}]",
                    entry,
                    "is not an object with a month",
                    'Write each value as {"month": "YYYY-MM", "amount": ...}.',
                )
            entries.append((f"{field}[{index}]", entry["month"], entry))
    else:
        raise CalculationInputError(
            field,
            raw,
            "is not a month-end series",
            'Give an object such as {"2026-01": 1000000.0, ...}.',
        )

    values: dict[Month, Observation] = {}
    previous: Month | None = None
    for path, month_text, entry in entries:
        month = parse_month(path, month_text)
        if month in values:
            raise DuplicatePeriodError(
                path, str(month), "appears twice", "Keep one value per month."
            )
        if previous is not None and month < previous:
            raise PeriodOrderError(
                path,
                str(month),
                f"comes after {previous} in the series",
                "List the months in ascending order.",
            )
        if calculation_date is not None and month >= Month.of(calculation_date):
            raise PeriodOrderError(
                path,
                str(month),
                f"is not before the month of the calculation date {calculation_date}",
                "Remove month-end values that are not yet known.",
            )
        amount, currency, rate = _parse_amount_entry(path, entry, False)
        measured_on = month.last_business_day()
        if isinstance(entry, Mapping) and "date" in entry:
            stated_date = parse_date(f"{path}.date", entry["date"])
            if stated_date != measured_on:
                raise InconsistentInputError(
                    f"{path}.date",
                    entry["date"],
                    f"is not the last business day of {month} ({measured_on})",
                    "Measure month-end values on the last business day "
                    "(MIFIDPRU 4.7.5R(1)(a)).",
                )
        values[month] = Observation(measured_on, amount, currency, rate)
        previous = month
    return MonthlySeries(field, values)


def _daily_entries(field: str, raw: Any) -> list[tuple[str, Any, Any]]:
    entries: list[tuple[str, Any, Any]] = []  # (field path, date, amount entry)
    if isinstance(raw, Mapping):
        for key, entry in raw.items():
            entries.append((f"{field}.{key}", key, entry))
        return entries
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise CalculationInputError(
            field,
            raw,
            "is not a daily series",
            'Give a list such as [["2026-01-02", 1000000.0], ...].',
        )
    for index, entry in enumerate(raw):
        path = f"{field}[{index}]"
        if isinstance(entry, Mapping) and "date" in entry:
            entries.append((path, entry["date"], entry))
        elif isinstance(entry, Sequence) and not isinstance(entry, str):
            if len(entry) == 2:
                entries.append((path, entry[0], entry[1]))
            elif len(entry) == 4:
                amount = {
                    "amount": entry[1],
                    "currency": entry[2],
                    "fx_rate_to_gbp": entry[3],
                }
                entries.append((path, entry[0], amount))
            else:
                raise CalculationInputError(
                    path,
                    entry,
                    "has neither 2 nor 4 items",
                    "Write [date, amount] or [date, amount, currency, fx_rate_to_gbp].",
                )
        else:
            raise CalculationInputError(
                path,
                entry,
                "is not a [date, amount] pair or an object with a date",
                'Write ["YYYY-MM-DD", amount].',
            )
    return entries


def parse_daily_series(
    field: str,
    raw: Any,
    calculation_date: dt.date | None = None,
    allow_negative: bool = False,
) -> DailySeries:
    """Parse and validate an end-of-day series on England and Wales business days.

    Dates must be ascending, each at most once, business days only, and not after
    ``calculation_date``.

    Raises
    ------
    DuplicatePeriodError, PeriodOrderError, NegativeAmountError, NotFiniteError
        Naming the field and date at fault.
    InconsistentInputError
        A date is a weekend day or a bank holiday; the message lists them all.
    """
    observations: list[Observation] = []
    seen: set[dt.date] = set()
    not_business_days: list[str] = []
    for path, date_value, entry in _daily_entries(field, raw):
        day = parse_date(path, date_value)
        if day in seen:
            raise DuplicatePeriodError(
                path, day.isoformat(), "appears twice", "Keep one value per day."
            )
        if observations and day < observations[-1].date:
            raise PeriodOrderError(
                path,
                day.isoformat(),
                f"comes after {observations[-1].date} in the series",
                "List the days in ascending order.",
            )
        if calculation_date is not None and day > calculation_date:
            raise PeriodOrderError(
                path,
                day.isoformat(),
                f"is after the calculation date {calculation_date}",
                "Remove values dated after the calculation date.",
            )
        if not is_business_day(day):
            holiday = bank_holiday_name(day)
            reason = holiday if holiday else day.strftime("%A")
            not_business_days.append(f"{day} ({reason})")
        amount, currency, rate = _parse_amount_entry(path, entry, allow_negative)
        observations.append(Observation(day, amount, currency, rate))
        seen.add(day)
    if not_business_days:
        raise InconsistentInputError(
            field,
            not_business_days,
            "contains days that are not England and Wales business days: "
            + ", ".join(not_business_days),
            "Remove weekend and bank holiday rows; the series lists business "
            "days only.",
        )
    return DailySeries(field, tuple(observations))


def daily_totals_from_trades(
    field: str,
    trades: Any,
    calculation_date: dt.date,
    records_complete_from: dt.date,
) -> tuple[DailySeries, DailySeries]:
    """Sum trade-level records into daily cash and derivative totals, in GBP.

    Each trade is an object with ``date``, ``kind`` (``"cash"`` or
    ``"derivative"``), ``amount``, and optional ``currency`` and
    ``fx_rate_to_gbp``. The amount is the cash paid or received, or the
    derivative's notional. Its sign is ignored because buys and sells both count.
    An interest rate derivative carries ``interest_rate_derivative: true`` and
    ``time_to_maturity_years``, and counts at notional x time to maturity / 10
    (MIFIDPRU 4.10 and 4.15, read with IFR Art 20(2)(b) and 33(2)(b)).

    Business days from ``records_complete_from`` to the day before
    ``calculation_date`` with no trade count as zero, because the records are
    declared complete from that date.

    Returns
    -------
    tuple of DailySeries
        (cash totals, derivative totals), in GBP, one value per business day.
    """
    if not isinstance(trades, Sequence) or isinstance(trades, str):
        raise CalculationInputError(
            field, trades, "is not a list of trades", "Give a list of trade objects."
        )
    divisor = INTEREST_RATE_DERIVATIVE_DURATION_DIVISOR.value
    end = calculation_date - dt.timedelta(days=1)
    days = business_days_between(records_complete_from, end)
    cash = dict.fromkeys(days, 0.0)
    derivatives = dict.fromkeys(days, 0.0)
    for index, trade in enumerate(trades):
        path = f"{field}[{index}]"
        if not isinstance(trade, Mapping):
            raise CalculationInputError(
                path, trade, "is not a trade object", "Write each trade as an object."
            )
        day = parse_date(f"{path}.date", trade.get("date"))
        if day < records_complete_from:
            continue
        if day > end:
            raise PeriodOrderError(
                f"{path}.date",
                day.isoformat(),
                f"is not before the calculation date {calculation_date}",
                "Remove trades dated on or after the calculation date.",
            )
        if not is_business_day(day):
            raise InconsistentInputError(
                f"{path}.date",
                day.isoformat(),
                "is not an England and Wales business day",
                "Book the trade on the business day it was handled.",
            )
        amount, _, rate = _parse_amount_entry(path, trade, allow_negative=True)
        amount_gbp = abs(amount) * rate
        kind = trade.get("kind")
        if kind == "cash":
            cash[day] += amount_gbp
        elif kind == "derivative":
            is_interest_rate_derivative = parse_bool(
                f"{path}.interest_rate_derivative",
                trade.get("interest_rate_derivative", False),
            )
            if is_interest_rate_derivative:
                years = parse_amount(
                    f"{path}.time_to_maturity_years",
                    trade.get("time_to_maturity_years"),
                )
                amount_gbp = amount_gbp * years / divisor
            derivatives[day] += amount_gbp
        else:
            raise UnknownChoiceError(
                f"{path}.kind",
                kind,
                "is not a trade kind",
                'Use "cash" or "derivative".',
            )
    return (
        DailySeries(f"{field}.cash", tuple(Observation(d, v) for d, v in cash.items())),
        DailySeries(
            f"{field}.derivatives",
            tuple(Observation(d, v) for d, v in derivatives.items()),
        ),
    )
