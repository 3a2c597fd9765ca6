"""Private services for outage tests: a Redis server to kill, a silent TCP port.

The shared PostgreSQL and Redis servers are never stopped. Outages are made on
a Redis server started here, on a database created for one test, or on a port
where nothing replies.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from runtime.config import load_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(data_dir: Path, database_url: str | None, key: str, **extra: str):
    """Build settings from explicit variables only (no secrets files)."""
    env = {"ICARA_DATA_DIR": str(data_dir), "ENCRYPTION_KEY": key}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return load_settings(env)


class PrivateRedis:
    """A ``redis-server`` on a free 127.0.0.1 port, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.pidfile = folder / f"redis-{self.port}.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
            ],
            check=True,
            timeout=10,
            capture_output=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        """Stop the server at once, as a crash would (SIGKILL)."""
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.pidfile.unlink(missing_ok=True)


class SilentServer:
    """A TCP port that accepts connections and never sends a byte."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self._held: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._held.append(connection)

    def close(self) -> None:
        self._closed = True
        self._socket.close()
        for connection in self._held:
            connection.close()
