"""Durations from the settings and their wording in messages."""

from __future__ import annotations

import datetime as dt

import pytest

from auth.timing import as_utc, describe_duration, idle_timeout
from runtime.config import load_settings


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (15 * 60, "15 minutes"),
        (90, "90 seconds"),
        (3600, "1 hour"),
        (12 * 3600, "12 hours"),
    ],
)
def test_describe_duration(seconds, expected):
    assert describe_duration(dt.timedelta(seconds=seconds)) == expected


def test_idle_timeout_from_minutes():
    settings = load_settings({"ICARA_DATA_DIR": "unused", "SESSION_IDLE_MINUTES": "7"})
    assert idle_timeout(settings) == dt.timedelta(minutes=7)


def test_idle_seconds_override_minutes():
    settings = load_settings(
        {
            "ICARA_DATA_DIR": "unused",
            "SESSION_IDLE_MINUTES": "7",
            "SESSION_IDLE_SECONDS": "5",
        }
    )
    assert idle_timeout(settings) == dt.timedelta(seconds=5)


def test_naive_time_read_as_utc():
    naive = dt.datetime(2026, 1, 2, 3, 4, 5)
    assert as_utc(naive) == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
