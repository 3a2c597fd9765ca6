"""No plaintext client figure reaches the database dump, Redis or the logs."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import uuid

import pytest
import redis
from storage_helpers import settings_for

from storage.store import Store

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# Figures chosen so that none can occur by chance in hex, base64 or timestamps.
FIGURES = {
    "aum": 73519846.27,
    "requirement": 1470396.93,
    "cet1": 58213904.61,
    "dataset_aum": 44817263.05,
}


def _texts() -> list[str]:
    return [f"{value}" for value in FIGURES.values()]


def test_no_plaintext_anywhere(
    migrated_postgres_url, redis_url, tmp_path, master_key, admin, caplog
):
    caplog.set_level(logging.DEBUG)
    prefix = f"icara-scan-{uuid.uuid4().hex[:12]}"
    store = Store(
        settings_for(tmp_path, migrated_postgres_url, master_key, REDIS_URL=redis_url),
        cache_prefix=prefix,
    )
    client = redis.Redis.from_url(redis_url)
    try:
        firm = store.create_firm(admin, "Scan Ltd")
        inputs = {"aum": FIGURES["aum"]}
        result = {"value": FIGURES["requirement"], "unit": "GBP"}
        store.save_calculation(admin, firm.id, "k_aum", inputs, result)
        store.save_own_funds_snapshot(
            admin, firm.id, dt.date(2026, 9, 30), {"cet1": FIGURES["cet1"]}
        )
        store.save_dataset(
            admin, firm.id, "aum", [{"aum": FIGURES["dataset_aum"]}], "aum.csv"
        )
        store.save_scenario(admin, firm.id, "Stress", inputs, result)
        store.cached_result(admin, firm.id, "k_aum", "1.0.0", inputs, lambda: result)
        assert (
            store.cached_result(admin, firm.id, "k_aum", "1.0.0", inputs, lambda: {})
            == result
        )
        summaries = store.list_calculations(admin, firm.id)
        assert summaries[0].headline_value == FIGURES["requirement"]

        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed to scan the database dump"
        dump = subprocess.run(
            [
                pg_dump,
                "--data-only",
                "--inserts",
                "--dbname",
                _libpq(migrated_postgres_url),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "Scan Ltd" in dump, "the dump should contain the firm's rows"
        redis_blobs = [
            key + b"\n" + (client.get(key) or b"")
            for key in client.scan_iter(f"{prefix}:*")
        ]
        assert redis_blobs, "the cache should hold one entry"
        logs = caplog.text
        assert "Saved calculation" in logs
        for figure in _texts():
            assert figure not in dump, f"{figure} found in the database dump"
            assert figure.encode() not in b"".join(redis_blobs), f"{figure} in Redis"
            assert figure not in logs, f"{figure} found in the logs"
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()
        store.close()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
