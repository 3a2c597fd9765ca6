"""Storage under failure: Redis killed, PostgreSQL gone, pool exhausted, bad keys.

Each outage must give a typed ``StorageError`` with a clear message (or, for the
cache, a silent fall-back to recomputing), write nothing by halves, and leave
the store working once the service is back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from storage.actor import Actor
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.errors import (
    DatabaseUnavailable,
    DecryptionError,
    KeyConfigurationError,
)
from storage.migrate import upgrade_to_head
from storage.store import Store
from tests.robustness.storage_services import (
    PrivateRedis,
    SilentServer,
    free_port,
    settings_for,
)

pytestmark = pytest.mark.postgres

RESULT = {
    "calculator": "k_aum",
    "value": 130_000.0,
    "unit": "GBP",
    "calculator_version": "1.0.0",
}


@pytest.fixture
def master_key() -> str:
    return generate_master_key()


@pytest.fixture
def admin() -> Actor:
    return Actor.system("robustness")


@pytest.fixture
def migrated_url(fresh_postgres_url: str) -> str:
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()
    return fresh_postgres_url


@pytest.fixture
def owner_engine(migrated_url: str) -> Iterator[sa.Engine]:
    """A separate engine on the test database, for counting and damaging rows."""
    engine = sa.create_engine(migrated_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_store(migrated_url, tmp_path, master_key) -> Iterator[Store]:
    store = Store(settings_for(tmp_path, migrated_url, master_key))
    yield store
    store.close()


@pytest.fixture
def server_engine(postgres_url: str) -> Iterator[sa.Engine]:
    """An engine on the server's own database, to block the test database."""
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def count_rows(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text(f"select count(*) from {table}"))


def block_connections(engine: sa.Engine, database: str, allow: bool) -> None:
    """Block or allow new connections to ``database``; blocking ends open ones."""
    with engine.connect() as connection:
        connection.execute(
            sa.text(f'alter database "{database}" with allow_connections {allow}')
        )
        if not allow:
            connection.execute(
                sa.text(
                    "select pg_terminate_backend(pid) from pg_stat_activity "
                    "where datname = :name and pid <> pg_backend_pid()"
                ),
                {"name": database},
            )


# Redis.


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        return {"value": 42.5}


@pytest.mark.redis
def test_redis_killed_mid_session(tmp_path, master_key, admin) -> None:
    redis_server = PrivateRedis(tmp_path)
    redis_server.start()
    settings = settings_for(tmp_path, None, master_key, REDIS_URL=redis_server.url)
    store = Store(settings, cache_prefix="robustness")
    try:
        firm = store.create_firm(admin, "Cache Outage LLP")
        compute = Counter()
        arguments = (admin, firm.id, "k_aum", "1.0.0", {"aum": 1.0})
        assert store.cached_result(*arguments, compute) == {"value": 42.5}
        assert store.cached_result(*arguments, compute) == {"value": 42.5}
        assert compute.calls == 1
        assert store.status().cache_healthy

        redis_server.kill()

        started = time.monotonic()
        assert store.cached_result(*arguments, compute) == {"value": 42.5}
        assert store.cached_result(*arguments, compute) == {"value": 42.5}
        assert time.monotonic() - started < 2.0
        assert compute.calls == 3
        record_id = store.save_calculation(admin, firm.id, "k_aum", {}, RESULT)
        assert store.load_calculation(admin, firm.id, record_id).result == RESULT
        status = store.status()
        assert status.cache_healthy is False
        assert "PING failed" in status.cache_reason

        redis_server.start()
        time.sleep(5.5)  # the cache leaves a failed Redis alone for 5 s
        assert store.status().cache_healthy
        store.cached_result(*arguments, compute)
        store.cached_result(*arguments, compute)
        assert compute.calls == 4
    finally:
        store.close()
        redis_server.kill()


# PostgreSQL.


def test_save_while_database_refuses(
    pg_store, owner_engine, server_engine, migrated_url, admin
) -> None:
    firm = pg_store.create_firm(admin, "Outage LLP")
    pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 1}, RESULT)
    database = sa.engine.make_url(migrated_url).database
    before = count_rows(owner_engine, "calculations")
    audit_before = count_rows(owner_engine, "audit_log")

    owner_engine.dispose()
    block_connections(server_engine, database, allow=False)
    try:
        with pytest.raises(DatabaseUnavailable) as error:
            pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 2}, RESULT)
        assert "Try again" in str(error.value)
    finally:
        block_connections(server_engine, database, allow=True)

    assert count_rows(owner_engine, "calculations") == before
    assert count_rows(owner_engine, "audit_log") == audit_before
    record_id = pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 3}, RESULT)
    assert pg_store.load_calculation(admin, firm.id, record_id).inputs == {"n": 3}
    assert count_rows(owner_engine, "calculations") == before + 1
    assert pg_store.verify_audit_chain().ok


def test_connection_killed_mid_save(pg_store, owner_engine, admin) -> None:
    firm = pg_store.create_firm(admin, "Half Written LLP")
    before = count_rows(owner_engine, "calculations")
    audit_before = count_rows(owner_engine, "audit_log")
    killed = []

    def kill_before_audit(connection, cursor, statement, *_args) -> None:
        # The calculation row is already inserted in this transaction; the
        # connection dies before its audit row is written.
        if "INSERT INTO audit_log" in statement and not killed:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with owner_engine.connect() as owner:
                owner.execute(
                    sa.text("select pg_terminate_backend(:pid)"), {"pid": pid}
                )
            killed.append(pid)

    sa.event.listen(pg_store.db.engine, "before_cursor_execute", kill_before_audit)
    try:
        with pytest.raises(DatabaseUnavailable):
            pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 1}, RESULT)
    finally:
        sa.event.remove(pg_store.db.engine, "before_cursor_execute", kill_before_audit)
    assert killed
    assert count_rows(owner_engine, "calculations") == before
    assert count_rows(owner_engine, "audit_log") == audit_before
    record_id = pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 2}, RESULT)
    assert pg_store.load_calculation(admin, firm.id, record_id).inputs == {"n": 2}
    assert pg_store.verify_audit_chain().ok


def test_dead_port_typed_error(tmp_path, master_key) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/icara"
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as error:
        Store(settings_for(tmp_path, url, master_key))
    assert time.monotonic() - started < 10
    assert master_key not in str(error.value)


def test_silent_server_times_out(tmp_path, master_key) -> None:
    # A server that accepts TCP and never replies used to hang the store
    # forever, because libpq has no connect timeout by default.
    server = SilentServer()
    url = f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/icara"
    outcome: list[BaseException] = []

    def connect() -> None:
        try:
            Store(settings_for(tmp_path, url, master_key))
        except BaseException as error:  # noqa: BLE001 - inspected below
            outcome.append(error)

    thread = threading.Thread(target=connect, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(timeout=30)
    server.close()
    assert not thread.is_alive(), "Store() still waiting after 30 s"
    assert time.monotonic() - started < 30
    assert len(outcome) == 1
    assert isinstance(outcome[0], DatabaseUnavailable)


@pytest.mark.slow
def test_pool_exhausted_bounded_wait(pg_store, admin) -> None:
    firm = pg_store.create_firm(admin, "Busy LLP")
    engine = pg_store.db.engine
    capacity = engine.pool.size() + engine.pool._max_overflow
    release = threading.Event()
    holding = threading.Semaphore(0)

    def hold() -> None:
        with pg_store.db.transaction("*") as session:
            session.execute(sa.text("select 1"))
            holding.release()
            release.wait(timeout=60)

    holders = [threading.Thread(target=hold) for _ in range(capacity)]
    for holder in holders:
        holder.start()
    try:
        for _ in holders:
            assert holding.acquire(timeout=30)
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as error:
            pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 1}, RESULT)
        waited = time.monotonic() - started
        assert waited < 40
        assert "busy" in str(error.value)
    finally:
        release.set()
        for holder in holders:
            holder.join(timeout=30)
    record_id = pg_store.save_calculation(admin, firm.id, "k_aum", {"n": 2}, RESULT)
    assert pg_store.load_calculation(admin, firm.id, record_id).inputs == {"n": 2}
    assert len(pg_store.list_calculations(admin, firm.id)) == 1


# Keys and ciphertext.


def test_wrong_master_key_rejected(pg_store, migrated_url, tmp_path, admin) -> None:
    pg_store.create_firm(admin, "Keyed LLP")
    other_key = generate_master_key()
    with pytest.raises(KeyConfigurationError) as error:
        Store(settings_for(tmp_path / "other", migrated_url, other_key))
    assert other_key not in str(error.value)
    assert "ENCRYPTION_KEY" in str(error.value)


def _flip_last_byte(engine: sa.Engine, column: str, record_id: int) -> None:
    with engine.connect() as connection:
        value = connection.scalar(
            sa.text(f"select {column} from calculations where id = :id"),
            {"id": record_id},
        )
        damaged = bytes(value[:-1]) + bytes([value[-1] ^ 0x01])
        connection.execute(
            sa.text(f"update calculations set {column} = :value where id = :id"),
            {"value": damaged, "id": record_id},
        )


def test_corrupted_result_only_that_record(pg_store, owner_engine, admin) -> None:
    firm = pg_store.create_firm(admin, "Damaged LLP")
    ids = [
        pg_store.save_calculation(admin, firm.id, "k_aum", {"n": n}, RESULT)
        for n in range(3)
    ]
    _flip_last_byte(owner_engine, "result_ciphertext", ids[1])

    with pytest.raises(DecryptionError) as error:
        pg_store.load_calculation(admin, firm.id, ids[1])
    assert str(ids[1]) in str(error.value)
    assert "result" in str(error.value)
    for record_id in (ids[0], ids[2]):
        assert pg_store.load_calculation(admin, firm.id, record_id).result == RESULT
    assert len(pg_store.list_calculations(admin, firm.id)) == 3


def test_corrupted_headline_list_still_readable(pg_store, owner_engine, admin) -> None:
    # One damaged headline used to make the whole list of calculations fail.
    firm = pg_store.create_firm(admin, "Damaged Headline LLP")
    ids = [
        pg_store.save_calculation(admin, firm.id, "k_aum", {"n": n}, RESULT)
        for n in range(3)
    ]
    _flip_last_byte(owner_engine, "headline_ciphertext", ids[0])
    listed = pg_store.list_calculations(admin, firm.id)
    assert sorted(summary.id for summary in listed) == sorted(ids)
    damaged = next(summary for summary in listed if summary.id == ids[0])
    assert damaged.headline_value is None
    assert "headline" in damaged.headline_error
    assert str(ids[0]) in damaged.headline_error
    readable = [summary for summary in listed if summary.id != ids[0]]
    assert [summary.headline_value for summary in readable] == [130_000.0] * 2
    assert [summary.headline_error for summary in readable] == [None, None]
