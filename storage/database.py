"""Engines and transactions, with the per-transaction firm scope for RLS.

On PostgreSQL every transaction starts with ``set_config('app.firm_ids', ...,
true)``, which the row-level security policies read. SQLite has no RLS, so
there the firm scoping in ``storage.store`` is the only isolation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


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
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


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
        with lock, self._factory() as session, session.begin():
            if self.kind == "postgresql":
                session.execute(
                    text("select set_config('app.firm_ids', :scope, true)"),
                    {"scope": scope},
                )
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
