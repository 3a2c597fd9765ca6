"""SQLAlchemy 2 table models, shared by SQLite and PostgreSQL.

Columns ending ``_ciphertext`` hold AES-256-GCM ciphertext made by
``storage.crypto``, and ``key_version`` names the firm data key that made them.
Firm-scoped tables carry ``firm_id`` and, on PostgreSQL, a row-level security
policy on ``app.firm_ids`` (see ``storage.postgres``). Timestamps are stored in
UTC and always come back timezone-aware.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Tables whose rows belong to one firm, each under row-level security.
FIRM_SCOPED_TABLES = (
    "data_keys",
    "calculations",
    "scenarios",
    "own_funds_snapshots",
    "datasets",
)


def utc_now() -> dt.datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and returned timezone-aware on every database.

    SQLite drops the offset on the way in, so a naive value read back is UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp {value!r} has no time zone; pass UTC")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names that Alembic can reproduce."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FirmRow(Base):
    """A regulated firm."""

    __tablename__ = "firms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    frn: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(150))


class DataKeyRow(Base):
    """A firm's data key, wrapped (AES-256-GCM) by the master key."""

    __tablename__ = "data_keys"
    __table_args__ = (UniqueConstraint("firm_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    master_key_id: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class UserRow(Base):
    """A login account, with its roles as a comma-separated list."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class UserFirmRow(Base):
    """Membership of a user in a firm."""

    __tablename__ = "user_firms"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), primary_key=True)


class LoginSessionRow(Base):
    """A login session, found by the SHA-256 hash of its random token."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(400))


class ScenarioRow(Base):
    """A stress or planning scenario: encrypted drivers and results."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_version: Mapped[int] = mapped_column(Integer)
    drivers_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    results_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(150))


class CalculationRow(Base):
    """One calculator run: encrypted inputs, result and headline figure."""

    __tablename__ = "calculations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    calculator: Mapped[str] = mapped_column(String(64), index=True)
    calculator_version: Mapped[str] = mapped_column(String(32))
    rules_version: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(200))
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL")
    )
    key_version: Mapped[int] = mapped_column(Integer)
    inputs_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    result_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    headline_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utc_now, index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(150))


class OwnFundsSnapshotRow(Base):
    """Own funds figures as of one date, encrypted."""

    __tablename__ = "own_funds_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    key_version: Mapped[int] = mapped_column(Integer)
    figures_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(150))


class DatasetRow(Base):
    """An uploaded series (AUM, trades, expenditure...), rows encrypted."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str | None] = mapped_column(String(300))
    row_count: Mapped[int] = mapped_column(Integer)
    key_version: Mapped[int] = mapped_column(Integer)
    records_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(150))


class AuditLogRow(Base):
    """An append-only audit row, chained to its predecessor by SHA-256.

    ``id`` is assigned by the writer (previous id plus one) under the chain
    head's row lock, so ids have no gaps and a deleted row breaks the chain.
    ``detail`` is canonical JSON of ids and names only, never client figures.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_username: Mapped[str] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(100))
    firm_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row naming the newest audit id and hash (the chain head)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditAnchorRow(Base):
    """A record of one purge: the last purged id and its hash anchor the chain."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purged_through_id: Mapped[int] = mapped_column(BigInteger)
    anchor_hash: Mapped[str] = mapped_column(String(64))
    rows_purged: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(150))


# Encrypted fields of each firm-scoped table, named without ``_ciphertext``.
SEALED_FIELDS: dict[type[Base], tuple[str, ...]] = {
    CalculationRow: ("inputs", "result", "headline"),
    ScenarioRow: ("drivers", "results"),
    OwnFundsSnapshotRow: ("figures",),
    DatasetRow: ("records",),
}
