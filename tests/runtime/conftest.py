"""Fixtures for the runtime tests: clean environments and the health command."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from runtime_helpers import ROOT, RUNTIME_VARIABLES


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """Return ``os.environ`` without the runtime variables, with a private data dir.

    ``HOME`` points into ``tmp_path`` so that no ``~/.streamlit/secrets.toml``
    is read, and the working folder of subprocesses is ``tmp_path``.
    """
    env = {
        key: value for key, value in os.environ.items() if key not in RUNTIME_VARIABLES
    }
    env["ICARA_DATA_DIR"] = str(tmp_path / "data")
    env["HOME"] = str(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def run_health(
    tmp_path: Path,
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Return a runner of ``python -m runtime.health`` with a given environment."""

    def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "runtime.health", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    """Remove the handler ``configure_logging`` installs and restore the level."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    level = root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
