"""Measure the storage layer on PostgreSQL and Redis.

Prints saves per second (encrypt and commit, one thread), loads per second
(fetch and decrypt) over the saved calculations, the time to list them all,
cache hit latency against recomputation, and encryption as a share of a save.

Usage::

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python benchmarks/storage_benchmark.py [--calculations 10000]

The benchmark creates a temporary database next to the one in DATABASE_URL
(so that role needs CREATEDB), uses a random master key and a unique Redis key
prefix, and drops both afterwards. The saved payloads are real calculator
results from the golden cases in ``tests/fixtures/mifidpru.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc.registry import get_calculator  # noqa: E402
from runtime.config import load_settings  # noqa: E402
from storage.actor import Actor  # noqa: E402
from storage.crypto import encrypt_json, generate_master_key  # noqa: E402
from storage.database import make_engine  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.store import Store  # noqa: E402

CACHE_TARGET_MS = 5.0
ENCRYPTION_TARGET_SHARE = 0.10


def _golden_payloads() -> list[tuple[str, dict, dict]]:
    cases = json.loads((ROOT / "tests/fixtures/mifidpru.json").read_text())["cases"]
    payloads = []
    for case in cases:
        result = get_calculator(case["calculator"])(case["inputs"]).to_dict()
        payloads.append((case["calculator"], case["inputs"], result))
    return payloads


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _create_database(admin_url: str) -> str:
    name = f"icara_bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    engine.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(False)


def _drop_database(admin_url: str, url: str) -> None:
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    engine.dispose()


def _measure_saves(store, actor, firm_id, payloads, count):
    ids = []
    started = time.perf_counter()
    for n in range(count):
        calculator, inputs, result = payloads[n % len(payloads)]
        ids.append(store.save_calculation(actor, firm_id, calculator, inputs, result))
    return ids, time.perf_counter() - started


def _measure_encryption(payloads, repeats: int) -> float:
    """Mean seconds to encrypt the three fields of one saved calculation."""
    data_key = os.urandom(32)
    started = time.perf_counter()
    for n in range(repeats):
        _, inputs, result = payloads[n % len(payloads)]
        headline = {"value": result.get("value"), "unit": result.get("unit")}
        for field, value in (
            ("inputs", inputs),
            ("result", result),
            ("headline", headline),
        ):
            encrypt_json(
                data_key,
                value,
                firm_id=1,
                table="calculations",
                record_id=n,
                field=field,
                version=1,
            )
    return (time.perf_counter() - started) / repeats


def _measure_round_trip(store, repeats: int = 500) -> float:
    """Mean seconds of one ``select 1`` and commit, the floor under each call."""
    started = time.perf_counter()
    for _ in range(repeats):
        with store.db.engine.begin() as connection:
            connection.execute(sa.text("select 1"))
    return (time.perf_counter() - started) / repeats


def _measure_cache(store, actor, firm_id, payloads, reads: int):
    rows = []
    seen = set()
    for calculator, inputs, _ in payloads:
        if calculator in seen or calculator not in {"k_aum", "k_cmh", "k_coh"}:
            continue
        seen.add(calculator)
        run = get_calculator(calculator)
        recompute = []
        for _ in range(20):
            started = time.perf_counter()
            run(inputs).to_dict()
            recompute.append(time.perf_counter() - started)

        def compute(run=run, inputs=inputs):
            return run(inputs).to_dict()

        store.cached_result(actor, firm_id, calculator, "bench", inputs, compute)
        hits = []
        for _ in range(reads):
            started = time.perf_counter()
            store.cached_result(actor, firm_id, calculator, "bench", inputs, compute)
            hits.append(time.perf_counter() - started)
        rows.append(
            (
                calculator,
                statistics.median(recompute) * 1000,
                statistics.median(hits) * 1000,
                _percentile(hits, 0.95) * 1000,
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calculations", type=int, default=10_000)
    parser.add_argument("--cache-reads", type=int, default=1_000)
    arguments = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not admin_url.startswith("postgresql") or not redis_url.startswith("redis"):
        print("Set DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).", file=sys.stderr)
        return 2

    payloads = _golden_payloads()
    url = _create_database(admin_url)
    prefix = f"icara-bench-{uuid.uuid4().hex[:10]}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(
            {
                "DATABASE_URL": url,
                "REDIS_URL": redis_url,
                "ENCRYPTION_KEY": generate_master_key(),
                "ICARA_DATA_DIR": data_dir,
            }
        )
        store = Store(settings, cache_prefix=prefix)
        try:
            actor = Actor.system("benchmark")
            firm = store.create_firm(actor, "Benchmark Capital LLP")
            count = arguments.calculations

            round_trip = _measure_round_trip(store)
            ids, save_seconds = _measure_saves(store, actor, firm.id, payloads, count)
            save_mean = save_seconds / count
            encryption_mean = _measure_encryption(payloads, min(count, 2_000))

            order = ids[:]
            random.Random(7).shuffle(order)
            started = time.perf_counter()
            for record_id in order:
                store.load_calculation(actor, firm.id, record_id)
            load_seconds = time.perf_counter() - started

            started = time.perf_counter()
            listed = store.list_calculations(actor, firm.id)
            list_seconds = time.perf_counter() - started
            assert len(listed) == count

            cache_rows = _measure_cache(
                store, actor, firm.id, payloads, arguments.cache_reads
            )
            status = store.status()
        finally:
            store.close()
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)
            client.close()
            _drop_database(admin_url, url)

    sizes = [len(json.dumps(result)) for _, _, result in payloads]
    print(f"Storage benchmark: {count} calculations, PostgreSQL + Redis")
    print(f"  payload result size: {min(sizes)} to {max(sizes)} bytes of JSON")
    print(f"  cache: {status.cache_kind}, healthy={status.cache_healthy}")
    print(f"  one 'select 1' transaction (baseline): {round_trip * 1000:.2f} ms")
    print(f"  saves per second (encrypt + commit): {count / save_seconds:,.0f}")
    print(f"  mean save: {save_mean * 1000:.2f} ms")
    print(f"  loads per second (fetch + decrypt): {count / load_seconds:,.0f}")
    print(f"  list all {count} with headlines: {list_seconds * 1000:.0f} ms")
    share = encryption_mean / save_mean
    print(
        f"  encryption per save: {encryption_mean * 1e6:.0f} us = {share:.1%} of a "
        f"save (target < {ENCRYPTION_TARGET_SHARE:.0%}): "
        f"{'met' if share < ENCRYPTION_TARGET_SHARE else 'MISSED'}"
    )
    print("  cache hit vs recomputation (median ms; hit p95 ms):")
    for calculator, recompute_ms, hit_ms, hit_p95_ms in cache_rows:
        verdict = "met" if hit_p95_ms < CACHE_TARGET_MS else "MISSED"
        print(
            f"    {calculator:<8} recompute {recompute_ms:8.3f}  hit {hit_ms:6.3f}  "
            f"hit p95 {hit_p95_ms:6.3f}  (target < {CACHE_TARGET_MS} ms: {verdict})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
