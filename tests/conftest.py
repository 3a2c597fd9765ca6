"""Shared fixtures: the real PostgreSQL, Redis and Chromium that CI provides.

Outside CI a test that needs a missing service is skipped. With CI=true it fails,
so a CI run cannot pass while silently skipping the real-service paths.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(reason: str) -> None:
    """Skip the calling test outside CI, fail it in CI."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """Return the SQLAlchemy URL of a reachable PostgreSQL server (DATABASE_URL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        require_service("DATABASE_URL does not name a PostgreSQL server")
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        require_service(f"PostgreSQL at DATABASE_URL is unreachable: {error}")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> Iterator[str]:
    """Create an empty PostgreSQL database for one test and drop it afterwards."""
    import sqlalchemy as sa

    name = f"icara_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    url = sa.engine.make_url(postgres_url).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'drop database if exists "{name}" with (force)')
            )
        admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """Return the URL of a reachable Redis server (REDIS_URL)."""
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis"):
        require_service("REDIS_URL does not name a Redis server")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        require_service(f"Redis at REDIS_URL is unreachable: {error}")
    finally:
        client.close()
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Return the path of Debian's Chromium binary for Playwright."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
    if not path or not os.access(path, os.X_OK):
        require_service("Chromium is not installed (apt-get install chromium)")
    return path
