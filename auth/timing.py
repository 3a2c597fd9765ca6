"""Session lifetimes and lockout durations taken from the settings."""

from __future__ import annotations

import datetime as dt

from runtime.config import Settings

# A login session ends this long after it started, however active it is, so a
# browser tab left open for days does not keep access alive.
ABSOLUTE_SESSION_LIFETIME = dt.timedelta(hours=12)


def utc_now() -> dt.datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return ``moment`` as aware UTC; a naive value is taken to be UTC already.

    SQLite returns naive datetimes even for columns declared with a timezone.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def idle_timeout(settings: Settings) -> dt.timedelta:
    """Return how long a session may go without a rerun before it ends.

    ``SESSION_IDLE_SECONDS``, when set, overrides ``SESSION_IDLE_MINUTES`` so that
    tests can use a timeout shorter than a minute.
    """
    if settings.session_idle_seconds:
        return dt.timedelta(seconds=settings.session_idle_seconds)
    return dt.timedelta(minutes=settings.session_idle_minutes)


def lockout_duration(settings: Settings) -> dt.timedelta:
    """Return how long an account stays locked after too many wrong passwords."""
    return dt.timedelta(minutes=settings.lockout_minutes)


def describe_duration(duration: dt.timedelta) -> str:
    """Return ``duration`` in words, e.g. ``"15 minutes"``, ``"12 hours"``."""
    seconds = int(duration.total_seconds())
    if seconds % 60:
        return _plural(seconds, "second")
    minutes = seconds // 60
    if minutes % 60:
        return _plural(minutes, "minute")
    return _plural(minutes // 60, "hour")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
