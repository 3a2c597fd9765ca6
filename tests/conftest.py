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


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_app(tmp_path):
    """Start ``streamlit run app.py`` on a free 127.0.0.1 port; return a factory.

    ``start_app(env={...})`` returns the base URL once the server's health
    endpoint responds. The server gets its own data folder under ``tmp_path`` and
    is stopped when the test ends. ``DATABASE_URL`` and ``REDIS_URL`` are removed
    from its environment unless ``env`` sets them, so by default it runs on the
    embedded SQLite file and in-process cache.
    """
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    servers: list[subprocess.Popen] = []

    def start(env: dict[str, str] | None = None, timeout: float = 60.0) -> str:
        port = _free_port()
        server_env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL"}
        }
        server_env["ICARA_DATA_DIR"] = str(tmp_path / f"data-{port}")
        server_env.update(env or {})
        log = open(tmp_path / f"streamlit-{port}.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(root / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=root,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append(server)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {server.returncode}; "
                    f"log: {(tmp_path / f'streamlit-{port}.log').read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2):
                    return base_url
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not answer on {base_url} in {timeout} s")

    yield start
    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
