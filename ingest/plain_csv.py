"""Splitting CSV text without quote marks into columns, with pyarrow.

``csv.reader`` reads text that has no quote mark as lines ending in ``\\r\\n``,
``\\n`` or ``\\r``, each cut at every separator. pyarrow's CSV reader, with
quoting and escaping turned off and empty lines kept, cuts such text the same
way when every line has the same number of fields, in C and without one
Python object per cell. ``split_plain_csv`` uses it only for text where the
two readers cannot differ and returns None for any other text, so that the
caller falls back to ``csv.reader``.
"""

from __future__ import annotations

import csv
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

# The characters other than space, tab, \n and \r for which str.isspace() is
# True, so str.strip() removes them too. Text with one of them is left to the
# per-cell reader, so the columnar path strips only spaces and tabs and still
# matches str.strip().
OTHER_WHITESPACE = (
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

# Characters that csv.reader and pyarrow could read differently: quote marks,
# NUL, the byte order mark (removed from every cell by the per-cell reader) and
# whitespace that is not a space or a tab. A bare \r line end is checked
# separately.
_NOT_PLAIN_CHARACTERS = f'"\x00\ufeff{OTHER_WHITESPACE}'
_NOT_PLAIN = re.compile(f"[{_NOT_PLAIN_CHARACTERS}]")
_NOT_PLAIN_ASCII = [ch for ch in _NOT_PLAIN_CHARACTERS if ch.isascii()]


def split_plain_csv(text: str, separator: str) -> list[pa.ChunkedArray] | None:
    """Split CSV text into its columns of raw cells, or return None.

    Parameters
    ----------
    text : str
        The decoded file.
    separator : str
        One character: ``,``, ``;``, tab or ``|``.

    Returns
    -------
    list of pyarrow.ChunkedArray or None
        One array of strings per field position, with one entry per line of
        the file (empty lines give empty cells) and the cells exactly as
        written, spaces included. None when the text has a
        character from ``_NOT_PLAIN_CHARACTERS`` or a bare carriage return,
        when the lines do not all have the same number of fields, or when a
        cell is longer than ``csv.field_size_limit()``.
    """
    if not _is_plain(text):
        return None
    body = text.lstrip("\r\n")
    if body == "":
        return None
    first_line = body.split("\n", 1)[0].removesuffix("\r")
    width = first_line.count(separator) + 1
    names = [f"field_{index}" for index in range(width)]
    try:
        data = text.encode("utf-8")
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=separator,
                quote_char=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    del data
    limit = csv.field_size_limit()
    columns = []
    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest > limit:
            return None
        columns.append(column)
    return columns


def _is_plain(text: str) -> bool:
    """Return True for text with no bare carriage return and no ``_NOT_PLAIN``."""
    if text.count("\r") != text.count("\r\n"):
        return False
    if text.isascii():
        return not any(character in text for character in _NOT_PLAIN_ASCII)
    return _NOT_PLAIN.search(text) is None
