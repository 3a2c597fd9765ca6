"""Upload schemas: the columns each kind of upload has, and how headers match.

A schema lists its columns with their type, whether they are required, the
other header names accepted for them and the values allowed. Header matching
ignores case, spaces, underscores, hyphens and brackets, so ``Amount (GBP)``,
``amount_gbp`` and ``AMOUNT GBP`` are the same header.

The schemas themselves are defined in ``ingest.kinds`` and collected in
``SCHEMAS``; ``ingest.upload.parse_upload`` applies them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ingest.issues import ParseIssue


class ColumnType(StrEnum):
    """The type that a column's cells are read as."""

    DATE = "date"
    AMOUNT = "amount"  # money, with an optional currency sign or code
    NUMBER = "number"  # a plain decimal such as an FX rate or a number of years
    INTEGER = "integer"
    TEXT = "text"
    CHOICE = "choice"
    BOOLEAN = "yes/no"
    CURRENCY = "currency"


class Period(StrEnum):
    """The dates a series must cover without gaps."""

    MONTH_END = "month-end"
    BUSINESS_DAY = "business day"


class Required(StrEnum):
    """Whether a column must be present, and whether its cells may be empty."""

    YES = "required"
    OPTIONAL = "optional"


_EMPTY = object()

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0"})

# Columns that analysts' exports often carry and that no upload reads; they are
# ignored with a warning. Any other header that matches no column is an error,
# because a misspelt optional header would otherwise fall back to its default.
IGNORED_HEADERS = frozenset(
    {"notes", "note", "comment", "comments", "remarks", "source", "reference", "ref"}
)


def normalise_header(text: str) -> str:
    """Return the matching key of a header: lower case words joined by ``_``."""
    return "_".join(re.findall(r"[0-9a-z£$€%]+", str(text).lower()))


def normalise_choice(text: str) -> str:
    """Return the matching key of a choice value (same rule as headers)."""
    return normalise_header(text)


@dataclass(frozen=True)
class Column:
    """One column of an upload.

    Attributes
    ----------
    name : str
        The canonical name, used in the parsed frame and the template.
    type : ColumnType
        How cells are read.
    required : Required
        ``YES``: the header must be present. ``OPTIONAL``: it may be absent, and
        its cells then take ``default``.
    description : str
        One line for the template documentation, with units.
    example : str
        The value shown in the template's example row.
    aliases : tuple of str
        Other header names accepted, matched after ``normalise_header``.
    default : Any
        The value of an empty cell. Without a default, an empty cell is an error.
    allow_negative : bool
        For AMOUNT, NUMBER and INTEGER columns.
    minimum, maximum : float or None
        Inclusive bounds for numbers.
    choices : Mapping of str to str
        For CHOICE columns: accepted spelling (any case) to canonical value.
    """

    name: str
    type: ColumnType
    required: Required = Required.YES
    description: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    default: Any = _EMPTY
    allow_negative: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_default(self) -> bool:
        """True when an empty cell takes ``default`` instead of being an error."""
        return self.default is not _EMPTY

    def header_keys(self) -> set[str]:
        """Return every normalised header that matches this column."""
        return {normalise_header(self.name)} | {
            normalise_header(a) for a in self.aliases
        }

    def canonical_choices(self) -> list[str]:
        """Return the distinct canonical values of a CHOICE column, in order."""
        return list(dict.fromkeys(self.choices.values()))


RowCheck = Callable[[dict[str, Any], int], list[ParseIssue]]


@dataclass(frozen=True)
class UploadSchema:
    """The columns and value rules of one kind of upload.

    Attributes
    ----------
    kind : str
        Machine name, e.g. ``"aum_month_end"``.
    title : str
        Human name shown in the app.
    rule : str
        The rule the data feeds, e.g. ``"MIFIDPRU 4.7 (K-AUM)"``.
    description : str
        What one row is.
    columns : tuple of Column
    key : tuple of str
        Columns whose values must be unique together (duplicate rows).
    period : Period or None
        The series' frequency, for gap checks.
    missing_days_are_errors : bool
        True for balances (a missing business day is a gap), False for flows
        (a business day without rows counts as zero, reported as a warning).
    row_checks : tuple of RowCheck
        Checks across the columns of one parsed row.
    """

    kind: str
    title: str
    rule: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    period: Period | None = None
    missing_days_are_errors: bool = True
    row_checks: tuple[RowCheck, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def date_column(self) -> str | None:
        """The name of the column called ``date``, if the schema has one."""
        return "date" if any(c.name == "date" for c in self.columns) else None

    def expected_headers(self) -> str:
        """Return the expected headers as text, required ones first."""
        required = [c.name for c in self.columns if c.required == Required.YES]
        optional = [c.name for c in self.columns if c.required != Required.YES]
        text = "required: " + ", ".join(required)
        if optional:
            text += "; optional: " + ", ".join(optional)
        return text


@dataclass(frozen=True)
class HeaderMatch:
    """The file column position of each schema column, and the header problems."""

    positions: dict[str, int]
    errors: list[ParseIssue]
    warnings: list[ParseIssue]


def match_headers(schema: UploadSchema, headers: list[str]) -> HeaderMatch:
    """Match a file's headers to the schema's columns.

    Reports missing required columns, headers that match no column (with the
    closest expected name), headers used twice and empty headers above data.
    """
    lookup: dict[str, str] = {}
    gbp_only = not any(column.type == ColumnType.CURRENCY for column in schema.columns)
    for column in schema.columns:
        for key in column.header_keys():
            lookup[key] = column.name
            # "Amount (GBP)" names the unit, which is right where every amount
            # is GBP; with a currency column the unit is the row's currency.
            if (
                gbp_only
                and column.type == ColumnType.AMOUNT
                and not key.endswith("gbp")
            ):
                lookup[f"{key}_gbp"] = column.name
    positions: dict[str, int] = {}
    errors: list[ParseIssue] = []
    warnings: list[ParseIssue] = []
    all_keys = sorted(lookup)
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if key == "":
            errors.append(
                ParseIssue(
                    1,
                    f"column {index + 1}",
                    "",
                    "has no header but contains data",
                    f"Name the column ({schema.expected_headers()}) or delete it.",
                )
            )
            continue
        name = lookup.get(key)
        if name is None:
            if key in IGNORED_HEADERS:
                warnings.append(
                    ParseIssue(
                        1,
                        header,
                        header,
                        "is not used by this upload and was ignored",
                        "No action needed.",
                    )
                )
                continue
            close = difflib.get_close_matches(key, all_keys, n=1, cutoff=0.6)
            hint = f" Did you mean '{lookup[close[0]]}'?" if close else ""
            errors.append(
                ParseIssue(
                    1,
                    header,
                    header,
                    "is not a column of this upload",
                    f"Rename or delete the column.{hint} Expected columns: "
                    f"{schema.expected_headers()}.",
                )
            )
            continue
        if name in positions:
            first = headers[positions[name]]
            errors.append(
                ParseIssue(
                    1,
                    header,
                    header,
                    f"is a second column for '{name}' (column {positions[name] + 1}, "
                    f"'{first}', is the first)",
                    "Delete one of the two columns.",
                )
            )
            continue
        positions[name] = index
    for column in schema.columns:
        if column.required == Required.YES and column.name not in positions:
            accepted = sorted({column.name, *column.aliases})
            errors.append(
                ParseIssue(
                    1,
                    column.name,
                    "",
                    f"Required column '{column.name}' is missing; the file has: "
                    f"{', '.join(h for h in headers if h) or 'no headers'}",
                    f"Add a column headed '{column.name}' (also accepted: "
                    f"{', '.join(accepted)}). Expected columns: "
                    f"{schema.expected_headers()}.",
                )
            )
    return HeaderMatch(positions, errors, warnings)


def choice_map(*groups: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """Build a CHOICE mapping from (canonical value, other spellings) groups."""
    mapping: dict[str, str] = {}
    for canonical, spellings in groups:
        for spelling in (canonical, *spellings):
            mapping[normalise_choice(spelling)] = canonical
    return mapping
