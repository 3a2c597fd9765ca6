"""Helpers shared by the runtime tests (imported by name, so kept unique)."""

from __future__ import annotations

import base64
import os
import re
import socket
from pathlib import Path

from runtime.config import VARIABLES

ROOT = Path(__file__).resolve().parents[2]

# Variables the runtime reads. They are removed from a subprocess's environment
# so that a developer's own settings cannot change a test's outcome.
RUNTIME_VARIABLES = tuple(VARIABLES)


def new_key() -> str:
    """Return a fresh base64 master key."""
    return base64.b64encode(os.urandom(32)).decode()


def dead_port() -> int:
    """Return a 127.0.0.1 port where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LINE_PATTERN = re.compile(
    r"^(?P<status>OK|FAIL)\s+(?P<name>\S.*?)\s+(?P<elapsed>\d+\.\d) ms  (?P<detail>.*)$"
)


def lines_by_check(stdout: str) -> dict[str, str]:
    """Map each check name to its output line (``OK  name  12.0 ms  detail``)."""
    found: dict[str, str] = {}
    for line in stdout.splitlines():
        match = LINE_PATTERN.match(line)
        if match:
            found[match.group("name")] = line
    return found
