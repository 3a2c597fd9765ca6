"""``python -m storage``: migrations, keys, audit, backups and health.

Commands connect with ``DATABASE_URL`` (the owner on PostgreSQL), not the
application role, because migrations, purges and restores need the owner.
Exit status: 0 on success, 1 when a check fails, 2 on a usage or setup error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from storage.actor import Actor
from storage.crypto import generate_master_key
from storage.errors import StorageError

logger = logging.getLogger(__name__)


def _settings():  # type: ignore[no-untyped-def]
    from runtime.config import load_settings

    return load_settings()


def _owner_store():  # type: ignore[no-untyped-def]
    from storage.store import Store

    settings = _settings()
    return Store(settings, database_url=settings.database_url)


def command_migrate(arguments: argparse.Namespace) -> int:
    from storage.database import make_engine
    from storage.migrate import upgrade_to_head
    from storage.postgres import create_app_role

    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        revision = upgrade_to_head(engine)
        print(f"Database is at revision {revision}.")
        if arguments.create_app_role:
            if engine.dialect.name != "postgresql":
                print("--create-app-role needs PostgreSQL; SQLite has no roles.")
                return 2
            password = None
            if arguments.app_password_env:
                password = os.environ.get(arguments.app_password_env) or None
                if password is None:
                    print(f"{arguments.app_password_env} is unset or empty.")
                    return 2
            create_app_role(engine, arguments.create_app_role, password)
            print(
                f"Role {arguments.create_app_role} is ready; connect the app with "
                "APP_DATABASE_URL set to that role's URL."
            )
    finally:
        engine.dispose()
    return 0


def command_status(arguments: argparse.Namespace) -> int:
    from storage.registry import get_store

    status = get_store(_settings()).status()
    print(json.dumps(status.__dict__, indent=2))
    return 0 if status.healthy else 1


def command_generate_key(arguments: argparse.Namespace) -> int:
    print(generate_master_key())
    return 0


def command_rotate_keys(arguments: argparse.Namespace) -> int:
    from storage.rotation import rewrap_data_keys, rotate_firm_key

    store = _owner_store()
    actor = Actor.system("rotate-keys")
    count = rewrap_data_keys(store, actor)
    print(
        f"Re-wrapped {count} data keys under master key {store.keys.ring.current_id}."
    )
    for firm_id in arguments.firm or []:
        rows = rotate_firm_key(store, actor, firm_id)
        print(f"Firm {firm_id}: new data key, {rows} rows re-encrypted.")
    return 0


def command_verify_audit(arguments: argparse.Namespace) -> int:
    outcome = _owner_store().verify_audit_chain()
    if outcome.ok:
        print(f"Audit chain intact: {outcome.rows_checked} rows checked.")
        return 0
    print(
        f"Audit chain BROKEN at row {outcome.first_bad_id}: {outcome.reason} "
        f"({outcome.rows_checked} rows checked)."
    )
    return 1


def command_purge_audit(arguments: argparse.Namespace) -> int:
    store = _owner_store()
    removed = store.purge_audit(Actor.system("purge-audit"))
    years = store.settings.audit_retention_years
    print(f"Removed {removed} audit rows older than {years} years.")
    return 0


def command_backup(arguments: argparse.Namespace) -> int:
    from storage.backup import create_backup

    manifest = create_backup(_owner_store(), Path(arguments.path), arguments.firm)
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    print(f"Backup written to {arguments.path}: {rows} rows.")
    return 0


def command_restore(arguments: argparse.Namespace) -> int:
    from storage.backup import restore_backup

    counts = restore_backup(
        _owner_store(), Path(arguments.path), Actor.system("restore")
    )
    print(f"Restored {sum(counts.values())} rows: {counts}")
    return 0


def command_verify_backup(arguments: argparse.Namespace) -> int:
    from storage.backup import verify_backup

    problems = verify_backup(Path(arguments.path))
    if problems:
        for problem in problems:
            print(f"FAILED: {problem}")
        return 1
    print(f"Backup {arguments.path} verified: counts and checksums match.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m storage", description="Manage the ICARA dashboard database."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser(
        "migrate", help="upgrade the schema to the newest revision"
    )
    migrate.add_argument(
        "--create-app-role",
        metavar="NAME",
        help="also create or update the PostgreSQL application role NAME",
    )
    migrate.add_argument(
        "--app-password-env",
        metavar="VARIABLE",
        help="environment variable holding the application role's password",
    )
    migrate.set_defaults(handler=command_migrate)

    commands.add_parser("status", help="print database and cache health").set_defaults(
        handler=command_status
    )
    commands.add_parser(
        "generate-key", help="print a new random base64 master key"
    ).set_defaults(handler=command_generate_key)

    rotate = commands.add_parser(
        "rotate-keys",
        help="re-wrap data keys under ENCRYPTION_KEY; optionally rotate firm keys",
    )
    rotate.add_argument(
        "--firm",
        type=int,
        action="append",
        metavar="ID",
        help="also give firm ID a new data key and re-encrypt its rows (repeatable)",
    )
    rotate.set_defaults(handler=command_rotate_keys)

    commands.add_parser(
        "verify-audit", help="check the audit log's hash chain"
    ).set_defaults(handler=command_verify_audit)
    commands.add_parser(
        "purge-audit", help="remove audit rows older than AUDIT_RETENTION_YEARS"
    ).set_defaults(handler=command_purge_audit)

    backup = commands.add_parser("backup", help="write an encrypted backup folder")
    backup.add_argument("path", help="new or empty folder to write")
    backup.add_argument("--firm", type=int, metavar="ID", help="back up one firm only")
    backup.set_defaults(handler=command_backup)

    restore = commands.add_parser(
        "restore", help="load a backup into an empty database"
    )
    restore.add_argument("path", help="backup folder")
    restore.set_defaults(handler=command_restore)

    verify = commands.add_parser(
        "verify-backup", help="check a backup's row counts and SHA-256 checksums"
    )
    verify.add_argument("path", help="backup folder")
    verify.set_defaults(handler=command_verify_backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return the process exit status."""
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from runtime.config import ConfigurationError

    try:
        return arguments.handler(arguments)
    except (StorageError, SQLAlchemyError, ConfigurationError) as error:
        logger.error("%s failed: %s", arguments.command, error)
        print(f"{arguments.command} failed: {error}", file=sys.stderr)
        return 2
