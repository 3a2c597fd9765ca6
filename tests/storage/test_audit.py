"""The audit hash chain: verification, forged edits, deleted rows and purging."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from storage_helpers import sample_result

from storage.cli import main


def _fill(store, admin, count=5):
    firm = store.create_firm(admin, "Audit Ltd")
    for n in range(count):
        store.save_calculation(admin, firm.id, "k_aum", {"n": n}, sample_result(n))
    return firm


def _run_unprotected(store, statement, **params):
    """Run SQL on audit_log with its append-only triggers off, as an attacker
    with the owner's rights could."""
    with store.db.engine.begin() as connection:
        if store.db.kind == "postgresql":
            connection.execute(sa.text("alter table audit_log disable trigger user"))
            connection.execute(sa.text(statement), params)
            connection.execute(sa.text("alter table audit_log enable trigger user"))
        else:
            connection.execute(sa.text("drop trigger audit_log_no_update"))
            connection.execute(sa.text("drop trigger audit_log_no_delete"))
            connection.execute(sa.text(statement), params)


def test_chain_verifies(store, admin):
    _fill(store, admin)
    outcome = store.verify_audit_chain()
    assert outcome.ok
    assert outcome.rows_checked == 6
    assert outcome.first_bad_id is None


def test_forged_edit_detected(store, admin):
    _fill(store, admin)
    _run_unprotected(
        store, "update audit_log set actor_username = 'someone else' where id = 3"
    )
    outcome = store.verify_audit_chain()
    assert not outcome.ok
    assert outcome.first_bad_id == 3
    assert "changed" in outcome.reason


def test_forged_edit_with_rehash_detected(store, admin):
    """Rewriting a row's own hash still breaks the next row's link."""
    _fill(store, admin)
    _run_unprotected(
        store,
        "update audit_log set action = 'x', row_hash = :h where id = 2",
        h="f" * 64,
    )
    outcome = store.verify_audit_chain()
    assert not outcome.ok
    assert outcome.first_bad_id == 2


def test_deleted_row_detected(store, admin):
    _fill(store, admin)
    _run_unprotected(store, "delete from audit_log where id = 4")
    outcome = store.verify_audit_chain()
    assert not outcome.ok
    assert outcome.first_bad_id == 4
    assert "missing" in outcome.reason


def test_deleted_newest_row_detected(store, admin):
    _fill(store, admin)
    _run_unprotected(store, "delete from audit_log where id = 6")
    outcome = store.verify_audit_chain()
    assert not outcome.ok
    assert outcome.first_bad_id == 6
    assert "head" in outcome.reason


def test_purge_keeps_chain_verifiable(store, admin):
    firm = _fill(store, admin)
    entries = sorted(store.list_audit(admin, limit=100), key=lambda entry: entry.id)
    boundary = entries[3]
    now = boundary.created_at.replace(year=boundary.created_at.year + 7)
    removed = store.purge_audit(admin, now=now)
    assert removed == 3
    remaining = sorted(entry.id for entry in store.list_audit(admin, limit=100))
    assert remaining[0] == boundary.id
    assert store.list_audit(admin, limit=1)[0].action == "audit.purged"
    assert store.verify_audit_chain().ok
    store.save_calculation(admin, firm.id, "k_aum", {}, sample_result(1))
    assert store.verify_audit_chain().ok


def test_purge_nothing_when_recent(store, admin):
    _fill(store, admin)
    assert store.purge_audit(admin) == 0
    assert store.verify_audit_chain().ok


def test_retention_cutoff_leap_day():
    from storage.audit import retention_cutoff

    leap = dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)
    assert retention_cutoff(leap, 7) == dt.datetime(2021, 2, 28, 12, tzinfo=dt.UTC)


@pytest.mark.postgres
def test_verify_audit_command(pg_store, admin, monkeypatch, master_key, capsys):
    _fill(pg_store, admin)
    monkeypatch.setenv("DATABASE_URL", pg_store.db.engine.url.render_as_string(False))
    monkeypatch.setenv("ENCRYPTION_KEY", master_key)
    assert main(["verify-audit"]) == 0
    assert "intact: 6 rows" in capsys.readouterr().out
    _run_unprotected(pg_store, "update audit_log set detail = '{}' where id = 5")
    assert main(["verify-audit"]) == 1
    assert "BROKEN at row 5" in capsys.readouterr().out
