"""Backup, verification and restore round trip on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from storage_helpers import sample_result, settings_for

from storage import users
from storage.backup import create_backup, restore_backup, verify_backup
from storage.cli import main
from storage.database import make_engine
from storage.errors import BackupError
from storage.migrate import upgrade_to_head
from storage.store import Store

pytestmark = pytest.mark.postgres

BCRYPT_HASH = "$2b$12$" + "a" * 53


def _seed(store, admin):
    first = store.create_firm(admin, "Backup One Ltd", frn="111111")
    second = store.create_firm(admin, "Backup Two Ltd")
    calcs = {
        store.save_calculation(admin, firm.id, "k_aum", {"n": n}, sample_result(n))
        for firm in (first, second)
        for n in range(3)
    }
    store.save_scenario(admin, first.id, "Stress", {"d": 1}, {"r": 2})
    store.save_own_funds_snapshot(admin, first.id, dt.date(2026, 6, 30), {"cet1": 5.0})
    store.save_dataset(admin, second.id, "aum", [{"aum": 7}], "aum.csv")
    users.create_user(
        admin, "carol", "Carol", BCRYPT_HASH, {"analyst"}, {first.id}, store=store
    )
    return first, second, calcs


def _restored_store(url, tmp_path, key):
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return Store(settings_for(tmp_path, url, key))


def test_round_trip(pg_store, second_postgres_url, tmp_path, admin, master_key):
    first, second, calcs = _seed(pg_store, admin)
    folder = tmp_path / "backup"
    manifest = create_backup(pg_store, folder)
    assert manifest["tables"]["calculations"]["rows"] == 6
    assert verify_backup(folder) == []

    target = _restored_store(second_postgres_url, tmp_path, master_key)
    counts = restore_backup(target, folder, admin)
    assert counts["calculations"] == 6
    assert counts["firms"] == 2
    for firm in (first, second):
        original = pg_store.list_calculations(admin, firm.id)
        restored = target.list_calculations(admin, firm.id)
        assert restored == original
    firm_of = {
        summary.id: firm.id
        for firm in (first, second)
        for summary in pg_store.list_calculations(admin, firm.id)
    }
    assert set(firm_of) == calcs
    for record_id, firm_id in firm_of.items():
        restored = target.load_calculation(admin, firm_id, record_id)
        assert restored == pg_store.load_calculation(admin, firm_id, record_id)
    assert target.own_funds_history(admin, first.id)[0].figures == {"cet1": 5.0}
    assert target.load_latest_dataset(admin, second.id, "aum").records == [{"aum": 7}]
    assert users.get_user_by_username("carol", store=target).firm_ids == {first.id}
    assert target.verify_audit_chain().ok
    new_firm = target.create_firm(admin, "After Restore Ltd")
    assert new_firm.id > second.id
    target.close()


def test_restore_refuses_non_empty(pg_store, tmp_path, admin):
    _seed(pg_store, admin)
    folder = tmp_path / "backup"
    create_backup(pg_store, folder)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(pg_store, folder, admin)


def test_restore_needs_same_master_key(pg_store, second_postgres_url, tmp_path, admin):
    from storage.crypto import generate_master_key

    _seed(pg_store, admin)
    folder = tmp_path / "backup"
    create_backup(pg_store, folder)
    target = _restored_store(second_postgres_url, tmp_path, generate_master_key())
    with pytest.raises(BackupError, match="cannot be unwrapped"):
        restore_backup(target, folder, admin)
    target.close()


def test_verify_detects_changes(pg_store, tmp_path, admin):
    _seed(pg_store, admin)
    folder = tmp_path / "backup"
    create_backup(pg_store, folder)
    data = folder / "calculations.jsonl"
    lines = data.read_text().splitlines()
    data.write_text("\n".join(lines[:-1]) + "\n")
    problems = verify_backup(folder)
    assert any("calculations.jsonl has SHA-256" in p for p in problems)
    assert any("has 5 rows, manifest says 6" in p for p in problems)
    (folder / "datasets.jsonl").unlink()
    assert "datasets.jsonl is missing" in verify_backup(folder)


def test_firm_backup_contains_one_firm(pg_store, tmp_path, admin):
    first, second, _ = _seed(pg_store, admin)
    folder = tmp_path / "firm-backup"
    manifest = create_backup(pg_store, folder, firm_id=second.id)
    assert manifest["firm_id"] == second.id
    assert "audit_log" not in manifest["tables"]
    assert manifest["tables"]["calculations"]["rows"] == 3
    firm_ids = {
        json.loads(line)["firm_id"]
        for line in (folder / "calculations.jsonl").read_text().splitlines()
    }
    assert firm_ids == {second.id}
    assert verify_backup(folder) == []


def test_backup_commands(
    pg_store, second_postgres_url, tmp_path, admin, master_key, monkeypatch, capsys
):
    _seed(pg_store, admin)
    folder = tmp_path / "cli-backup"
    monkeypatch.setenv("ENCRYPTION_KEY", master_key)
    monkeypatch.setenv("DATABASE_URL", pg_store.db.engine.url.render_as_string(False))
    assert main(["backup", str(folder)]) == 0
    assert main(["verify-backup", str(folder)]) == 0
    monkeypatch.setenv("DATABASE_URL", second_postgres_url)
    assert main(["migrate"]) == 0
    assert main(["restore", str(folder)]) == 0
    assert main(["verify-audit"]) == 0
    output = capsys.readouterr().out
    assert "verified: counts and checksums match" in output
    assert "Audit chain intact" in output
