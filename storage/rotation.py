"""Key rotation: re-wrap data keys under the master key, re-encrypt a firm.

Master key rotation never re-encrypts data: it decrypts each data key with
whichever configured master key wrapped it and wraps it again under the
current one, in one transaction. A firm data key rotation adds a new key
version and re-encrypts that firm's rows in small transactions. Reads work
while the rows change over, because every row names its key version.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from storage import audit as audit_log
from storage.actor import Actor
from storage.crypto import decrypt_json, encrypt_json
from storage.errors import KeyConfigurationError, NotFound
from storage.models import SEALED_FIELDS, DataKeyRow, FirmRow, utc_now
from storage.store import Store

logger = logging.getLogger(__name__)


def rewrap_data_keys(store: Store, actor: Actor) -> int:
    """Re-wrap data keys not yet under the current master key, returning the count."""
    ring = store.keys.ring
    with store.db.transaction("*", write=True) as session:
        rows = session.scalars(
            select(DataKeyRow)
            .where(DataKeyRow.master_key_id != ring.current_id)
            .order_by(DataKeyRow.id)
            .with_for_update()
        ).all()
        for row in rows:
            raw = ring.unwrap(
                row.wrapped_key, row.firm_id, row.version, row.master_key_id
            )
            wrapped = ring.wrap(raw, row.firm_id, row.version)
            if ring.unwrap(wrapped, row.firm_id, row.version, ring.current_id) != raw:
                raise KeyConfigurationError(
                    f"Re-wrapped data key {row.version} of firm {row.firm_id} did "
                    "not unwrap to the same key; nothing was changed."
                )
            row.wrapped_key = wrapped
            row.master_key_id = ring.current_id
        audit_log.append(
            session,
            actor,
            "keys.master_rotated",
            None,
            {"data_keys_rewrapped": len(rows), "master_key_id": ring.current_id},
        )
    logger.info(
        "Re-wrapped %s data keys under master key %s", len(rows), ring.current_id
    )
    return len(rows)


def rotate_firm_key(
    store: Store, actor: Actor, firm_id: int, batch_size: int = 200
) -> int:
    """Add a new data key version for a firm and re-encrypt its rows to it.

    Returns the number of rows re-encrypted. Older key versions are kept,
    marked retired, so rows and backups made with them stay readable.
    """
    with store.db.transaction("*", write=True) as session:
        if session.get(FirmRow, firm_id) is None:
            raise NotFound(f"Firm {firm_id} not found.")
        latest = session.scalar(
            select(func.max(DataKeyRow.version)).where(DataKeyRow.firm_id == firm_id)
        )
        for row in session.scalars(
            select(DataKeyRow).where(
                DataKeyRow.firm_id == firm_id, DataKeyRow.is_active
            )
        ):
            row.is_active = False
            row.retired_at = utc_now()
        new_version = (latest or 0) + 1
        store.keys.add_key(session, firm_id, new_version)
        audit_log.append(
            session,
            actor,
            "keys.firm_rotated",
            firm_id,
            {"firm_id": firm_id, "key_version": new_version},
        )
    store.keys.forget_firm(firm_id)
    changed = sum(
        _reencrypt_table(store, model, fields, firm_id, new_version, batch_size)
        for model, fields in SEALED_FIELDS.items()
    )
    logger.info(
        "Rotated firm %s to data key %s; re-encrypted %s rows",
        firm_id,
        new_version,
        changed,
    )
    return changed


def _reencrypt_table(
    store: Store,
    model,  # type: ignore[no-untyped-def]
    fields: tuple[str, ...],
    firm_id: int,
    new_version: int,
    batch_size: int,
) -> int:
    changed = 0
    while True:
        with store.db.transaction("*", write=True) as session:
            rows = session.scalars(
                select(model)
                .where(model.firm_id == firm_id, model.key_version != new_version)
                .order_by(model.id)
                .limit(batch_size)
                .with_for_update()
            ).all()
            if not rows:
                return changed
            new_key = store.keys.key(session, firm_id, new_version)
            for row in rows:
                old_key = store.keys.key(session, firm_id, row.key_version)
                for field in fields:
                    where = {
                        "firm_id": firm_id,
                        "table": model.__tablename__,
                        "record_id": row.id,
                        "field": field,
                    }
                    value = decrypt_json(
                        old_key,
                        getattr(row, f"{field}_ciphertext"),
                        version=row.key_version,
                        **where,
                    )
                    setattr(
                        row,
                        f"{field}_ciphertext",
                        encrypt_json(new_key, value, version=new_version, **where),
                    )
                row.key_version = new_version
            changed += len(rows)
