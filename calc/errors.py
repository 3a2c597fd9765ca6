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
        message = f"{field}: {problem} (got {_shorten(value)}). {fix}"
        super().__init__(_escape_control_characters(message))


# Maximum length of a received value as shown in a message. A whole pasted
# series would otherwise make a message of megabytes; ``error.value`` keeps it.
MAX_VALUE_CHARACTERS = 200


def _shorten(value: Any) -> str:
    text = repr(value)
    if len(text) <= MAX_VALUE_CHARACTERS:
        return text
    return f"{text[:MAX_VALUE_CHARACTERS]}... ({len(text):,} characters in all)"


class NegativeAmountError(CalculationInputError):
    """An amount that must be zero or more is negative."""


class NotFiniteError(CalculationInputError):
    """A number is NaN, infinite or too large, or missing where one is required.

    Too large means a magnitude above ``calc.time_series.MAX_INPUT_MAGNITUDE``.
    """


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


def _escape_control_characters(text: str) -> str:
    """Write line breaks and other unprintable characters as escapes.

    A field name can come from a key of the user's JSON, and the message must
    stay on one line in the CLI output, the logs and the app.
    """
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else repr(character)[1:-1]
        for character in text
    )
