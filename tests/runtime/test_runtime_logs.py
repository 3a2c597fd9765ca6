"""One-line log format, context ids, redaction and idempotent set-up."""

from __future__ import annotations

import io
import json
import logging

import pytest
from runtime_helpers import new_key

from runtime.config import load_settings
from runtime.logs import (
    FIGURE_MASK,
    MASK,
    bind_log_context,
    configure_logging,
    log_context,
    mask_figures,
)

pytestmark = pytest.mark.usefixtures("restore_root_logger")


def logged(environ: dict[str, str] | None = None) -> tuple[io.StringIO, logging.Logger]:
    """Configure logging into a fresh buffer and return it with a test logger."""
    stream = io.StringIO()
    configure_logging(load_settings(environ or {}), stream=stream)
    return stream, logging.getLogger("tests.runtime.logs")


def output_lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_keyvalue_line_fields():
    stream, logger = logged()

    logger.info("Saved calculation %s", 17, extra={"calculator": "k_aum"})

    (line,) = output_lines(stream)
    assert line.startswith("time=")
    assert " level=INFO " in line
    assert " logger=tests.runtime.logs " in line
    assert ' event="Saved calculation 17" ' in line
    assert line.endswith(" calculator=k_aum")


def test_json_line_fields():
    stream, logger = logged({"LOG_FORMAT": "json"})

    logger.warning("Cache degraded", extra={"firm_id": 3, "user_id": 9})

    (line,) = output_lines(stream)
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["event"] == "Cache degraded"
    assert record["firm_id"] == 3
    assert record["user_id"] == 9
    assert list(record)[:6] == [
        "time",
        "level",
        "logger",
        "firm_id",
        "user_id",
        "event",
    ]


def test_context_ids_added():
    stream, logger = logged()

    with log_context(firm_id=12, user_id="alice"):
        logger.info("inside")
    logger.info("outside")

    inside, outside = output_lines(stream)
    assert " firm_id=12 user_id=alice " in inside
    assert "firm_id" not in outside
    assert "user_id" not in outside


def test_bound_context_ids_added():
    stream, logger = logged()

    with log_context():
        bind_log_context(firm_id=4)
        logger.info("bound")

    (line,) = output_lines(stream)
    assert " firm_id=4 " in line


def test_extra_ids_win_over_context():
    stream, logger = logged()

    with log_context(firm_id=1):
        logger.info("explicit", extra={"firm_id": 2})

    (line,) = output_lines(stream)
    assert " firm_id=2 " in line


def test_level_from_settings():
    stream, logger = logged({"LOG_LEVEL": "WARNING"})

    logger.info("hidden")
    logger.warning("shown")

    lines = output_lines(stream)
    assert len(lines) == 1
    assert "shown" in lines[0]


def test_multiline_message_stays_one_line():
    stream, logger = logged()

    try:
        raise ValueError("first\nsecond")
    except ValueError:
        logger.exception("Failed\nto save")

    lines = output_lines(stream)
    assert len(lines) == 1
    assert "Traceback" in lines[0]
    assert "ValueError" in lines[0]


def test_configure_twice_keeps_one_handler():
    stream, logger = logged()
    configure_logging(load_settings({"LOG_FORMAT": "json"}))

    logger.info("once")

    lines = output_lines(stream)
    assert len(lines) == 1
    assert json.loads(lines[0])["event"] == "once"
    installed = [
        handler
        for handler in logging.getLogger().handlers
        if type(handler).__name__ == "_IcaraHandler"
    ]
    assert len(installed) == 1


SECRET_MESSAGES = [
    ("password=%s for %s", ("Hunter2-pw", "alice"), "Hunter2-pw"),
    ("login with password: %s", ("Hunter2-pw",), "Hunter2-pw"),
    ("token=%s", ("tok_9f8e7d6c5b",), "tok_9f8e7d6c5b"),
    ('payload {"api_key": "%s"}', ("ak-123456789",), "ak-123456789"),
    ("headers Authorization: Bearer %s", ("eyJhbGciOi.abc.def",), "eyJhbGciOi"),
    (
        "connecting to %s",
        ("postgresql+psycopg://app:Db-Pass-77@db:5432/icara",),
        "Db-Pass-77",
    ),
    ("redis %s", ("rediss://:Redis-Pass-88@cache:6380/0",), "Redis-Pass-88"),
    ("signing_key=%s", ("abcdefghijklmnopqrstuvwxyz123456",), "abcdefghijklmnop"),
]


@pytest.mark.parametrize(
    ("message", "args", "secret"),
    SECRET_MESSAGES,
    ids=[
        "password-pair",
        "password-colon",
        "token",
        "json-api-key",
        "bearer",
        "database-url",
        "redis-url",
        "signing-key",
    ],
)
def test_secret_in_message_masked(message, args, secret):
    stream, logger = logged()

    logger.error(message, *args)

    text = stream.getvalue()
    assert secret not in text
    assert MASK in text


def test_secret_extra_fields_masked():
    stream, logger = logged({"LOG_FORMAT": "json"})

    logger.info(
        "login",
        extra={
            "password": "Hunter2-pw",
            "session_token": "tok-abcdef",
            "api_key": "ak-xyz",
            "username": "alice",
        },
    )

    record = json.loads(stream.getvalue())
    assert record["password"] == MASK
    assert record["session_token"] == MASK
    assert record["api_key"] == MASK
    assert record["username"] == "alice"


def test_configured_secret_values_masked_anywhere():
    key = new_key()
    signing_key = "sign-" + "q" * 40
    stream = io.StringIO()
    configure_logging(
        load_settings(
            {
                "ENCRYPTION_KEY": key,
                "AUTH_SIGNING_KEY": signing_key,
                "REDIS_URL": "redis://:Cache-Secret-1@cache:6379/0",
            }
        ),
        stream=stream,
    )
    logger = logging.getLogger("tests.runtime.logs")

    logger.warning("key material %s and %s", key, signing_key)
    logger.warning("unusual %s", "xCache-Secret-1x")
    try:
        raise RuntimeError(f"decrypt failed with {key}")
    except RuntimeError:
        logger.exception("caught")

    text = stream.getvalue()
    assert key not in text
    assert signing_key not in text
    assert "Cache-Secret-1" not in text
    assert text.count(MASK) >= 4


def test_exception_text_redacted():
    stream, logger = logged()

    try:
        raise ConnectionError("auth failed: password=Sekr1t-Value")
    except ConnectionError:
        logger.exception("Database unreachable")

    text = stream.getvalue()
    assert "Sekr1t-Value" not in text
    assert "ConnectionError" in text


def test_client_data_figures_masked():
    stream, logger = logged()

    logger.info(
        "Own funds %s against threshold %s on %s (MIFIDPRU 4.7.5R), ratio %s",
        "£1,234,567.89",
        987654321,
        "2026-12-01",
        "112.5%",
        extra={"client_data": True, "firm_id": 42, "surplus_gbp": 246913.5},
    )

    (line,) = output_lines(stream)
    for figure in ("1,234,567.89", "987654321", "112.5", "246913.5"):
        assert figure not in line
    assert "2026-12-01" in line
    assert "4.7.5R" in line
    assert " firm_id=42 " in line
    assert FIGURE_MASK in line


def test_figures_kept_without_client_flag():
    stream, logger = logged()

    logger.info("Processed %s rows in %s ms", 1500, 35)

    assert "1500 rows in 35 ms" in stream.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,250,000.00", FIGURE_MASK),
        ("-500", FIGURE_MASK),
        ("(2,000)", FIGURE_MASK + ")"),
        ("GBP 775000", FIGURE_MASK),
        ("3.2m", FIGURE_MASK),
        ("1.5bn", FIGURE_MASK),
        ("12.5%", FIGURE_MASK),
        ("1e6", FIGURE_MASK),
        ("2026-12-01", "2026-12-01"),
        ("MIFIDPRU 4.10.19R", "MIFIDPRU 4.10.19R"),
        ("k_aum", "k_aum"),
    ],
)
def test_mask_figures_shapes(text, expected):
    assert mask_figures(text) == expected


def test_redaction_runs_once_per_record():
    stream, logger = logged()
    second = io.StringIO()
    extra_handler = logging.StreamHandler(second)
    logging.getLogger().addHandler(extra_handler)
    try:
        logger.info("password=%s", "Twice-Secret")
    finally:
        logging.getLogger().removeHandler(extra_handler)

    # The filter rewrote the record, so a handler added after ours receives the
    # masked message too.
    assert "Twice-Secret" not in stream.getvalue()
    assert "Twice-Secret" not in second.getvalue()
