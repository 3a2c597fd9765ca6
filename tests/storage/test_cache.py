"""Result cache: hits, misses, Redis outage, and ciphertext-only values."""

from __future__ import annotations

import logging
import os
import socket
import uuid

import pytest
import redis
from storage_helpers import settings_for

from storage.cache import InProcessCache
from storage.store import Store

SECRET_FIGURE = 81726354.19


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Counter:
    def __init__(self, result):
        self.calls = 0
        self.result = result

    def __call__(self):
        self.calls += 1
        return self.result


@pytest.fixture
def redis_prefix(redis_url):
    prefix = f"icara-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_in_process_hit_and_miss(sqlite_store, admin):
    firm = sqlite_store.create_firm(admin, "Cache Ltd")
    compute = Counter({"value": 10.0})
    inputs = {"aum": 5.0}
    args = (admin, firm.id, "k_aum", "1.0.0")
    assert sqlite_store.cached_result(*args, inputs, compute) == {"value": 10.0}
    assert sqlite_store.cached_result(*args, inputs, compute) == {"value": 10.0}
    assert compute.calls == 1
    sqlite_store.cached_result(*args, {"aum": 6.0}, compute)
    assert compute.calls == 2
    sqlite_store.cached_result(admin, firm.id, "k_aum", "1.0.1", inputs, compute)
    assert compute.calls == 3


def test_in_process_lru_and_ttl():
    cache = InProcessCache(max_entries=2)
    cache.set("a", b"1", 60)
    cache.set("b", b"2", 60)
    cache.get("a")
    cache.set("c", b"3", 60)
    assert cache.get("b") is None
    assert cache.get("a") == b"1"
    cache.set("d", b"4", 0)
    assert cache.get("d") is None


def test_cache_keyed_by_firm(sqlite_store, admin):
    first = sqlite_store.create_firm(admin, "Cache One Ltd")
    second = sqlite_store.create_firm(admin, "Cache Two Ltd")
    compute = Counter({"value": 1.0})
    sqlite_store.cached_result(admin, first.id, "k_aum", "1", {"x": 1}, compute)
    sqlite_store.cached_result(admin, second.id, "k_aum", "1", {"x": 1}, compute)
    assert compute.calls == 2


@pytest.mark.redis
def test_redis_hit_holds_ciphertext(
    tmp_path, master_key, admin, redis_url, redis_prefix
):
    store = Store(
        settings_for(tmp_path, None, master_key, REDIS_URL=redis_url),
        cache_prefix=redis_prefix,
    )
    try:
        firm = store.create_firm(admin, "Redis Ltd")
        compute = Counter({"value": SECRET_FIGURE, "unit": "GBP"})
        inputs = {"aum": SECRET_FIGURE}
        args = (admin, firm.id, "k_aum", "1.0.0", inputs)
        assert store.cached_result(*args, compute)["value"] == SECRET_FIGURE
        assert store.cached_result(*args, compute)["value"] == SECRET_FIGURE
        assert compute.calls == 1
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{redis_prefix}:*"))
        assert len(keys) == 1
        ttl = client.ttl(keys[0])
        assert 0 < ttl <= store.settings.cache_ttl_seconds
        value = client.get(keys[0])
        client.close()
        text = str(SECRET_FIGURE).encode()
        assert text not in keys[0]
        assert text not in value
        assert b"GBP" not in value
        assert store.status().cache_kind == "redis"
        assert store.status().cache_healthy
    finally:
        store.close()


@pytest.mark.redis
def test_redis_outage_keeps_working(tmp_path, master_key, admin, caplog):
    dead_url = f"redis://127.0.0.1:{_free_port()}/0"
    store = Store(settings_for(tmp_path, None, master_key, REDIS_URL=dead_url))
    try:
        firm = store.create_firm(admin, "Outage Ltd")
        compute = Counter({"value": 3.0})
        caplog.set_level(logging.WARNING, logger="storage.cache")
        for _ in range(5):
            assert store.cached_result(admin, firm.id, "k", "1", {}, compute) == {
                "value": 3.0
            }
        assert compute.calls == 5
        warnings = [r for r in caplog.records if r.name == "storage.cache"]
        assert len(warnings) == 1
        status = store.status()
        assert status.cache_kind == "redis"
        assert not status.cache_healthy
        assert "ConnectionError" in status.cache_reason
        assert not status.healthy
    finally:
        store.close()


@pytest.fixture
def private_redis(tmp_path):
    """Start a redis-server on a free port; yield (start, stop, url)."""
    import shutil
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed")
    port = _free_port()
    servers: list[subprocess.Popen] = []

    def start() -> None:
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )
        servers.append(server)
        client = redis.Redis(port=port, socket_connect_timeout=0.2)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.RedisError:
                time.sleep(0.1)
        client.close()

    def stop() -> None:
        while servers:
            server = servers.pop()
            server.terminate()
            server.wait(timeout=10)

    yield start, stop, f"redis://127.0.0.1:{port}/0"
    stop()


@pytest.mark.redis
def test_redis_restart_recovers(
    private_redis, tmp_path, master_key, admin, monkeypatch
):
    import storage.cache as cache_module

    start, stop, url = private_redis
    monkeypatch.setattr(cache_module, "BACKOFF_SECONDS", 0.0)
    start()
    store = Store(settings_for(tmp_path, None, master_key, REDIS_URL=url))
    try:
        firm = store.create_firm(admin, "Restart Ltd")
        compute = Counter({"value": 4.0})
        call = (admin, firm.id, "k", "1", {"a": 1}, compute)
        store.cached_result(*call)
        store.cached_result(*call)
        assert compute.calls == 1
        stop()
        assert store.cached_result(*call) == {"value": 4.0}
        assert compute.calls == 2
        assert not store.status().cache_healthy
        start()
        assert store.status().cache_healthy
        store.cached_result(*call)
        store.cached_result(*call)
        assert compute.calls == 3
    finally:
        store.close()
