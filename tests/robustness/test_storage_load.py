"""Fifty concurrent savers on PostgreSQL: every row present and decryptable.

Bounded: 50 threads x 6 saves, on the pool of ``storage.database`` (10 + 10
connections). Throughput and latency percentiles are printed (run with ``-s``)
and appended to ``ROBUSTNESS_FIGURES`` when that variable names a file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from storage.actor import Actor
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.migrate import upgrade_to_head
from storage.store import Store
from tests.robustness.load_figures import summarise
from tests.robustness.storage_services import settings_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

THREADS = 50
SAVES_PER_THREAD = 6
FIRMS = 5


@pytest.fixture
def store(fresh_postgres_url, tmp_path) -> Iterator[Store]:
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()
    store = Store(settings_for(tmp_path, fresh_postgres_url, generate_master_key()))
    yield store
    store.close()


def test_fifty_concurrent_savers_lose_nothing(store) -> None:
    admin = Actor.system("robustness-load")
    firms = [store.create_firm(admin, f"Load Firm {n}") for n in range(FIRMS)]
    saved: list[tuple[int, int, int]] = []
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def work(worker: int) -> None:
        firm = firms[worker % FIRMS]
        actor = Actor(
            1000 + worker,
            f"saver{worker}",
            frozenset({"analyst"}),
            frozenset({firm.id}),
        )
        barrier.wait(timeout=60)
        for n in range(SAVES_PER_THREAD):
            value = worker * 1000 + n
            result = {"calculator": "k_aum", "value": float(value), "unit": "GBP"}
            started = time.perf_counter()
            try:
                record_id = store.save_calculation(
                    actor, firm.id, "k_aum", {"worker": worker, "n": n}, result
                )
            except BaseException as error:  # noqa: BLE001 - asserted below
                with lock:
                    errors.append(error)
                continue
            finished = time.perf_counter()
            with lock:
                latencies.append(finished - started)
                saved.append((firm.id, record_id, value))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    assert len(saved) == THREADS * SAVES_PER_THREAD
    assert len({record_id for _, record_id, _ in saved}) == len(saved)
    for firm in firms:
        listed = store.list_calculations(admin, firm.id)
        assert len(listed) == THREADS * SAVES_PER_THREAD // FIRMS
        assert all(summary.headline_error is None for summary in listed)
    for firm_id, record_id, value in saved:
        record = store.load_calculation(admin, firm_id, record_id)
        assert record.result["value"] == value
        assert record.inputs == {"worker": value // 1000, "n": value % 1000}
    outcome = store.verify_audit_chain()
    assert outcome.ok
    assert outcome.rows_checked == FIRMS + THREADS * SAVES_PER_THREAD

    figures = summarise("storage_50_concurrent_saves", latencies, elapsed)
    assert figures["operations"] == THREADS * SAVES_PER_THREAD
