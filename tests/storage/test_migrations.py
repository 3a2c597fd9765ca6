"""Migrations: the schema they build matches the models, and downgrade works."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.database import make_engine
from storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from storage.models import Base


def _differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_sqlite_schema_matches_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    upgrade_to_head(engine)
    assert _differences(engine) == []
    engine.dispose()


@pytest.mark.postgres
def test_postgres_schema_matches_models(migrated_postgres_url):
    engine = make_engine(migrated_postgres_url)
    assert _differences(engine) == []
    engine.dispose()


@pytest.mark.postgres
def test_postgres_downgrade_and_upgrade(migrated_postgres_url):
    engine = make_engine(migrated_postgres_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(engine) is None
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert tables == {"alembic_version"}
    assert upgrade_to_head(engine) == head_revision()
    engine.dispose()
