"""Fixtures for the storage tests: stores on SQLite and PostgreSQL, app roles."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from storage_helpers import settings_for

from storage.actor import Actor
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.migrate import upgrade_to_head
from storage.postgres import create_app_role
from storage.store import Store


@pytest.fixture
def master_key() -> str:
    return generate_master_key()


@pytest.fixture
def admin() -> Actor:
    return Actor.system("test")


@pytest.fixture
def sqlite_store(tmp_path, master_key) -> Iterator[Store]:
    store = Store(settings_for(tmp_path, None, master_key))
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request) -> Store:
    """The same tests on a SQLite store and on a PostgreSQL owner store."""
    name = "sqlite_store" if request.param == "sqlite" else "pg_store"
    return request.getfixturevalue(name)


@pytest.fixture
def migrated_postgres_url(fresh_postgres_url: str) -> str:
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()
    return fresh_postgres_url


@pytest.fixture
def pg_store(migrated_postgres_url, tmp_path, master_key) -> Iterator[Store]:
    """A store connected as the owner (a superuser, so RLS does not apply)."""
    store = Store(settings_for(tmp_path, migrated_postgres_url, master_key))
    yield store
    store.close()


@pytest.fixture
def app_role_url(migrated_postgres_url: str) -> Iterator[str]:
    """Create a unique application role; return its URL; drop it afterwards."""
    name = f"icara_app_{uuid.uuid4().hex[:10]}"
    owner = sa.create_engine(migrated_postgres_url)
    create_app_role(owner, name)
    url = sa.engine.make_url(migrated_postgres_url).set(username=name, password=None)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with owner.begin() as connection:
            connection.execute(
                sa.text(
                    "select pg_terminate_backend(pid) from pg_stat_activity "
                    "where usename = :name"
                ),
                {"name": name},
            )
            connection.execute(sa.text(f'drop owned by "{name}"'))
            connection.execute(sa.text(f'drop role "{name}"'))
        owner.dispose()


@pytest.fixture
def app_store(migrated_postgres_url, app_role_url, tmp_path, master_key):
    """A store connected as the application role, so RLS applies."""
    store = Store(
        settings_for(tmp_path, migrated_postgres_url, master_key),
        database_url=app_role_url,
    )
    yield store
    store.close()


@pytest.fixture
def second_postgres_url(postgres_url: str) -> Iterator[str]:
    """A second empty database for restore tests, dropped afterwards."""
    name = f"icara_test_{uuid.uuid4().hex[:12]}"
    admin_engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    url = sa.engine.make_url(postgres_url).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(
                sa.text(f'drop database if exists "{name}" with (force)')
            )
        admin_engine.dispose()
