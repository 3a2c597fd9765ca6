"""Backup, restore and verification of a database, still encrypted.

A backup is a folder with one JSON Lines file per table and ``manifest.json``
listing each file's row count and SHA-256. Ciphertext stays ciphertext and the
data keys stay wrapped, so restoring needs the same master key (or one listed
in ``ENCRYPTION_KEY_PREVIOUS``). Login sessions are not backed up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.engine import Connection

from storage import audit as audit_log
from storage.actor import Actor
from storage.errors import BackupError, KeyConfigurationError
from storage.migrate import current_revision
from storage.models import Base, utc_now
from storage.store import Store

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
INSERT_BATCH_ROWS = 500

# In foreign-key order, so a restore can insert them one after another.
FULL_TABLES = (
    "firms",
    "data_keys",
    "users",
    "user_firms",
    "scenarios",
    "calculations",
    "own_funds_snapshots",
    "datasets",
    "audit_log",
    "audit_head",
    "audit_anchors",
)
FIRM_TABLES = (
    "firms",
    "data_keys",
    "scenarios",
    "calculations",
    "own_funds_snapshots",
    "datasets",
)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.astimezone(dt.UTC).isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$bytes" in value:
            return base64.b64decode(value["$bytes"])
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _firm_filter(table: Table, firm_id: int):  # type: ignore[no-untyped-def]
    column = table.c.id if table.name == "firms" else table.c.firm_id
    return column == firm_id


def create_backup(store: Store, path: Path, firm_id: int | None = None) -> dict:
    """Write a backup of every table (or one firm's rows) to ``path``.

    The rows are read in one REPEATABLE READ transaction on PostgreSQL, so the
    files form one consistent snapshot. Returns the manifest.
    """
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"Backup folder {path} is not empty; choose a new folder.")
    path.mkdir(parents=True, exist_ok=True)
    names = FULL_TABLES if firm_id is None else FIRM_TABLES
    tables: dict[str, dict[str, Any]] = {}
    engine = store.db.engine
    options = (
        {"isolation_level": "REPEATABLE READ"} if store.db.kind == "postgresql" else {}
    )
    with engine.connect().execution_options(**options) as connection:
        with connection.begin():
            _set_scope(connection, store)
            revision = current_revision_on(connection)
            for name in names:
                tables[name] = _dump_table(connection, _table(name), path, firm_id)
            master_ids = sorted(
                set(connection.scalars(select(_table("data_keys").c.master_key_id)))
            )
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": utc_now().isoformat(),
        "database_kind": store.db.kind,
        "schema_revision": revision,
        "firm_id": firm_id,
        "master_key_ids": master_ids,
        "tables": tables,
    }
    (path / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    logger.info(
        "Wrote backup to %s: %s rows in %s tables (firm=%s)",
        path,
        sum(entry["rows"] for entry in tables.values()),
        len(tables),
        firm_id if firm_id is not None else "all",
    )
    return manifest


def _set_scope(connection: Connection, store: Store) -> None:
    if store.db.kind == "postgresql":
        connection.execute(text("select set_config('app.firm_ids', '*', true)"))


def current_revision_on(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _dump_table(
    connection: Connection, table: Table, folder: Path, firm_id: int | None
) -> dict[str, Any]:
    query = select(table).order_by(*table.primary_key.columns)
    if firm_id is not None:
        query = query.where(_firm_filter(table, firm_id))
    file_name = f"{table.name}.jsonl"
    rows = 0
    with (folder / file_name).open("w", encoding="utf-8") as handle:
        for row in connection.execute(query).mappings():
            record = {key: _encode(value) for key, value in row.items()}
            handle.write(json.dumps(record, sort_keys=True, separators=(",", ":")))
            handle.write("\n")
            rows += 1
    return {"file": file_name, "rows": rows, "sha256": _sha256(folder / file_name)}


def read_manifest(path: Path) -> dict:
    """Read the manifest at ``path``, raising ``BackupError`` if it is absent."""
    manifest_path = Path(path) / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} not found; is {path} a backup folder?")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as error:
        raise BackupError(f"{manifest_path} is not valid JSON: {error}.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"Backup format {manifest.get('format')!r} is not supported; "
            f"this version reads format {FORMAT_VERSION}."
        )
    return manifest


def verify_backup(path: Path) -> list[str]:
    """Check every file's row count and SHA-256 and return the problems found."""
    path = Path(path)
    manifest = read_manifest(path)
    expected = FULL_TABLES if manifest.get("firm_id") is None else FIRM_TABLES
    problems = [
        f"table {name} is missing from the manifest"
        for name in expected
        if name not in manifest["tables"]
    ]
    for entry in manifest["tables"].values():
        file_path = path / entry["file"]
        if not file_path.is_file():
            problems.append(f"{entry['file']} is missing")
            continue
        checksum = _sha256(file_path)
        if checksum != entry["sha256"]:
            problems.append(
                f"{entry['file']} has SHA-256 {checksum}, "
                f"manifest says {entry['sha256']}"
            )
        with file_path.open("rb") as handle:
            rows = sum(1 for _ in handle)
        if rows != entry["rows"]:
            problems.append(
                f"{entry['file']} has {rows} rows, manifest says {entry['rows']}"
            )
    return problems


def restore_backup(store: Store, path: Path, actor: Actor) -> dict[str, int]:
    """Load a verified backup into an empty database at the same schema revision.

    Returns the rows inserted per table. Nothing is written unless the backup
    verifies, the target is empty, and every data key unwraps with the
    configured master key. The whole restore is one transaction.
    """
    path = Path(path)
    problems = verify_backup(path)
    if problems:
        raise BackupError("Backup failed verification: " + "; ".join(problems))
    manifest = read_manifest(path)
    revision = current_revision(store.db.engine)
    if manifest["schema_revision"] != revision:
        raise BackupError(
            f"Backup schema revision {manifest['schema_revision']} differs from the "
            f"database's {revision}; migrate the database to that revision first."
        )
    _check_data_keys(store, path, manifest)
    counts: dict[str, int] = {}
    with store.db.engine.connect() as connection, connection.begin():
        _set_scope(connection, store)
        _require_empty(connection)
        for name in FULL_TABLES:
            entry = manifest["tables"].get(name)
            if entry is None:
                continue
            counts[name] = _load_table(connection, _table(name), path / entry["file"])
        if store.db.kind == "postgresql":
            _reset_sequences(connection)
    with store.db.transaction("*", write=True) as session:
        audit_log.append(
            session,
            actor,
            "backup.restored",
            manifest.get("firm_id"),
            {"backup_created_at": manifest["created_at"], "rows": counts},
        )
    logger.info("Restored backup %s: %s", path, counts)
    return counts


def _check_data_keys(store: Store, path: Path, manifest: dict) -> None:
    entry = manifest["tables"]["data_keys"]
    with (path / entry["file"]).open(encoding="utf-8") as handle:
        for line in handle:
            row = {key: _decode(value) for key, value in json.loads(line).items()}
            try:
                store.keys.ring.unwrap(
                    row["wrapped_key"],
                    row["firm_id"],
                    row["version"],
                    row["master_key_id"],
                )
            except KeyConfigurationError as error:
                raise BackupError(
                    f"Backup data key {row['version']} of firm {row['firm_id']} "
                    f"cannot be unwrapped: {error}"
                ) from None


def _require_empty(connection: Connection) -> None:
    for name in FULL_TABLES:
        if name == "audit_head":
            last_id = connection.scalar(select(_table(name).c.last_id))
            if last_id:
                raise BackupError("The target database already has audit rows.")
            continue
        count = connection.scalar(select(func.count()).select_from(_table(name)))
        if count:
            raise BackupError(
                f"The target database is not empty ({name} has {count} rows); "
                "restore into a freshly migrated database."
            )


def _load_table(connection: Connection, table: Table, file_path: Path) -> int:
    rows = 0
    batch: list[dict[str, Any]] = []
    with file_path.open(encoding="utf-8") as handle:
        for line in handle:
            batch.append({k: _decode(v) for k, v in json.loads(line).items()})
            if len(batch) >= INSERT_BATCH_ROWS:
                rows += _write_batch(connection, table, batch)
                batch = []
    if batch:
        rows += _write_batch(connection, table, batch)
    return rows


def _write_batch(connection: Connection, table: Table, batch: list[dict]) -> int:
    if table.name == "audit_head":
        for row in batch:
            connection.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(last_id=row["last_id"], last_hash=row["last_hash"])
            )
        return len(batch)
    connection.execute(insert(table), batch)
    return len(batch)


def _reset_sequences(connection: Connection) -> None:
    for name in FULL_TABLES:
        table = _table(name)
        if "id" not in table.c or name in {"audit_log", "audit_head"}:
            continue
        connection.execute(
            text(
                f"select setval(pg_get_serial_sequence('{name}', 'id'), "
                f"coalesce(max(id), 1), max(id) is not null) from {name}"
            )
        )
