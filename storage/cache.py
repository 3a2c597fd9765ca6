"""Result caches holding ciphertext only: Redis, or an in-process LRU.

A Redis failure never fails the caller, because reads then miss and writes are
skipped. The failure is logged at most once a minute, with a count of the ones
not logged, and Redis is left alone for a short back-off before the next try.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT_SECONDS = 0.25
BACKOFF_SECONDS = 5.0
LOG_INTERVAL_SECONDS = 60.0
IN_PROCESS_MAX_ENTRIES = 2_048


@dataclass(frozen=True)
class CacheHealth:
    """Whether the cache works, and why not when it does not."""

    kind: str
    healthy: bool
    reason: str | None


class InProcessCache:
    """A thread-safe least-recently-used cache with a lifetime per entry."""

    kind = "in-process"

    def __init__(self, max_entries: int = IN_PROCESS_MAX_ENTRIES) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + ttl_seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def values(self) -> list[bytes]:
        """Return every stored value (for tests that scan for plaintext)."""
        with self._lock:
            return [value for _, value in self._entries.values()]

    def health(self) -> CacheHealth:
        return CacheHealth(self.kind, True, None)


class RedisCache:
    """Redis with short socket timeouts and no retries, degrading to misses."""

    kind = "redis"

    def __init__(
        self, url: str, timeout_seconds: float = SOCKET_TIMEOUT_SECONDS
    ) -> None:
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), 0),
            retry_on_timeout=False,
        )
        self._lock = threading.Lock()
        self._skip_until = 0.0
        self._last_error: str | None = None
        self._last_logged = 0.0
        self._unlogged_failures = 0

    def _available(self) -> bool:
        return time.monotonic() >= self._skip_until

    def _record_failure(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._skip_until = now + BACKOFF_SECONDS
            self._last_error = f"{operation} failed: {type(error).__name__}: {error}"
            if now - self._last_logged >= LOG_INTERVAL_SECONDS:
                logger.warning(
                    "Redis cache unavailable, continuing uncached (%s; %s earlier "
                    "failures not logged); next attempt in %.0f s",
                    self._last_error,
                    self._unlogged_failures,
                    BACKOFF_SECONDS,
                )
                self._last_logged = now
                self._unlogged_failures = 0
            else:
                self._unlogged_failures += 1

    def _record_success(self) -> None:
        if self._last_error is not None:
            with self._lock:
                if self._last_error is not None:
                    logger.info("Redis cache reachable again")
                self._last_error = None

    def get(self, key: str) -> bytes | None:
        if not self._available():
            return None
        try:
            value = self._client.get(key)
        except redis.RedisError as error:
            self._record_failure("GET", error)
            return None
        self._record_success()
        return value  # type: ignore[return-value]

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        if not self._available():
            return
        try:
            self._client.set(key, value, ex=ttl_seconds)
        except redis.RedisError as error:
            self._record_failure("SET", error)
            return
        self._record_success()

    def health(self) -> CacheHealth:
        """Ping Redis now (ignoring the back-off) and report the outcome."""
        try:
            self._client.ping()
        except redis.RedisError as error:
            self._record_failure("PING", error)
            return CacheHealth(self.kind, False, self._last_error)
        self._record_success()
        return CacheHealth(self.kind, True, None)

    def close(self) -> None:
        self._client.close()


ResultCache = InProcessCache | RedisCache


def make_cache(redis_url: str | None) -> ResultCache:
    """Return a Redis cache for ``redis_url``, or the in-process cache if unset."""
    if redis_url:
        return RedisCache(redis_url)
    return InProcessCache()
