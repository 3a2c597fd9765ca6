"""Reading amounts of money from spreadsheet cells.

Accepted forms: ``1234.56``, ``1,234.56``, ``1.234,56``, ``1 234,56``,
``1'234.56``, ``(1,234)`` for a negative, a leading ``-``, ``+`` or Unicode minus,
a trailing ``-``, and a currency symbol (£ $ €) or ISO code (GBP, USD ...) before
or after the number. Rejected: text, formulas, NaN, infinity, percentages and
scientific notation such as ``1.5E+09`` (Excel writes that when a column is too
narrow, and the digits it drops cannot be recovered).

Whether ``,`` or ``.`` is the decimal separator is decided per column by
``decide_decimal_separator``, because ``1,234`` on its own can mean either.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from calc.time_series import MAX_INPUT_MAGNITUDE
from ingest.issues import AmountError, ParseIssue, show_value

CURRENCY_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}
CURRENCY_CODES = frozenset(
    "GBP USD EUR CHF JPY CAD AUD NZD SEK NOK DKK HKD SGD CNY ZAR INR PLN CZK HUF "
    "ILS MXN BRL KRW TWD THB AED SAR".split()
)

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})
_MINUS_SIGNS = ("-", "\u2212", "\u2013")
_CURRENCY = r"[£$€]|[A-Za-z]{3}"
_AMOUNT_PATTERN = re.compile(
    rf"""^
    (?P<sign1>[-+\u2212\u2013])?\s*
    (?P<cur1>{_CURRENCY})?\s*
    (?P<sign2>[-+\u2212\u2013])?\s*
    (?P<number>[0-9.,][0-9., ']*?)\s*
    (?P<cur2>{_CURRENCY})?\s*
    (?P<sign3>-)?
    $""",
    re.VERBOSE,
)
_SCIENTIFIC = re.compile(r"^[-+]?[0-9.,]+[eE][-+]?\d+$")
# Amounts such as 1234, -1234.5 or 1,234,567.89: an optional minus sign, digits
# grouped in threes by commas or not grouped, and an optional fraction.
_PLAIN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)
_NOT_DIGIT_OR_MARK = re.compile(r"[^0-9.,]")
_NOT_A_NUMBER_WORDS = {"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "#n/a"}


class DecimalSeparator(StrEnum):
    """The character that separates whole units from the fraction."""

    DOT = "."
    COMMA = ","


@dataclass(frozen=True)
class Money:
    """An amount read from a cell, with the currency the cell named, if any."""

    amount: float
    currency: str | None


def parse_amount(
    value: Any, decimal_separator: DecimalSeparator | str | None = None
) -> float:
    """Read a number from a cell, returning a float.

    Parameters
    ----------
    value : str, int or float
        The cell. Numbers from Excel are checked to be finite and returned.
    decimal_separator : ``"."``, ``","`` or None
        The column's convention. With None, a value that shows its own
        convention (``1.234,56``) is read that way, and an ambiguous one
        (``1,234``) is read with ``.`` as the decimal separator, the UK
        convention.

    Raises
    ------
    AmountError
        For empty cells, text, formulas, NaN, infinity, scientific notation,
        malformed digit grouping and values contradicting ``decimal_separator``.
    """
    return parse_money(value, decimal_separator).amount


def parse_money(
    value: Any, decimal_separator: DecimalSeparator | str | None = None
) -> Money:
    """Read an amount and the currency named in the cell (``£1,234`` gives GBP)."""
    if isinstance(value, bool):
        raise AmountError(value, "is TRUE/FALSE, not a number", "Enter a number.")
    if isinstance(value, int | float) or _is_numpy_number(value):
        try:
            number = float(value)
        except OverflowError:
            raise AmountError(value, "is too large", "Check the amount.") from None
        if not math.isfinite(number):
            raise AmountError(
                value, "is not a finite number", "Enter a number, or 0 if none."
            )
        if abs(number) > MAX_INPUT_MAGNITUDE:
            raise AmountError(value, "is too large", "Check the amount.")
        return Money(number + 0.0, None)

    if isinstance(value, datetime | date):
        raise AmountError(
            value,
            "is a date, not an amount",
            "Check that the columns are in the right order and the cell holds "
            "an amount.",
        )
    text = str(value).translate(_SPACES).strip() if value is not None else ""
    if text == "":
        raise AmountError(value, "is empty", "Enter an amount, or 0 if there is none.")
    if text.startswith("="):
        raise AmountError(
            value,
            "is a formula, not a number",
            "In Excel copy the column and use Paste Special > Values before export.",
        )
    if text.lower() in _NOT_A_NUMBER_WORDS:
        raise AmountError(
            value, "is not a number", "Enter the amount, or 0 if there is none."
        )
    if text.endswith("%"):
        raise AmountError(
            value,
            "is a percentage, not an amount",
            "Enter the amount in currency units.",
        )
    if _SCIENTIFIC.match(text):
        raise AmountError(
            value,
            "is in scientific notation, which loses digits",
            "Format the column as Number with 2 decimal places in Excel and export "
            "again.",
        )

    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative = True
        text = text[1:-1].strip()
    match = _AMOUNT_PATTERN.match(text)
    if match is None or not any(ch.isdigit() for ch in match["number"]):
        raise AmountError(
            value,
            "is not a number",
            "Enter digits only, e.g. 1234.56, optionally with a currency sign.",
        )
    signs = [match[name] for name in ("sign1", "sign2", "sign3") if match[name]]
    if len(signs) > 1 or (negative and signs):
        raise AmountError(
            value, "has more than one sign", "Write the amount with one minus sign."
        )
    if signs and signs[0] in _MINUS_SIGNS + ("-",):
        negative = True

    currency = _read_currency(value, match["cur1"], match["cur2"])
    number = _read_digits(value, match["number"].strip(), decimal_separator)
    if not math.isfinite(number) or number > MAX_INPUT_MAGNITUDE:
        raise AmountError(value, "is too large", "Check the amount.")
    amount = -number if negative else number
    return Money(amount + 0.0, currency)


def _is_numpy_number(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


def _read_currency(value: Any, before: str | None, after: str | None) -> str | None:
    if before and after:
        raise AmountError(
            value, "names the currency twice", "Keep one currency sign or code."
        )
    tag = before or after
    if tag is None:
        return None
    if tag in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[tag]
    code = tag.upper()
    if code not in CURRENCY_CODES:
        raise AmountError(
            value,
            f"contains '{tag}', which is not a currency code",
            "Enter the amount as digits, optionally with £, $, € or an ISO code "
            "such as GBP.",
        )
    return code


def classify_separator(text: str) -> DecimalSeparator | None:
    """Return the decimal separator a number's text shows, or None if ambiguous.

    ``1,234.56`` and ``1,234,567`` show DOT, ``1.234,56`` and ``12,5`` show COMMA;
    ``1,234``, ``1.234`` and ``1234`` show neither.
    """
    digits = text.replace(" ", "").replace("'", "")
    has_comma = "," in digits
    has_dot = "." in digits
    if has_comma and has_dot:
        if digits.rfind(",") > digits.rfind("."):
            return DecimalSeparator.COMMA
        return DecimalSeparator.DOT
    for mark, other in ((",", DecimalSeparator.DOT), (".", DecimalSeparator.COMMA)):
        if mark not in digits:
            continue
        if digits.count(mark) > 1:
            return other
        tail = digits.rsplit(mark, 1)[1]
        if len(tail) != 3:
            return DecimalSeparator(mark)
        return None
    return None


def _read_digits(
    value: Any, number: str, decimal_separator: DecimalSeparator | str | None
) -> float:
    """Convert the digit part to a float, checking the grouping."""
    compact = number.replace(" ", "").replace("'", "")
    written_separator = classify_separator(compact)
    convention = DecimalSeparator(decimal_separator) if decimal_separator else None
    if (
        convention is not None
        and written_separator is not None
        and written_separator != convention
    ):
        example = "1,234.56" if convention == DecimalSeparator.DOT else "1.234,56"
        raise AmountError(
            value,
            f"uses '{written_separator.value}' as the decimal separator but the "
            f"column uses '{convention.value}'",
            f"Write every amount in the column the same way, e.g. {example}.",
        )

    decimal = written_separator or convention or DecimalSeparator.DOT
    group = "," if decimal == DecimalSeparator.DOT else "."
    if compact.count(decimal.value) > 1:
        raise AmountError(
            value,
            f"has more than one decimal separator '{decimal.value}'",
            "Check the digits of the amount.",
        )

    whole, _, fraction = compact.partition(decimal.value)
    if group in whole and not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+", whole):
        raise AmountError(
            value,
            f"has thousands separators '{group}' in the wrong places",
            "Group digits in threes (1,234,567.89) or leave the separators out.",
        )
    spaced_whole = number.partition(decimal.value)[0].replace("'", " ").strip()
    if " " in spaced_whole and not re.fullmatch(r"\d{1,3}( \d{3})+", spaced_whole):
        raise AmountError(
            value,
            "has spaces inside the number in the wrong places",
            "Remove the spaces or group digits in threes.",
        )

    whole_digits = whole.replace(group, "")
    if whole_digits == "" and fraction == "":
        raise AmountError(value, "has no digits", "Enter the amount as digits.")
    if not whole_digits.isdigit() and whole_digits != "":
        raise AmountError(value, "is not a number", "Enter the amount as digits.")
    if fraction and not fraction.isdigit():
        raise AmountError(value, "is not a number", "Enter the amount as digits.")
    return float(f"{whole_digits or '0'}.{fraction or '0'}")


@dataclass(frozen=True)
class SeparatorDecision:
    """The decimal separator chosen for a column and the evidence for it.

    ``reason`` is a sentence for the upload report; ``conflicts`` lists the
    rows whose values show the other convention.
    """

    separator: DecimalSeparator
    reason: str
    assumed: bool
    conflicts: tuple[int, ...] = ()


def decide_decimal_separator(
    values: Sequence[Any], row_numbers: Sequence[int]
) -> SeparatorDecision:
    """Choose ``.`` or ``,`` as a column's decimal separator from all its values.

    The column's convention is the one that its unambiguous values show. When
    none shows a convention (every value is like ``1,234`` or ``1234``) the UK
    convention ``.`` is assumed, and ``assumed`` is True so the caller can warn
    if any value is ambiguous. Rows that show the minority convention are
    returned in ``conflicts``; ties go to ``.``.
    """
    dot_rows: list[int] = []
    comma_rows: list[int] = []
    for value, row in zip(values, row_numbers, strict=True):
        if not isinstance(value, str):
            continue
        shown = classify_separator(_digits_only(value))
        if shown == DecimalSeparator.DOT:
            dot_rows.append(row)
        elif shown == DecimalSeparator.COMMA:
            comma_rows.append(row)
    if not dot_rows and not comma_rows:
        return SeparatorDecision(
            DecimalSeparator.DOT,
            "no value shows its decimal separator; read '.' as decimal and ',' as "
            "thousands (UK convention)",
            assumed=True,
        )
    if len(comma_rows) > len(dot_rows):
        return SeparatorDecision(
            DecimalSeparator.COMMA,
            f"read ',' as decimal and '.' as thousands, as in row {comma_rows[0]}",
            assumed=False,
            conflicts=tuple(dot_rows),
        )
    return SeparatorDecision(
        DecimalSeparator.DOT,
        f"read '.' as decimal and ',' as thousands, as in row {dot_rows[0]}",
        assumed=False,
        conflicts=tuple(comma_rows),
    )


def _digits_only(text: str) -> str:
    if text.isascii():
        return _NOT_DIGIT_OR_MARK.sub("", text)
    return "".join(ch for ch in text if ch.isdigit() or ch in ".,")


def is_ambiguous_amount(value: Any) -> bool:
    """Return True for text such as ``1,234`` or ``1.234`` that reads two ways."""
    if not isinstance(value, str):
        return False
    digits = _digits_only(value)
    return ("," in digits or "." in digits) and classify_separator(digits) is None


@dataclass(frozen=True)
class AmountColumn:
    """A column of amounts read with one decimal convention.

    ``amounts`` and ``moneys`` have one entry per cell, None where the cell
    failed; ``decision`` records the decimal separator chosen and why.
    """

    amounts: list[float | None]
    moneys: list[Money | None]
    errors: list[ParseIssue]
    warnings: list[ParseIssue]
    decision: SeparatorDecision


def parse_amount_column(
    values: Sequence[Any],
    row_numbers: Sequence[int],
    column: str,
) -> AmountColumn:
    """Read a whole column of amounts with one decimal convention.

    Every cell is checked; reading does not stop at the first bad cell.
    """
    decision = decide_decimal_separator(values, row_numbers)
    errors: list[ParseIssue] = []
    warnings: list[ParseIssue] = []
    amounts: list[float | None] = []
    moneys: list[Money | None] = []
    conflicts = set(decision.conflicts)
    for value, row in zip(values, row_numbers, strict=True):
        if row in conflicts:
            example = (
                "1,234.56" if decision.separator == DecimalSeparator.DOT else "1.234,56"
            )
            errors.append(
                ParseIssue(
                    row,
                    column,
                    show_value(value),
                    f"uses a different decimal separator from the rest of the "
                    f"column ({decision.reason})",
                    f"Write every amount in the column the same way, e.g. {example}.",
                )
            )
            amounts.append(None)
            moneys.append(None)
            continue
        if decision.separator == DecimalSeparator.DOT and type(value) is str:
            money = _read_plain_amount(value)
            if money is not None:
                amounts.append(money.amount)
                moneys.append(money)
                continue
        try:
            money = parse_money(value, decision.separator)
        except AmountError as error:
            errors.append(error.to_issue(row, column))
            amounts.append(None)
            moneys.append(None)
            continue
        amounts.append(money.amount)
        moneys.append(money)
    ambiguous = [
        row
        for value, row in zip(values, row_numbers, strict=True)
        if is_ambiguous_amount(value)
    ]
    if decision.assumed and ambiguous:
        warnings.append(
            ParseIssue(
                ambiguous[0],
                column,
                show_value(values[row_numbers.index(ambiguous[0])]),
                f"{decision.reason}; {len(ambiguous)} value(s) such as this one "
                "could be read either way",
                "If this column uses ',' as the decimal separator, write the "
                "decimals in full (1.234,00) so the convention is unambiguous.",
            )
        )
    return AmountColumn(amounts, moneys, errors, warnings, decision)


def _read_plain_amount(text: str) -> Money | None:
    """Read a ``_PLAIN_AMOUNT`` text as ``parse_money(text, ".")`` does.

    Returns None for any other text, and for amounts above
    ``MAX_INPUT_MAGNITUDE``, so that the caller runs ``parse_money``, which
    accepts or rejects every form.

    NOTE: a check added to ``parse_money`` for unsigned digits must be added
    here too. ``tests/ingest/test_ingest_speed_paths.py`` compares the two.
    """
    if _PLAIN_AMOUNT.fullmatch(text) is None:
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.removeprefix("-").partition(".")
    number = float(f"{whole.replace(',', '')}.{fraction or '0'}")
    if not math.isfinite(number) or number > MAX_INPUT_MAGNITUDE:
        return None
    amount = -number if negative else number
    return Money(amount + 0.0, None)
