"""The service fixtures fail in CI and skip elsewhere when a server is missing.

Each case runs a tiny test file in a pytest subprocess with DATABASE_URL and
REDIS_URL pointing at a 127.0.0.1 port where nothing listens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_probe(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        textwrap.dedent(
            """
            def test_needs_postgres(postgres_url):
                assert postgres_url

            def test_needs_redis(redis_url):
                assert redis_url
            """
        )
    )
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    port = _dead_port()
    env = {
        **os.environ,
        "CI": ci,
        "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_services_fail_in_ci(tmp_path: Path) -> None:
    run = _run_probe(tmp_path, ci="true")
    assert run.returncode == 1, run.stdout
    assert "2 errors" in run.stdout
    assert "CI=true but PostgreSQL at DATABASE_URL is unreachable" in run.stdout


@pytest.mark.parametrize("ci", ["", "false"])
def test_missing_services_skip_outside_ci(tmp_path: Path, ci: str) -> None:
    run = _run_probe(tmp_path, ci=ci)
    assert run.returncode == 0, run.stdout
    assert "2 skipped" in run.stdout
