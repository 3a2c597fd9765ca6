"""PostgreSQL: row-level security and audit protection for the application role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from storage_helpers import analyst, sample_result

from storage.errors import AccessDenied
from storage.models import FIRM_SCOPED_TABLES

pytestmark = pytest.mark.postgres


def _two_firms(store, admin):
    first = store.create_firm(admin, "North Capital Ltd")
    second = store.create_firm(admin, "South Capital Ltd")
    first_calc = store.save_calculation(admin, first.id, "k_aum", {}, sample_result(1))
    second_calc = store.save_calculation(
        admin, second.id, "k_aum", {}, sample_result(2)
    )
    return first, second, first_calc, second_calc


def _scoped(engine, scope):
    connection = engine.connect()
    connection.begin()
    connection.execute(
        sa.text("select set_config('app.firm_ids', :s, true)"), {"s": scope}
    )
    return connection


def test_app_role_attributes(app_store, app_role_url):
    name = sa.engine.make_url(app_role_url).username
    with app_store.db.engine.connect() as connection:
        flags = connection.execute(
            sa.text(
                "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
                "from pg_roles where rolname = :n"
            ),
            {"n": name},
        ).one()
        owned = connection.scalar(
            sa.text(
                "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner "
                "where r.rolname = :n"
            ),
            {"n": name},
        )
    assert tuple(flags) == (False, False, False, False)
    assert owned == 0
    assert app_store.status().row_level_security


def test_rls_forced_on_firm_tables(pg_store):
    with pg_store.db.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "select relname, relrowsecurity, relforcerowsecurity from pg_class "
                "where relname = any(:names)"
            ),
            {"names": [*FIRM_SCOPED_TABLES, "firms", "audit_log"]},
        ).all()
    assert len(rows) == len(FIRM_SCOPED_TABLES) + 2
    for name, enabled, forced in rows:
        assert enabled, name
        assert forced, name


def test_api_isolates_firms(app_store, admin):
    first, second, first_calc, second_calc = _two_firms(app_store, admin)
    user = analyst({second.id})
    with pytest.raises(AccessDenied):
        app_store.load_calculation(user, first.id, first_calc)
    assert [c.id for c in app_store.list_calculations(user, second.id)] == [second_calc]
    assert [f.id for f in app_store.list_firms(user)] == [second.id]


def test_raw_sql_sees_only_scoped_firm(app_store, admin):
    first, second, _, second_calc = _two_firms(app_store, admin)
    engine = app_store.db.engine
    connection = _scoped(engine, str(second.id))
    try:
        for table in FIRM_SCOPED_TABLES:
            firm_ids = set(
                connection.scalars(sa.text(f"select distinct firm_id from {table}"))
            )
            assert firm_ids <= {second.id}, table
        ids = list(connection.scalars(sa.text("select id from calculations")))
        assert ids == [second_calc]
        assert list(connection.scalars(sa.text("select id from firms"))) == [second.id]
        updated = connection.execute(
            sa.text("update calculations set label = 'x' where firm_id = :f"),
            {"f": first.id},
        ).rowcount
        assert updated == 0
        deleted = connection.execute(
            sa.text("delete from calculations where firm_id = :f"), {"f": first.id}
        ).rowcount
        assert deleted == 0
    finally:
        connection.close()


def test_raw_sql_without_scope_sees_nothing(app_store, admin):
    _two_firms(app_store, admin)
    with app_store.db.engine.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from calculations")) == 0
        assert connection.scalar(sa.text("select count(*) from data_keys")) == 0


def test_raw_insert_into_other_firm_rejected(app_store, admin):
    first, second, _, _ = _two_firms(app_store, admin)
    connection = _scoped(app_store.db.engine, str(second.id))
    try:
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            connection.execute(
                sa.text(
                    "insert into datasets (firm_id, kind, row_count, key_version, "
                    "records_ciphertext, created_at, created_by) values "
                    "(:f, 'aum', 0, 1, '\\x00', now(), 'intruder')"
                ),
                {"f": first.id},
            )
    finally:
        connection.close()


@pytest.mark.parametrize(
    "statement",
    [
        "update audit_log set action = 'forged'",
        "delete from audit_log",
        "truncate audit_log",
    ],
)
def test_app_role_cannot_change_audit(app_store, admin, statement):
    _two_firms(app_store, admin)
    connection = _scoped(app_store.db.engine, "*")
    try:
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            connection.execute(sa.text(statement))
    finally:
        connection.close()
    assert app_store.verify_audit_chain().ok


def test_owner_blocked_by_trigger(pg_store, admin):
    _two_firms(pg_store, admin)
    for statement in ("update audit_log set action = 'x'", "delete from audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with pg_store.db.engine.begin() as connection:
                connection.execute(sa.text(statement))
    assert pg_store.verify_audit_chain().ok
