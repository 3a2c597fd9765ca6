"""Engines and transactions, with the per-transaction firm scope for RLS.

On PostgreSQL every transaction starts with ``set_config('app.firm_ids', ...,
true)``, which the row-level security policies read. SQLite has no RLS, so
there the firm scoping in ``storage.store`` is the only isolation.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import DatabaseUnavailable, InvalidInput

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Seconds to wait for a PostgreSQL server to accept a new connection, because
# libpq otherwise waits forever on a server that accepts TCP and never replies.
CONNECT_TIMEOUT_SECONDS = 10
# Seconds a request waits for a free pooled connection before it raises
# DatabaseUnavailable saying the database is busy.
POOL_TIMEOUT_SECONDS = 15


def unavailable(error: Exception) -> DatabaseUnavailable:
    """Log a connection failure and return the error to raise in its place."""
    if isinstance(error, PoolTimeoutError):
        reason = "the database is busy: every pooled connection is in use"
    else:
        reason = "the database could not be reached or dropped the connection"
    # The first line of the driver's message names host and port, never the
    # password, because engines are made with hide_parameters=True.
    detail = str(getattr(error, "orig", None) or error).splitlines()[0]
    logger.error("Database unavailable: %s (%s)", reason, detail)
    return DatabaseUnavailable(
        f"The request failed because {reason} ({type(error).__name__}). "
        "Try again in a minute; if it keeps failing, ask the administrator to "
        "check the database."
    )


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def make_engine(url: str) -> Engine:
    """Create an engine, and for SQLite create the folder and enable WAL and FKs.

    ``hide_parameters`` keeps bound values (role passwords, user agents) out of
    error messages and logs.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private_file(Path(parsed.database))
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        hide_parameters=True,
    )


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (mode 0600).

    SQLite gives its ``-wal`` and ``-shm`` files the database file's mode, so
    they stay private too. An existing file with wider permissions is narrowed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(descriptor)
    if path.stat().st_mode & 0o077:
        logger.warning("Narrowing the permissions of %s to 0600", path)
        path.chmod(0o600)


def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class Database:
    """Engine and session factory that apply the firm scope to each transaction.

    SQLite allows one writer at a time, so write transactions on SQLite take a
    process-wide lock instead of failing with "database is locked".
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.kind = "postgresql" if is_postgres(engine) else "sqlite"
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock()

    @contextmanager
    def transaction(self, scope: str, *, write: bool = False) -> Iterator[Session]:
        """Yield a session inside one transaction scoped to ``scope``.

        ``scope`` is ``"*"`` for every firm or comma-separated firm ids. The
        transaction commits when the block ends and rolls back on an error.
        """
        lock = self._write_lock if write and self.kind == "sqlite" else nullcontext()
        try:
            with lock, self._factory() as session, session.begin():
                if self.kind == "postgresql":
                    session.execute(
                        text("select set_config('app.firm_ids', :scope, true)"),
                        {"scope": scope},
                    )
                yield session
        except (OperationalError, PoolTimeoutError) as error:
            raise unavailable(error) from error
        except DataError as error:
            # A value the database cannot store or use: a NUL character in
            # text, an id beyond the integer range, a negative LIMIT. The first
            # line of the message names the problem; parameters stay hidden.
            detail = str(error.orig or error).splitlines()[0]
            raise InvalidInput(f"The database rejected a value: {detail}.") from error

    def dispose(self) -> None:
        self.engine.dispose()
