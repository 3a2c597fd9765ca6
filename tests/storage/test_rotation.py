"""Key rotation: master key re-wrap and firm data key re-encryption."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from storage_helpers import analyst, sample_result, settings_for

from storage.crypto import generate_master_key
from storage.errors import AccessDenied, KeyConfigurationError
from storage.rotation import rewrap_data_keys, rotate_firm_key
from storage.store import Store

pytestmark = pytest.mark.postgres


def _seed(store, admin, count=6):
    firm = store.create_firm(admin, "Rotate Ltd")
    ids = [
        store.save_calculation(admin, firm.id, "k_aum", {"n": n}, sample_result(n))
        for n in range(count)
    ]
    store.save_scenario(admin, firm.id, "Stress", {"shock": -0.2}, {"loss": 1.0})
    store.save_dataset(admin, firm.id, "aum", [{"aum": 1}], "aum.csv")
    return firm, ids


def _values(store, admin, firm_id, ids):
    return [store.load_calculation(admin, firm_id, i).headline_value for i in ids]


def test_master_key_rotation(migrated_postgres_url, tmp_path, admin):
    old_key, new_key = generate_master_key(), generate_master_key()
    old_store = Store(settings_for(tmp_path, migrated_postgres_url, old_key))
    firm, ids = _seed(old_store, admin)
    expected = _values(old_store, admin, firm.id, ids)

    both = Store(
        settings_for(
            tmp_path, migrated_postgres_url, new_key, ENCRYPTION_KEY_PREVIOUS=old_key
        )
    )
    assert _values(both, admin, firm.id, ids) == expected
    second = both.create_firm(admin, "Created During Ltd")
    assert rewrap_data_keys(both, admin) == 1
    assert rewrap_data_keys(both, admin) == 0

    new_only = Store(settings_for(tmp_path, migrated_postgres_url, new_key))
    assert _values(new_only, admin, firm.id, ids) == expected
    new_only.save_calculation(admin, second.id, "k_aum", {}, sample_result(1))
    assert _values(old_store, admin, firm.id, ids) == expected
    with pytest.raises(KeyConfigurationError, match="wrapped by master key"):
        Store(settings_for(tmp_path, migrated_postgres_url, old_key))
    for store in (old_store, both, new_only):
        store.close()


def test_firm_key_rotation_with_reads(pg_store, admin):
    firm, ids = _seed(pg_store, admin, count=30)
    expected = _values(pg_store, admin, firm.id, ids)
    errors: list[BaseException] = []
    finished = threading.Event()
    reads = 0

    def read_continuously() -> None:
        nonlocal reads
        while not finished.is_set():
            try:
                assert _values(pg_store, admin, firm.id, ids) == expected
                reads += 1
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                return

    reader = threading.Thread(target=read_continuously)
    reader.start()
    changed = rotate_firm_key(pg_store, admin, firm.id, batch_size=3)
    finished.set()
    reader.join(timeout=60)
    assert errors == []
    assert reads >= 1
    assert changed == 32
    with pg_store.db.engine.connect() as connection:
        versions = set(
            connection.scalars(
                sa.text(
                    "select distinct key_version from calculations where firm_id=:f"
                ),
                {"f": firm.id},
            )
        )
        keys = connection.execute(
            sa.text(
                "select version, is_active, retired_at is not null from data_keys "
                "where firm_id = :f order by version"
            ),
            {"f": firm.id},
        ).all()
    assert versions == {2}
    assert [tuple(row) for row in keys] == [(1, False, True), (2, True, False)]
    assert _values(pg_store, admin, firm.id, ids) == expected
    new_id = pg_store.save_calculation(admin, firm.id, "k_aum", {}, sample_result(99))
    assert pg_store.load_calculation(admin, firm.id, new_id).headline_value == 99
    fresh = Store(pg_store.settings)
    assert _values(fresh, admin, firm.id, ids) == expected
    fresh.close()
    actions = [entry.action for entry in pg_store.list_audit(admin, firm.id)]
    assert "keys.firm_rotated" in actions
    listed = [key for key in pg_store.list_data_keys(admin) if key.firm_id == firm.id]
    assert [(key.version, key.is_active) for key in listed] == [(1, False), (2, True)]
    assert listed[0].retired_at is not None
    with pytest.raises(AccessDenied):
        pg_store.list_data_keys(analyst({firm.id}))


def test_rotate_keys_command(pg_store, admin, monkeypatch, master_key, capsys):
    from storage.cli import main

    firm, ids = _seed(pg_store, admin)
    monkeypatch.setenv("DATABASE_URL", pg_store.db.engine.url.render_as_string(False))
    monkeypatch.setenv("ENCRYPTION_KEY", master_key)
    assert main(["rotate-keys", "--firm", str(firm.id)]) == 0
    output = capsys.readouterr().out
    assert "Re-wrapped 0 data keys" in output
    assert f"Firm {firm.id}: new data key, 8 rows re-encrypted" in output
    fresh = Store(pg_store.settings)
    assert _values(fresh, admin, firm.id, ids) == list(range(6))
    fresh.close()
