"""PostgreSQL-only set-up: the application role that row-level security binds.

The migration owner (``DATABASE_URL``) owns every table. The application role
owns nothing, has neither SUPERUSER nor BYPASSRLS, may not UPDATE or DELETE
audit rows, and is what the app should connect as (``APP_DATABASE_URL``).
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import Engine, text

logger = logging.getLogger(__name__)

ROLE_NAME_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

GRANTS = (
    "grant select, insert, update on firms to {role}",
    "grant select, insert on data_keys to {role}",
    "grant select, insert, update, delete on users, user_firms, login_sessions "
    "to {role}",
    "grant select, insert, update, delete on calculations, scenarios, "
    "own_funds_snapshots, datasets to {role}",
    "grant select, insert on audit_log to {role}",
    "grant select, update on audit_head to {role}",
    "grant select on audit_anchors, alembic_version to {role}",
    "grant usage, select on all sequences in schema public to {role}",
    "revoke update, delete, truncate on audit_log from {role}",
)


def _quoted(connection, name: str) -> str:  # type: ignore[no-untyped-def]
    return connection.scalar(
        text("select quote_ident(cast(:name as text))"), {"name": name}
    )


def create_app_role(engine: Engine, name: str, password: str | None = None) -> None:
    """Create or update the application role and grant it table access.

    Safe to run again: an existing role is altered to the same attributes and
    granted again. The password, when given, is set without being logged.
    """
    if not ROLE_NAME_PATTERN.match(name):
        raise ValueError(
            "Role name must be lower-case letters, digits and underscores, "
            f"got {name!r}."
        )
    with engine.begin() as connection:
        role = _quoted(connection, name)
        exists = connection.scalar(
            text("select 1 from pg_roles where rolname = :name"), {"name": name}
        )
        attributes = "login nosuperuser nobypassrls nocreatedb nocreaterole"
        verb = "alter" if exists else "create"
        connection.execute(text(f"{verb} role {role} {attributes}"))
        if password:
            statement = connection.scalar(
                text(
                    "select format('alter role %I password %L', "
                    "cast(:name as text), cast(:password as text))"
                ),
                {"name": name, "password": password},
            )
            connection.execute(text(statement))
        database = _quoted(
            connection, connection.scalar(text("select current_database()"))
        )
        connection.execute(text(f"grant connect on database {database} to {role}"))
        connection.execute(text(f"grant usage on schema public to {role}"))
        for grant in GRANTS:
            connection.execute(text(grant.format(role=role)))
    logger.info(
        "Application role %s is ready (%s)", name, "updated" if exists else "created"
    )
