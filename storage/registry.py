"""One ``Store`` per process per database URL."""

from __future__ import annotations

import logging
import threading
from typing import Any

from storage.store import Store, app_database_url

logger = logging.getLogger(__name__)

_stores: dict[str, Store] = {}
_lock = threading.Lock()


def get_store(settings: Any = None) -> Store:
    """Return the process's ``Store`` for the configured database.

    On the embedded SQLite default it migrates the schema to the newest
    revision. On PostgreSQL it raises ``MigrationRequired`` unless
    ``python -m storage migrate`` has been run.
    """
    if settings is None:
        from runtime.config import load_settings

        settings = load_settings()
    url = app_database_url(settings) or settings.database_url
    with _lock:
        store = _stores.get(url)
        if store is None:
            store = Store(settings)
            _stores[url] = store
        return store


def reset_stores() -> None:
    """Close and forget every store (for tests and reconfiguration)."""
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
