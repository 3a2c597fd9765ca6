"""Concurrent saves from eight threads: every row and audit link survives."""

from __future__ import annotations

import threading

from storage_helpers import analyst, sample_result

THREADS = 8
SAVES_PER_THREAD = 25


def test_eight_threads_lose_nothing(store, admin):
    firms = [store.create_firm(admin, f"Thread Firm {n}") for n in range(2)]
    saved: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def work(worker: int) -> None:
        firm = firms[worker % 2]
        actor = analyst({firm.id}, f"worker{worker}")
        barrier.wait()
        try:
            for n in range(SAVES_PER_THREAD):
                value = worker * 1000 + n
                record_id = store.save_calculation(
                    actor, firm.id, "k_aum", {"n": value}, sample_result(value)
                )
                with lock:
                    saved.append((firm.id, record_id, value))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(saved) == THREADS * SAVES_PER_THREAD
    assert len({record_id for _, record_id, _ in saved}) == len(saved)
    for firm in firms:
        listed = store.list_calculations(admin, firm.id)
        assert len(listed) == THREADS * SAVES_PER_THREAD // 2
    for firm_id, record_id, value in saved[::17]:
        record = store.load_calculation(admin, firm_id, record_id)
        assert record.inputs == {"n": value}
    outcome = store.verify_audit_chain()
    assert outcome.ok
    assert outcome.rows_checked == 2 + THREADS * SAVES_PER_THREAD
