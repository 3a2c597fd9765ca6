"""The SA-CCR trade table: its columns, the CSV and Excel import and the template.

One row per trade. Netting-set terms (margining, threshold, minimum transfer
amount, NICA, variation margin, margin period of risk) sit on every trade row
of the set and must agree across those rows. ``docs/trade-file.md`` describes
each column with its unit.

The import is all or nothing. Every problem in the file is collected with its
spreadsheet row (the header is row 1), column, value and what is expected. One
``TradeFileError`` then carries all of them, so a file with any error imports
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import CalculationInputError
from calc.saccr.parameters import ASSET_CLASSES, SUPERVISORY_PARAMETERS
from ingest.tables import (
    AmountError,
    DecimalSeparator,
    TableLimits,
    decide_decimal_separator,
    parse_amount,
    read_table,
)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "trade_id",
    "netting_set_id",
    "asset_class",
    "notional",
    "maturity_years",
    "direction",
    "mtm",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "counterparty_id",
    "hedging_set",
    "sub_class",
    "risk_factor",
    "transaction_kind",
    "start_years",
    "end_years",
    "option_type",
    "option_position",
    "underlying_price",
    "strike",
    "exercise_years",
    "shift",
    "attachment",
    "detachment",
    "margined",
    "threshold",
    "minimum_transfer_amount",
    "nica",
    "variation_margin_net_held",
    "remargin_period_days",
    "mpor_days",
)
# Text columns the engine groups by, stored as pandas categoricals for speed.
CATEGORY_COLUMNS: tuple[str, ...] = (
    "trade_id",
    "netting_set_id",
    "counterparty_id",
    "asset_class",
    "direction",
    "transaction_kind",
    "hedging_set",
    "sub_class",
    "risk_factor",
    "option_type",
    "option_position",
)
NETTING_SET_COLUMNS: tuple[str, ...] = (
    "counterparty_id",
    "margined",
    "threshold",
    "minimum_transfer_amount",
    "nica",
    "variation_margin_net_held",
    "remargin_period_days",
    "mpor_days",
)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

TRANSACTION_KINDS = ("linear", "basis", "volatility")
ASSET_CLASS_ALIASES = {
    "ir": "interest_rate",
    "interest rate": "interest_rate",
    "rates": "interest_rate",
    "foreign_exchange": "fx",
    "foreign exchange": "fx",
    "equities": "equity",
    "commodities": "commodity",
}
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
_CURRENCY_PAIR = re.compile(r"^[A-Z]{3}/[A-Z]{3}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

# The engine is benchmarked on books of 1,000,000 trades, so the trade file
# allows more rows than the other uploads.
TRADE_FILE_LIMITS = TableLimits(max_bytes=512 * 1024 * 1024, max_rows=2_000_000)

# Issues shown in the exception message; all are kept on the exception.
_MESSAGE_ISSUE_LIMIT = 20


@dataclass(frozen=True)
class TradeIssue:
    """One problem in a trade file, located as a spreadsheet shows it.

    ``row`` is the spreadsheet row (header = 1, first trade = 2), or ``None``
    for a problem with the whole file; ``column`` is ``None`` for a whole row.
    """

    row: int | None
    column: str | None
    value: str
    expected: str

    def __str__(self) -> str:
        if self.row is None:
            subject = "File" if self.column is None else f"Column '{self.column}'"
            detail = f" ({self.value})" if self.value else ""
            return f"{subject}{detail}: expected {self.expected}"
        place = f"Row {self.row}"
        if self.column is None:
            return f"{place}: expected {self.expected}"
        content = f"has {self.value!r}" if self.value != "" else "is empty"
        return f"{place}, column '{self.column}' {content}: expected {self.expected}"


class TradeFileError(CalculationInputError):
    """A trade file or table with one or more invalid cells; nothing is imported."""

    def __init__(self, issues: Sequence[TradeIssue]) -> None:
        self.issues = tuple(issues)
        listed = "; ".join(str(issue) for issue in self.issues[:_MESSAGE_ISSUE_LIMIT])
        if len(self.issues) > _MESSAGE_ISSUE_LIMIT:
            listed += f"; and {len(self.issues) - _MESSAGE_ISSUE_LIMIT} more"
        super().__init__(
            "trades",
            f"{len(self.issues)} problem(s)",
            f"the trade file is invalid and nothing was imported: {listed}",
            "Correct the listed cells and upload the whole file again.",
        )


@dataclass(frozen=True)
class TradeTable:
    """Validated trades and the netting-set terms they carry.

    ``trades`` has one row per trade with the normalised columns of
    ``ALL_COLUMNS`` (numbers as float64, text as categorical) plus ``row``, the
    spreadsheet row it came from. ``netting_sets`` has one row per netting set,
    indexed by ``netting_set_id``, with the ``NETTING_SET_COLUMNS``.
    """

    trades: pd.DataFrame
    netting_sets: pd.DataFrame


# --- Reading files -----------------------------------------------------------


def read_trade_file(path: str | Path) -> TradeTable:
    """Read and validate a trade file (CSV, or Excel ``.xlsx``).

    Decoding, separator detection, header detection and blank-row skipping are
    those of every upload in the app (``ingest.tables.read_table``). Numbers may
    carry thousands separators (``1,234,567.5`` or ``1.234.567,5``) and brackets
    for negatives, read with one decimal convention per column.

    Raises
    ------
    TradeFileError
        If the file cannot be read or any cell is invalid.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TradeFileError(
            [TradeIssue(None, None, str(path), f"a readable trade file ({error})")]
        ) from error
    table = read_table(data, path.name, TRADE_FILE_LIMITS, as_frame=True)
    if table.issues:
        raise TradeFileError(
            [
                TradeIssue(
                    issue.row,
                    issue.column,
                    issue.value,
                    f"a readable trade file: {issue.message}. {issue.fix}",
                )
                for issue in table.issues
            ]
        )
    frame = table.frame
    row_numbers = frame.index.to_numpy()
    return parse_trade_frame(frame.reset_index(drop=True), row_numbers=row_numbers)


def trade_table_from_records(records: Iterable[Mapping[str, Any]]) -> TradeTable:
    """Validate trades given as dictionaries keyed by the trade-file columns."""
    frame = pd.DataFrame.from_records(list(records))
    if frame.empty:
        frame = pd.DataFrame(columns=list(REQUIRED_COLUMNS))
    return parse_trade_frame(frame)


# --- Validation ----------------------------------------------------------------


class _Collector:
    """Collects issues while the columns are parsed."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.issues: list[TradeIssue] = []

    def add(self, mask: np.ndarray, column: str, values: pd.Series, expected: str):
        for position in np.flatnonzero(mask):
            value = values.iloc[position]
            text = "" if value is None else str(value)
            self.issues.append(
                TradeIssue(int(self.rows[position]), column, text, expected)
            )


def parse_trade_frame(
    frame: pd.DataFrame, row_numbers: np.ndarray | None = None
) -> TradeTable:
    """Validate a frame of trade rows and return the normalised ``TradeTable``.

    ``row_numbers`` are the spreadsheet rows of the frame's rows, used in the
    messages; by default the header is row 1 and the trades follow it.

    Raises
    ------
    TradeFileError
        With every problem found, if there is any.
    """
    frame = frame.rename(columns=lambda name: str(name).strip().lower())
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise TradeFileError(
            [
                TradeIssue(None, column, "", "this column in the header row")
                for column in missing
            ]
        )
    if len(frame) == 0:
        raise TradeFileError([TradeIssue(None, None, "", "at least one trade row")])

    frame = frame.reset_index(drop=True)
    rows = np.arange(len(frame)) + 2 if row_numbers is None else row_numbers
    collect = _Collector(rows)
    text = {
        column: _text_column(frame, column)
        for column in ALL_COLUMNS
        if column not in _NUMERIC_COLUMNS
    }
    out = pd.DataFrame({"row": rows})

    for column in ("trade_id", "netting_set_id"):
        collect.add(text[column] == "", column, text[column], "a non-empty identifier")
        out[column] = text[column]
    duplicated = text["trade_id"].duplicated(keep=False) & (text["trade_id"] != "")
    collect.add(duplicated.to_numpy(), "trade_id", text["trade_id"], "a unique id")
    counterparty = text["counterparty_id"].where(
        text["counterparty_id"] != "", text["netting_set_id"]
    )
    out["counterparty_id"] = counterparty

    asset_class = text["asset_class"].str.lower().replace(ASSET_CLASS_ALIASES)
    bad_class = ~asset_class.isin(ASSET_CLASSES)
    collect.add(
        bad_class.to_numpy(),
        "asset_class",
        text["asset_class"],
        f"one of {', '.join(ASSET_CLASSES)}",
    )
    out["asset_class"] = asset_class

    direction = text["direction"].str.lower()
    collect.add(
        ~direction.isin(["long", "short"]),
        "direction",
        text["direction"],
        "long or short",
    )
    out["direction"] = direction

    kind = text["transaction_kind"].str.lower().replace({"": "linear"})
    collect.add(
        ~kind.isin(TRANSACTION_KINDS),
        "transaction_kind",
        text["transaction_kind"],
        "linear, basis or volatility (empty means linear)",
    )
    out["transaction_kind"] = kind

    numbers = {
        column: _number_column(frame, column, collect) for column in _NUMERIC_COLUMNS
    }
    _check_range(numbers, collect, frame)

    is_ir = (asset_class == "interest_rate").to_numpy()
    is_fx = (asset_class == "fx").to_numpy()
    is_credit = (asset_class == "credit").to_numpy()
    has_sub_class = asset_class.isin(["credit", "equity", "commodity"]).to_numpy()
    non_linear = (kind != "linear").to_numpy()

    hedging_set = text["hedging_set"]
    upper_hedging_set = hedging_set.str.upper()
    ir_bad = is_ir & ~non_linear & ~upper_hedging_set.str.match(_CURRENCY).to_numpy()
    collect.add(ir_bad, "hedging_set", hedging_set, "a 3-letter currency code")
    fx_bad = is_fx & ~non_linear & ~upper_hedging_set.str.match(_CURRENCY_PAIR)
    collect.add(
        fx_bad.to_numpy(), "hedging_set", hedging_set, "a currency pair such as EUR/USD"
    )
    label_missing = non_linear & (hedging_set == "").to_numpy()
    collect.add(
        label_missing,
        "hedging_set",
        hedging_set,
        "a label naming the basis or volatility hedging set",
    )
    out["hedging_set"] = np.where(
        (is_ir | is_fx) & ~non_linear, upper_hedging_set, hedging_set
    )

    sub_class = text["sub_class"]
    valid_sub_class = np.zeros(len(frame), dtype=bool)
    for asset in ("credit", "equity", "commodity"):
        in_class = (asset_class == asset).to_numpy()
        allowed = list(SUPERVISORY_PARAMETERS[asset])
        valid_sub_class |= in_class & sub_class.isin(allowed).to_numpy()
        collect.add(
            in_class & ~sub_class.isin(allowed).to_numpy(),
            "sub_class",
            sub_class,
            f"one of {', '.join(allowed)} for {asset}",
        )
    out["sub_class"] = np.where(has_sub_class, sub_class, "")
    risk_factor = text["risk_factor"]
    collect.add(
        has_sub_class & (risk_factor == "").to_numpy(),
        "risk_factor",
        risk_factor,
        "the reference entity (credit, equity) or commodity type (commodity)",
    )
    out["risk_factor"] = np.where(has_sub_class, risk_factor, "")

    end_missing = (is_ir | is_credit) & np.isnan(numbers["end_years"])
    collect.add(
        end_missing,
        "end_years",
        frame.get("end_years", pd.Series([""] * len(frame))),
        "the end of the referenced period in years for interest rate and credit",
    )

    _check_options(text, numbers, collect, frame, out)
    _check_tranches(numbers, collect, frame, is_credit)
    tranche_option = (out["option_type"] != "").to_numpy() & ~np.isnan(
        numbers["attachment"]
    )
    collect.add(
        tranche_option,
        "option_type",
        text["option_type"],
        "an empty option_type on a CDO tranche row (its delta is the tranche delta)",
    )

    for column, values in numbers.items():
        out[column] = values
    out["start_years"] = np.nan_to_num(out["start_years"], nan=0.0)
    out["shift"] = np.nan_to_num(out["shift"], nan=0.0)
    out["end_years"] = np.where(np.isnan(out["end_years"]), 0.0, out["end_years"])

    margined_text = text["margined"].str.lower()
    bad_margined = ~margined_text.isin(TRUE_WORDS | FALSE_WORDS)
    collect.add(bad_margined.to_numpy(), "margined", text["margined"], "true or false")
    out["margined"] = margined_text.isin(TRUE_WORDS).to_numpy()

    netting_sets = _netting_set_terms(out, collect)
    if collect.issues:
        raise TradeFileError(collect.issues)

    for column in CATEGORY_COLUMNS:
        out[column] = out[column].astype("category")
    return TradeTable(trades=out, netting_sets=netting_sets)


_NUMERIC_COLUMNS = (
    "notional",
    "maturity_years",
    "mtm",
    "start_years",
    "end_years",
    "underlying_price",
    "strike",
    "exercise_years",
    "shift",
    "attachment",
    "detachment",
    "threshold",
    "minimum_transfer_amount",
    "nica",
    "variation_margin_net_held",
    "remargin_period_days",
    "mpor_days",
)
_REQUIRED_NUMBERS = {"notional", "maturity_years", "mtm"}
_NON_NEGATIVE = {
    "notional": "a number of zero or more (GBP)",
    "maturity_years": "a number of years of zero or more",
    "start_years": "a number of years of zero or more",
    "end_years": "a number of years of zero or more",
    "exercise_years": "a number of years greater than zero",
    "threshold": "an amount of zero or more",
    "minimum_transfer_amount": "an amount of zero or more",
    "remargin_period_days": "a whole number of business days of 1 or more",
    "mpor_days": "a whole number of business days of zero or more",
}


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype="str")
    return _as_text(frame[column]).str.strip()


def _as_text(values: pd.Series) -> pd.Series:
    """Return the cells as pandas strings, with missing cells as ``""``."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype(object).where(values.notna(), "").astype("str")
    return values.fillna("")


def _number_column(frame: pd.DataFrame, column: str, collect: _Collector) -> np.ndarray:
    """Parse one numeric column; empty cells become NaN (checked by the caller).

    Plain numbers are read in one vectorised pass. Text with a comma, and every
    text cell of a column whose decimal separator turns out to be the comma, is
    read by ``ingest.tables.parse_amount`` with the column's convention, chosen
    by ``decide_decimal_separator`` as for every other upload.
    """
    if column not in frame.columns:
        values = np.full(len(frame), np.nan)
        if column in _REQUIRED_NUMBERS:
            collect.add(np.ones(len(frame), bool), column, frame.iloc[:, 0], "a number")
        return values
    raw = frame[column]
    texts = _as_text(raw).str.strip()
    blank = texts.isin(["", "nan", "NaN"]).to_numpy()
    parsed = pd.to_numeric(raw.where(~blank), errors="coerce").to_numpy(
        dtype=float, copy=True
    )
    is_text = _text_cells(raw) & ~blank
    has_comma = is_text & texts.str.contains(",", regex=False).to_numpy()
    reread = np.isnan(parsed) & ~blank
    separator = DecimalSeparator.DOT
    conflicts = np.zeros(len(frame), dtype=bool)
    if has_comma.any():
        has_dot = is_text & texts.str.contains(".", regex=False).to_numpy()
        with_separator = np.flatnonzero(has_comma | has_dot)
        decision = decide_decimal_separator(
            texts.iloc[with_separator].tolist(), collect.rows[with_separator].tolist()
        )
        separator = decision.separator
        if separator == DecimalSeparator.COMMA:
            reread |= has_dot
        conflicts = np.isin(collect.rows, np.asarray(decision.conflicts, dtype=int))
    unreadable = np.zeros(len(frame), dtype=bool)
    for position in np.flatnonzero(reread & ~conflicts):
        try:
            parsed[position] = parse_amount(texts.iloc[position], separator)
        except AmountError:
            parsed[position] = np.nan
            unreadable[position] = True
    parsed[conflicts] = np.nan
    collect.add(unreadable, column, raw, "a number, e.g. 1250000 or 1,250,000.50")
    collect.add(
        conflicts,
        column,
        raw,
        f"the same decimal separator as the rest of the column ('{separator.value}')",
    )
    infinite = np.isinf(parsed)
    collect.add(infinite, column, raw, "a finite number")
    parsed[infinite] = np.nan
    if column in _REQUIRED_NUMBERS:
        collect.add(blank, column, raw, "a number (this column is required)")
    return parsed


def _text_cells(values: pd.Series) -> np.ndarray:
    """Return which cells are text (CSV cells all are; Excel numbers are not)."""
    if pd.api.types.is_string_dtype(values) or (
        pd.api.types.infer_dtype(values, skipna=True) == "string"
    ):
        return np.ones(len(values), dtype=bool)
    return values.map(lambda value: isinstance(value, str)).to_numpy(dtype=bool)


def _check_range(
    numbers: dict[str, np.ndarray], collect: _Collector, frame: pd.DataFrame
) -> None:
    for column, expected in _NON_NEGATIVE.items():
        values = numbers[column]
        low = values <= 0 if column == "exercise_years" else values < 0
        if column == "remargin_period_days":
            low = values < 1
        collect.add(low, column, frame.get(column), expected)
        if column.endswith("_days"):
            fractional = ~np.isnan(values) & (values != np.round(values))
            collect.add(fractional, column, frame.get(column), expected)
    start, end = numbers["start_years"], numbers["end_years"]
    collect.add(
        end < np.nan_to_num(start, nan=0.0),
        "end_years",
        frame.get("end_years"),
        "an end at or after start_years",
    )


def _check_options(
    text: dict[str, pd.Series],
    numbers: dict[str, np.ndarray],
    collect: _Collector,
    frame: pd.DataFrame,
    out: pd.DataFrame,
) -> None:
    option_type = text["option_type"].str.lower()
    position = text["option_position"].str.lower()
    collect.add(
        ~option_type.isin(["", "call", "put"]),
        "option_type",
        text["option_type"],
        "call, put, or empty for a trade that is not an option",
    )
    is_option = option_type.isin(["call", "put"]).to_numpy()
    collect.add(
        is_option & ~position.isin(["bought", "sold"]).to_numpy(),
        "option_position",
        text["option_position"],
        "bought or sold for an option",
    )
    shift = np.nan_to_num(numbers["shift"], nan=0.0)
    for column in ("underlying_price", "strike", "exercise_years"):
        collect.add(
            is_option & np.isnan(numbers[column]),
            column,
            frame.get(column, pd.Series([""] * len(frame))),
            "a number for an option",
        )
    for column in ("underlying_price", "strike"):
        shifted = numbers[column] + shift
        collect.add(
            is_option & (shifted <= 0),
            column,
            frame.get(column),
            "a value above zero once the shift is added; set 'shift' (lambda) so "
            "that price + shift and strike + shift are both positive",
        )
    out["option_type"] = option_type.where(is_option, "")
    out["option_position"] = position.where(is_option, "")


def _check_tranches(
    numbers: dict[str, np.ndarray],
    collect: _Collector,
    frame: pd.DataFrame,
    is_credit: np.ndarray,
) -> None:
    attachment, detachment = numbers["attachment"], numbers["detachment"]
    has_a, has_d = ~np.isnan(attachment), ~np.isnan(detachment)
    collect.add(
        has_a ^ has_d,
        "detachment" if has_a.any() else "attachment",
        frame.get("detachment" if has_a.any() else "attachment"),
        "both attachment and detachment for a CDO tranche",
    )
    tranche = has_a & has_d
    collect.add(
        tranche & ~is_credit,
        "attachment",
        frame.get("attachment"),
        "a tranche only on a credit trade",
    )
    bad = tranche & ~((attachment >= 0) & (attachment < detachment) & (detachment <= 1))
    collect.add(
        bad,
        "detachment",
        frame.get("detachment"),
        "0 <= attachment < detachment <= 1 (fractions of the pool)",
    )


def _netting_set_terms(out: pd.DataFrame, collect: _Collector) -> pd.DataFrame:
    """Build one row of terms per netting set and report rows that disagree."""
    columns = list(NETTING_SET_COLUMNS)
    terms = out[["netting_set_id", *columns]].copy()
    fill = {
        "threshold": 0.0,
        "minimum_transfer_amount": 0.0,
        "nica": 0.0,
        "variation_margin_net_held": 0.0,
        "remargin_period_days": 1.0,
        "mpor_days": 0.0,
    }
    terms = terms.fillna(fill)
    first = terms.groupby("netting_set_id", sort=False).transform("first")
    for column in columns:
        differs = (terms[column] != first[column]).to_numpy()
        collect.add(
            differs,
            column,
            terms[column],
            f"the same {column} on every trade of netting set (first row's value "
            "applies to the whole set)",
        )
    for column in fill:
        out[column] = terms[column].to_numpy()
    return terms.groupby("netting_set_id", sort=False).first()


# --- Template -----------------------------------------------------------------

TEMPLATE_ROWS: tuple[dict[str, Any], ...] = (
    {
        "trade_id": "T-0001",
        "netting_set_id": "NS-BANK-A",
        "counterparty_id": "BANK-A",
        "asset_class": "interest_rate",
        "hedging_set": "GBP",
        "notional": 10_000_000,
        "start_years": 0,
        "end_years": 10,
        "maturity_years": 10,
        "direction": "long",
        "mtm": 30_000,
    },
    {
        "trade_id": "T-0002",
        "netting_set_id": "NS-BANK-A",
        "counterparty_id": "BANK-A",
        "asset_class": "fx",
        "hedging_set": "EUR/GBP",
        "notional": 5_000_000,
        "maturity_years": 0.5,
        "direction": "short",
        "mtm": -12_500,
    },
    {
        "trade_id": "T-0003",
        "netting_set_id": "NS-BANK-A",
        "counterparty_id": "BANK-A",
        "asset_class": "equity",
        "sub_class": "single_name",
        "risk_factor": "EXAMPLE PLC",
        "notional": 1_500_000,
        "maturity_years": 0.5,
        "direction": "long",
        "mtm": 40_000,
        "option_type": "call",
        "option_position": "bought",
        "underlying_price": 100,
        "strike": 110,
        "exercise_years": 0.5,
    },
    {
        "trade_id": "T-0004",
        "netting_set_id": "NS-FUND-B",
        "counterparty_id": "FUND-B",
        "asset_class": "commodity",
        "sub_class": "oil_gas",
        "risk_factor": "crude_oil",
        "notional": 2_000_000,
        "maturity_years": 0.75,
        "direction": "short",
        "mtm": -5_000,
        "margined": "true",
        "threshold": 0,
        "minimum_transfer_amount": 50_000,
        "variation_margin_net_held": 0,
        "remargin_period_days": 1,
    },
)


def template_frame() -> pd.DataFrame:
    """Return the downloadable template: every column and four example trades."""
    return pd.DataFrame(list(TEMPLATE_ROWS), columns=list(ALL_COLUMNS))


def template_csv() -> str:
    """Return the template as CSV text with a header row."""
    return template_frame().to_csv(index=False)
