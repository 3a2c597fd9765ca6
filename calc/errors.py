"""Typed errors for invalid calculator input.

Every error names the field, the offending value and what to do instead, so the
app can show it next to the input and the CLI can print it as is.
"""

from __future__ import annotations

from typing import Any


class CalculationInputError(ValueError):
    """Invalid input to a calculator.

    Parameters
    ----------
    field : str
        Dotted path of the input, e.g. ``"month_end_aum_gbp.2026-03"``.
    value : Any
        The value received.
    problem : str
        What is wrong, e.g. ``"must not be negative"``.
    fix : str
        What the user should do, e.g. ``"Enter the amount as a positive number."``.
    """

    def __init__(self, field: str, value: Any, problem: str, fix: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        self.fix = fix
        super().__init__(f"{field}: {problem} (got {value!r}). {fix}")


class NegativeAmountError(CalculationInputError):
    """An amount that must be zero or more is negative."""


class NotFiniteError(CalculationInputError):
    """A number is NaN or infinite, or is missing where a number is required."""


class UnknownChoiceError(CalculationInputError):
    """A value is not one of the allowed choices (a permission, a counterparty type)."""


class MissingPeriodError(CalculationInputError):
    """A time series lacks a month or business day that the averaging window needs."""


class DuplicatePeriodError(CalculationInputError):
    """A time series contains the same date or month twice."""


class PeriodOrderError(CalculationInputError):
    """A time series is out of order, or contains dates after the calculation date."""


class InconsistentInputError(CalculationInputError):
    """Inputs contradict each other, e.g. deductions larger than total expenditure."""


class InvalidCorrelationMatrixError(CalculationInputError):
    """A correlation matrix is not square, symmetric, unit-diagonal, bounded or PSD."""
