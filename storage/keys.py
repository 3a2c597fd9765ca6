"""Firm data keys: creation, lookup and an in-process cache of unwrapped keys.

A data key never leaves this process unwrapped. The cache maps (firm id, key
version) to the raw key so that a save or load costs no unwrap after the first.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import (
    KEY_BYTES,
    MasterKeyRing,
    decode_master_key,
    load_or_create_key_file,
)
from storage.errors import KeyConfigurationError, NotFound
from storage.models import DataKeyRow, utc_now

logger = logging.getLogger(__name__)

PREVIOUS_KEYS_VARIABLE = "ENCRYPTION_KEY_PREVIOUS"
# How long a process keeps using the active key version it last read. After
# another process rotates a firm's key, new rows use the new version within
# this time. Rows written meanwhile with the old version stay readable.
ACTIVE_VERSION_SECONDS = 60.0


def master_key_ring(settings: Any) -> MasterKeyRing:
    """Build the master key ring from settings and ``ENCRYPTION_KEY_PREVIOUS``.

    Without ``ENCRYPTION_KEY`` in development the key file under the data
    folder is used (and created). Production without a key is rejected here as
    well as in ``runtime.config``.
    """
    if settings.encryption_key:
        current = decode_master_key(settings.encryption_key)
    elif settings.is_production:
        raise KeyConfigurationError(
            "ICARA_ENV=production requires ENCRYPTION_KEY; set it from your "
            "secret store."
        )
    else:
        current = load_or_create_key_file(Path(settings.data_dir))
    previous_text = getattr(settings, "encryption_key_previous", None)
    if previous_text is None:
        raw = os.environ.get(PREVIOUS_KEYS_VARIABLE, "")
        previous_text = [part for part in raw.split(",") if part.strip()]
    previous = [
        decode_master_key(part, name=PREVIOUS_KEYS_VARIABLE) for part in previous_text
    ]
    return MasterKeyRing(current, previous)


class KeyStore:
    """Finds, creates and caches the data keys of each firm."""

    def __init__(self, ring: MasterKeyRing) -> None:
        self.ring = ring
        self._cache: dict[tuple[int, int], bytes] = {}
        self._active: dict[int, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def add_key(self, session: Session, firm_id: int, version: int) -> bytes:
        """Create data key ``version`` for a firm, make it active, return it."""
        data_key = os.urandom(KEY_BYTES)
        session.add(
            DataKeyRow(
                firm_id=firm_id,
                version=version,
                wrapped_key=self.ring.wrap(data_key, firm_id, version),
                master_key_id=self.ring.current_id,
                is_active=True,
                created_at=utc_now(),
            )
        )
        session.flush()
        # Not cached here: the transaction may still roll back, and SQLite can
        # then hand the same firm id to the next firm.
        return data_key

    def cached_active_key(self, firm_id: int) -> tuple[int, bytes] | None:
        """Return the active key from memory, or ``None`` if a lookup is due."""
        with self._lock:
            entry = self._active.get(firm_id)
            if entry is None or time.monotonic() - entry[1] > ACTIVE_VERSION_SECONDS:
                return None
            data_key = self._cache.get((firm_id, entry[0]))
        return None if data_key is None else (entry[0], data_key)

    def active_key(self, session: Session, firm_id: int) -> tuple[int, bytes]:
        """Return the version and raw bytes of a firm's active data key."""
        cached = self.cached_active_key(firm_id)
        if cached is not None:
            return cached
        version = session.scalar(
            select(DataKeyRow.version)
            .where(DataKeyRow.firm_id == firm_id, DataKeyRow.is_active)
            .order_by(DataKeyRow.version.desc())
            .limit(1)
        )
        if version is None:
            raise NotFound(f"Firm {firm_id} not found (it has no data key).")
        data_key = self.key(session, firm_id, version)
        with self._lock:
            self._active[firm_id] = (version, time.monotonic())
        return version, data_key

    def key(self, session: Session, firm_id: int, version: int) -> bytes:
        """Return the raw bytes of data key ``version`` of a firm."""
        with self._lock:
            cached = self._cache.get((firm_id, version))
        if cached is not None:
            return cached
        row = session.scalar(
            select(DataKeyRow).where(
                DataKeyRow.firm_id == firm_id, DataKeyRow.version == version
            )
        )
        if row is None:
            raise KeyConfigurationError(
                f"Data key {version} of firm {firm_id} is missing from data_keys."
            )
        data_key = self.ring.unwrap(
            row.wrapped_key, firm_id, version, row.master_key_id
        )
        with self._lock:
            self._cache[(firm_id, version)] = data_key
        return data_key

    def forget_firm(self, firm_id: int) -> None:
        """Drop the cached active version of a firm after its key rotated."""
        with self._lock:
            self._active.pop(firm_id, None)
