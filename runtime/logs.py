"""One-line structured logging with secret and client-figure redaction.

``configure_logging(settings)`` installs one handler on the root logger that
writes each event as a single line, either ``key=value`` pairs or a JSON object.
Streamlit reruns the app script on every interaction, so the function is
idempotent: a second call updates the handler it installed before instead of
adding another.

Each line carries the firm and user ids when they are known, taken from the
record's ``extra`` (``firm_id``, ``user_id``) or from ``log_context``. Use
``log_context(firm_id=..., user_id=...)`` around the work of one request or
script run. Streamlit runs each script run in a thread of its own, and a new
thread starts with empty context variables, so set the context again in each
run.

Redaction happens in a filter on the installed handler, before formatting:

- values of extra fields whose names look like secrets (password, token, key,
  secret, credential, cookie, authorization) become ``***``;
- ``name=value`` and ``name: value`` pairs with such names inside the message
  or the exception text have their value masked, as do passwords in URLs and
  ``Bearer`` tokens;
- the secret values held in the settings (encryption and signing keys, database
  and Redis passwords) are masked wherever they appear;
- a record logged with ``extra={"client_data": True}`` has every figure in its
  message and extra fields masked (``£1,250,000.00``, ``12.5%``, ``3.2m``),
  keeping ISO dates and the id fields.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from runtime.config import Settings

MASK = "***"
FIGURE_MASK = "[figure]"

# Attributes every LogRecord has. Anything else on a record came from ``extra``.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("name", logging.INFO, "path", 1, "msg", None, None))
) | {"message", "asctime", "taskName"}

# Fields written at the start of each line, in this order.
_LEADING_FIELDS = ("time", "level", "logger", "firm_id", "user_id", "event")
_ID_FIELDS = frozenset({"firm_id", "user_id", "request_id", "session_id"})

_SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|"
    r"signing[_-]?key|encryption[_-]?key|(^|[_-])key$|credential|cookie|"
    r"authori[sz]ation|dsn",
    re.IGNORECASE,
)

# name=value, name: value, "name": "value" where name looks like a secret.
_SECRET_PAIR = re.compile(
    r"""(?P<name>["']?[\w.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|"""
    r"""private[_-]?key|signing[_-]?key|encryption[_-]?key|credential|cookie|"""
    r"""authori[sz]ation|(?<![a-z])key)[\w-]*["']?)"""
    r"""(?P<separator>\s*[=:]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&)}\]]+)""",
    re.IGNORECASE,
)
_URL_PASSWORD = re.compile(r"(?P<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?=@)")
_BEARER = re.compile(r"(?P<prefix>\bbearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

# A figure: optional sign and currency, digits with separators, optional
# decimals and a scale or percent suffix. The look-arounds leave alone digits
# inside a word or a path and dotted rule references such as 4.7.5R.
_FIGURE = re.compile(
    r"(?<![\w.\-/\ue000])"
    r"[-+(]?"
    r"(?:(?:£|\$|€)\s?|(?:GBP|USD|EUR)\s)?"
    r"\d(?:[\d,_]*\d)?"
    r"(?:\.\d+)?"
    r"(?:[eE][-+]?\d+)?"
    r"(?:\s?(?:%|bn|mn|m|k)(?![A-Za-z]))?"
    r"(?![\w\-/]|\.\d)"
)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?\b")
_DATE_PLACEHOLDER = "\ue000"

firm_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "firm_id", default=None
)
user_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "user_id", default=None
)


@contextlib.contextmanager
def log_context(
    firm_id: str | int | None = None, user_id: str | int | None = None
) -> Iterator[None]:
    """Tag every log line written inside the block with the firm and user ids."""
    firm_token = firm_id_var.set(None if firm_id is None else str(firm_id))
    user_token = user_id_var.set(None if user_id is None else str(user_id))
    try:
        yield
    finally:
        firm_id_var.reset(firm_token)
        user_id_var.reset(user_token)


def bind_log_context(
    firm_id: str | int | None = None, user_id: str | int | None = None
) -> None:
    """Set the firm and user ids for the rest of the current thread or task.

    Use this at the top of a Streamlit page, where a ``with`` block around the
    whole script is awkward.
    """
    firm_id_var.set(None if firm_id is None else str(firm_id))
    user_id_var.set(None if user_id is None else str(user_id))


def is_secret_name(name: str) -> bool:
    """Return whether a field called ``name`` probably contains a secret."""
    return bool(_SECRET_NAME.search(name))


def mask_figures(text: str) -> str:
    """Replace every figure in ``text`` by ``[figure]``, keeping ISO dates."""
    dates = _ISO_DATE.findall(text)
    masked = _FIGURE.sub(FIGURE_MASK, _ISO_DATE.sub(_DATE_PLACEHOLDER, text))
    for date in dates:
        masked = masked.replace(_DATE_PLACEHOLDER, date, 1)
    return masked


class RedactionFilter(logging.Filter):
    """Mask secrets, and figures in client-data records, before formatting.

    The filter rewrites the record in place: it formats the message with its
    arguments, masks the result and clears ``args``. It never drops a record.
    """

    def __init__(self, secret_values: Iterable[str] = ()) -> None:
        super().__init__()
        self.secret_values: list[str] = []
        self.set_secret_values(secret_values)

    def set_secret_values(self, values: Iterable[str]) -> None:
        """Set the literal strings to mask wherever they appear.

        Values shorter than 4 characters are ignored: masking them would hide
        ordinary words and digits.
        """
        unique = {value for value in values if value and len(value) >= 4}
        # Longest first, so that a value containing another is masked whole.
        self.secret_values = sorted(unique, key=len, reverse=True)

    def redact_text(self, text: str, client_data: bool = False) -> str:
        """Return ``text`` with secrets, and figures if ``client_data``, masked."""
        for value in self.secret_values:
            text = text.replace(value, MASK)
        text = _URL_PASSWORD.sub(lambda match: match.group("prefix") + MASK, text)
        text = _BEARER.sub(lambda match: match.group("prefix") + MASK, text)
        text = _SECRET_PAIR.sub(_mask_pair, text)
        if client_data:
            text = mask_figures(text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_icara_redacted", False):
            return True
        client_data = bool(getattr(record, "client_data", False))

        try:
            message = record.getMessage()
        except (TypeError, ValueError) as error:
            message = f"{record.msg!r} (message arguments did not fit: {error})"
        record.msg = self.redact_text(message, client_data)
        record.args = None

        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact_text(record.exc_text, client_data)
        if record.stack_info:
            record.stack_info = self.redact_text(record.stack_info, client_data)

        for name, value in list(vars(record).items()):
            if name in _STANDARD_ATTRIBUTES or name.startswith("_"):
                continue
            record.__dict__[name] = self._redact_field(name, value, client_data)
        record._icara_redacted = True
        return True

    def _redact_field(self, name: str, value: Any, client_data: bool) -> Any:
        if name in _ID_FIELDS or name == "client_data":
            return value
        if is_secret_name(name):
            return MASK if value not in (None, "") else value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            return FIGURE_MASK if client_data else value
        return self.redact_text(str(value), client_data)


def _mask_pair(match: re.Match[str]) -> str:
    value = match.group("value")
    quote = value[0] if value[:1] in {'"', "'"} else ""
    return f"{match.group('name')}{match.group('separator')}{quote}{MASK}{quote}"


class OneLineFormatter(logging.Formatter):
    """Format a record as one line of ``key=value`` pairs or one JSON object.

    Newlines inside the message or the traceback are escaped so that a log
    collector receives one event per line.
    """

    def __init__(self, style_name: str = "keyvalue") -> None:
        super().__init__()
        self.style_name = style_name

    def format(self, record: logging.LogRecord) -> str:
        fields = self.fields(record)
        if self.style_name == "json":
            return json.dumps(fields, default=str, ensure_ascii=False)
        return " ".join(f"{key}={_quote(value)}" for key, value in fields.items())

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        """Return the ordered fields of one line."""
        timestamp = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        fields: dict[str, Any] = {
            "time": timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        firm_id = getattr(record, "firm_id", None) or firm_id_var.get()
        user_id = getattr(record, "user_id", None) or user_id_var.get()
        if firm_id is not None:
            fields["firm_id"] = firm_id
        if user_id is not None:
            fields["user_id"] = user_id
        fields["event"] = record.getMessage()

        for name, value in vars(record).items():
            if (
                name in _STANDARD_ATTRIBUTES
                or name in _LEADING_FIELDS
                or name.startswith("_")
            ):
                continue
            fields[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            fields["exception"] = record.exc_text
        if record.stack_info:
            fields["stack"] = record.stack_info
        return fields


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    if text and not re.search(r'[\s"=\\]', text):
        return text
    return json.dumps(text, ensure_ascii=False)


class _IcaraHandler(logging.StreamHandler):
    """The handler ``configure_logging`` installs, found again by its type."""


def configure_logging(
    settings: Settings, stream: IO[str] | None = None
) -> logging.Handler:
    """Install or update the app's log handler on the root logger.

    Parameters
    ----------
    settings : Settings
        Supplies the level (``log_level``), the line format (``log_format``)
        and the secret values to mask.
    stream : text stream, optional
        Where lines go; standard error when omitted. Passing a stream on a later
        call moves the existing handler to it.

    Returns
    -------
    logging.Handler
        The single handler this module manages.
    """
    root = logging.getLogger()
    handler = next(
        (item for item in root.handlers if isinstance(item, _IcaraHandler)), None
    )
    if handler is None:
        handler = _IcaraHandler(stream or sys.stderr)
        handler.addFilter(RedactionFilter())
        root.addHandler(handler)
    elif stream is not None and handler.stream is not stream:
        handler.setStream(stream)

    redaction = next(
        item for item in handler.filters if isinstance(item, RedactionFilter)
    )
    redaction.set_secret_values(settings.secret_values())
    handler.setFormatter(OneLineFormatter(settings.log_format))
    handler.setLevel(settings.log_level)
    root.setLevel(settings.log_level)
    logging.captureWarnings(True)
    return handler
