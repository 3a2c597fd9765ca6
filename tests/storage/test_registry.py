"""get_store: one store per URL, migrations on SQLite, a check on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from storage_helpers import settings_for

from storage import get_store, reset_stores
from storage.cli import main
from storage.errors import MigrationRequired


@pytest.fixture(autouse=True)
def _forget_stores():
    reset_stores()
    yield
    reset_stores()


def test_one_store_per_url(tmp_path, master_key):
    settings = settings_for(tmp_path, None, master_key)
    first = get_store(settings)
    assert get_store(settings) is first
    assert first.status().current_revision == first.status().head_revision
    other = get_store(settings_for(tmp_path / "other", None, master_key))
    assert other is not first


@pytest.mark.postgres
def test_postgres_needs_migration(fresh_postgres_url, tmp_path, master_key):
    with pytest.raises(MigrationRequired, match="python -m storage migrate"):
        get_store(settings_for(tmp_path, fresh_postgres_url, master_key))


@pytest.mark.postgres
def test_migrate_command_creates_role(fresh_postgres_url, monkeypatch, caplog):
    role = f"icara_cli_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("DATABASE_URL", fresh_postgres_url)
    monkeypatch.setenv("ROLE_PASSWORD", "not-a-real-secret")
    engine = sa.create_engine(fresh_postgres_url)
    try:
        arguments = ["migrate", "--create-app-role", role]
        assert main([*arguments, "--app-password-env", "ROLE_PASSWORD"]) == 0
        assert main(arguments) == 0
        assert "not-a-real-secret" not in caplog.text
        with engine.connect() as connection:
            flags = connection.execute(
                sa.text(
                    "select rolsuper, rolbypassrls from pg_roles where rolname = :n"
                ),
                {"n": role},
            ).one()
        assert tuple(flags) == (False, False)
    finally:
        with engine.begin() as connection:
            exists = connection.scalar(
                sa.text("select 1 from pg_roles where rolname = :n"), {"n": role}
            )
            if exists:
                connection.execute(sa.text(f'drop owned by "{role}"'))
                connection.execute(sa.text(f'drop role "{role}"'))
        engine.dispose()


def test_sqlite_file_is_private(tmp_path):
    """The embedded database holds client figures, so only its owner may read it."""
    import stat

    from storage.database import make_engine

    created = tmp_path / "new" / "icara.db"
    make_engine(f"sqlite:///{created}").dispose()
    assert stat.S_IMODE(created.stat().st_mode) == 0o600

    existing = tmp_path / "old.db"
    existing.touch(mode=0o644)
    existing.chmod(0o644)
    make_engine(f"sqlite:///{existing}").dispose()
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
