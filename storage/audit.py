"""The append-only audit log, chained by SHA-256.

Each row stores ``row_hash = sha256(prev_hash + canonical JSON of its content)``
where ``prev_hash`` is the previous row's ``row_hash`` (64 zeros for the first
row). Ids run without gaps, and the single ``audit_head`` row stores the newest
id and hash, so an edited, deleted or appended-behind-the-back row shows up in
``verify_chain``. Purging old rows records the last purged row's hash as an
anchor, from which verification continues.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from storage.actor import Actor
from storage.canonical import canonical_json
from storage.errors import AuditLogError, InvalidInput
from storage.models import AuditAnchorRow, AuditHeadRow, AuditLogRow, utc_now
from storage.records import AuditEntry, AuditVerification

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1
MAX_DETAIL_CHARACTERS = 8_000


def format_timestamp(value: dt.datetime) -> str:
    """Return a UTC timestamp as fixed-width ISO 8601 text with microseconds."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(
    prev_hash: str,
    *,
    row_id: int,
    created_at: dt.datetime,
    actor_user_id: int | None,
    actor_username: str,
    action: str,
    firm_id: int | None,
    detail: str,
) -> str:
    """Return the SHA-256 hex digest that chains one audit row to the last."""
    content = canonical_json(
        {
            "id": row_id,
            "created_at": format_timestamp(created_at),
            "actor_user_id": actor_user_id,
            "actor_username": actor_username,
            "action": action,
            "firm_id": firm_id,
            "detail": detail,
        }
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _hash_of(row: AuditLogRow, prev_hash: str) -> str:
    return row_hash(
        prev_hash,
        row_id=row.id,
        created_at=row.created_at,
        actor_user_id=row.actor_user_id,
        actor_username=row.actor_username,
        action=row.action,
        firm_id=row.firm_id,
        detail=row.detail,
    )


def _lock_head(session: Session) -> AuditHeadRow:
    head = session.scalar(
        select(AuditHeadRow).where(AuditHeadRow.id == HEAD_ROW_ID).with_for_update()
    )
    if head is None:
        raise AuditLogError("audit_head has no row; run `python -m storage migrate`.")
    return head


def append(
    session: Session,
    actor: Actor,
    action: str,
    firm_id: int | None,
    detail: dict[str, Any],
) -> int:
    """Append one row inside the caller's transaction and return its id.

    The ``audit_head`` row lock serialises writers, so the row commits or rolls
    back with the change it records. ``detail`` must hold ids and names only.
    """
    if not action or len(action) > 100:
        raise InvalidInput(f"Audit action must be 1 to 100 characters, got {action!r}.")
    detail_text = canonical_json(detail)
    if len(detail_text) > MAX_DETAIL_CHARACTERS:
        raise InvalidInput(
            f"Audit detail is {len(detail_text)} characters; the limit is "
            f"{MAX_DETAIL_CHARACTERS}. Record ids, not data."
        )
    head = _lock_head(session)
    created_at = utc_now()
    new_id = head.last_id + 1
    new_hash = row_hash(
        head.last_hash,
        row_id=new_id,
        created_at=created_at,
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        action=action,
        firm_id=firm_id,
        detail=detail_text,
    )
    session.add(
        AuditLogRow(
            id=new_id,
            created_at=created_at,
            actor_user_id=actor.user_id,
            actor_username=actor.username,
            action=action,
            firm_id=firm_id,
            detail=detail_text,
            prev_hash=head.last_hash,
            row_hash=new_hash,
        )
    )
    head.last_id = new_id
    head.last_hash = new_hash
    session.flush()
    return new_id


def to_entry(row: AuditLogRow) -> AuditEntry:
    """Convert a row to the public record."""
    return AuditEntry(
        id=row.id,
        created_at=row.created_at,
        actor_user_id=row.actor_user_id,
        actor_username=row.actor_username,
        action=row.action,
        firm_id=row.firm_id,
        detail=json.loads(row.detail),
    )


def verify_chain(session: Session, batch_size: int = 2_000) -> AuditVerification:
    """Recompute every hash from the newest anchor and compare with the head.

    The session must see every row (firm scope ``"*"`` on PostgreSQL).
    """
    anchor = session.scalar(
        select(AuditAnchorRow).order_by(AuditAnchorRow.id.desc()).limit(1)
    )
    prev_hash = anchor.anchor_hash if anchor else GENESIS_HASH
    expected_id = anchor.purged_through_id + 1 if anchor else 1
    checked = 0
    query = (
        select(AuditLogRow)
        .where(AuditLogRow.id >= expected_id)
        .order_by(AuditLogRow.id)
        .execution_options(yield_per=batch_size)
    )
    for row in session.scalars(query):
        checked += 1
        if row.id != expected_id:
            return AuditVerification(
                False, checked, expected_id, f"row {expected_id} is missing"
            )
        if row.prev_hash != prev_hash:
            return AuditVerification(
                False, checked, row.id, "link to the previous row does not match"
            )
        if _hash_of(row, prev_hash) != row.row_hash:
            return AuditVerification(False, checked, row.id, "row content was changed")
        prev_hash = row.row_hash
        expected_id += 1
    head = session.get(AuditHeadRow, HEAD_ROW_ID)
    if head is None:
        return AuditVerification(False, checked, None, "audit_head row is missing")
    if head.last_id != expected_id - 1 or head.last_hash != prev_hash:
        return AuditVerification(
            False,
            checked,
            expected_id,
            f"chain ends at row {expected_id - 1} but the head names row "
            f"{head.last_id}: newest rows were deleted or the head was changed",
        )
    return AuditVerification(True, checked, None, None)


def retention_cutoff(now: dt.datetime, years: int) -> dt.datetime:
    """Return ``now`` minus whole calendar ``years`` (29 February becomes 28)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def purge_before(session: Session, actor: Actor, cutoff: dt.datetime) -> int:
    """Delete the oldest rows created before ``cutoff`` and return how many.

    Only a prefix of the chain is removed (rows up to the first row at or after
    the cutoff), the last removed row's hash is stored as an anchor, and the
    purge itself is audited. On PostgreSQL the connection must be the table
    owner, because the application role has no DELETE grant.
    """
    head = _lock_head(session)
    first_kept = session.scalar(
        select(func.min(AuditLogRow.id)).where(AuditLogRow.created_at >= cutoff)
    )
    upper = head.last_id if first_kept is None else first_kept - 1
    last_purged = session.scalar(
        select(AuditLogRow)
        .where(AuditLogRow.id <= upper)
        .order_by(AuditLogRow.id.desc())
        .limit(1)
    )
    if last_purged is None:
        logger.info("Audit purge found no rows before %s", format_timestamp(cutoff))
        return 0
    count = session.scalar(
        select(func.count()).select_from(AuditLogRow).where(AuditLogRow.id <= upper)
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("select set_config('icara.audit_purge', 'on', true)"))
        session.execute(delete(AuditLogRow).where(AuditLogRow.id <= upper))
        session.execute(text("select set_config('icara.audit_purge', 'off', true)"))
    else:
        session.execute(text("drop trigger audit_log_no_delete"))
        session.execute(delete(AuditLogRow).where(AuditLogRow.id <= upper))
        session.execute(
            text(
                "create trigger audit_log_no_delete before delete on audit_log "
                "begin select raise(abort, "
                "'audit_log is append-only: DELETE is not allowed'); end"
            )
        )
    session.add(
        AuditAnchorRow(
            purged_through_id=last_purged.id,
            anchor_hash=last_purged.row_hash,
            rows_purged=count or 0,
            cutoff=cutoff,
            created_at=utc_now(),
            created_by=actor.username,
        )
    )
    session.flush()
    append(
        session,
        actor,
        "audit.purged",
        None,
        {
            "through_id": last_purged.id,
            "rows": count,
            "cutoff": format_timestamp(cutoff),
        },
    )
    logger.info("Purged %s audit rows through id %s", count, last_purged.id)
    return count or 0
