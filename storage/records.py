"""Plain records returned by the storage API, decrypted and detached from SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Firm:
    """A regulated firm whose figures the dashboard holds.

    ``frn`` is the FCA Firm Reference Number, when known.
    """

    id: int
    name: str
    frn: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class CalculationSummary:
    """One saved calculation without its inputs and full result.

    ``headline_value`` is the calculator's headline figure in ``headline_unit``
    (GBP for requirements), decrypted from the saved result. When the headline
    fails to decrypt in a list, both are None and ``headline_error`` gives the
    reason, so that one damaged record does not hide the others.
    """

    id: int
    firm_id: int
    calculator: str
    label: str | None
    created_at: dt.datetime
    created_by: str
    rules_version: str
    calculator_version: str
    headline_value: float | None
    headline_unit: str | None
    scenario_id: int | None
    headline_error: str | None


@dataclass(frozen=True)
class CalculationRecord(CalculationSummary):
    """A saved calculation with its decrypted inputs and result."""

    inputs: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True)
class ScenarioSummary:
    """One saved stress or planning scenario without its drivers and results."""

    id: int
    firm_id: int
    name: str
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class ScenarioRecord(ScenarioSummary):
    """A saved scenario with its decrypted drivers and results."""

    drivers: dict[str, Any]
    results: dict[str, Any]


@dataclass(frozen=True)
class OwnFundsSnapshot:
    """Own funds figures (GBP, by tier or line item) as of one date."""

    id: int
    firm_id: int
    as_of: dt.date
    figures: dict[str, float]
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class DatasetSummary:
    """One uploaded dataset (a series such as AUM or trades) without its rows."""

    id: int
    firm_id: int
    kind: str
    source_name: str | None
    row_count: int
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class Dataset(DatasetSummary):
    """An uploaded dataset with its decrypted rows."""

    records: list[dict[str, Any]]


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only audit log."""

    id: int
    created_at: dt.datetime
    actor_user_id: int | None
    actor_username: str
    action: str
    firm_id: int | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditVerification:
    """Outcome of checking the audit hash chain.

    ``first_bad_id`` is the id of the first row whose hash or link failed, and
    ``reason`` describes the failure. Both are ``None`` when ``ok``.
    """

    ok: bool
    rows_checked: int
    first_bad_id: int | None
    reason: str | None = None


@dataclass(frozen=True)
class DataKeyInfo:
    """Metadata of one firm data key version; the key itself is never exposed.

    ``master_key_id`` identifies the master key that wraps it, and
    ``retired_at`` is set once a newer version replaced it.
    """

    firm_id: int
    version: int
    master_key_id: str
    is_active: bool
    created_at: dt.datetime
    retired_at: dt.datetime | None


@dataclass(frozen=True)
class StoreStatus:
    """Health of the database and the result cache.

    ``database_kind`` is ``"postgresql"`` or ``"sqlite"``; ``cache_kind`` is
    ``"redis"`` or ``"in-process"``. ``cache_reason`` explains a degraded cache.
    ``row_level_security`` is true only on PostgreSQL when the connected role is
    subject to the policies (not a superuser and without BYPASSRLS).
    ``database_error`` describes a failed connection, else ``None``.
    """

    database_kind: str
    migrations_at_head: bool
    current_revision: str | None
    head_revision: str
    cache_kind: str
    cache_healthy: bool
    cache_reason: str | None
    row_level_security: bool
    database_error: str | None = None

    @property
    def healthy(self) -> bool:
        """Whether the database is reachable and migrated and the cache works."""
        return (
            self.database_error is None
            and self.migrations_at_head
            and self.cache_healthy
        )


@dataclass(frozen=True)
class User:
    """A login account whose ``password_hash`` is a bcrypt hash, never a password."""

    id: int
    username: str
    display_name: str
    password_hash: str
    roles: frozenset[str]
    firm_ids: frozenset[int]
    is_active: bool
    failed_attempts: int
    locked_until: dt.datetime | None
    password_changed_at: dt.datetime | None
    last_login_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class LoginSession:
    """A login session, stored under the SHA-256 hash of its token."""

    id: int
    user_id: int
    token_hash: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    user_agent: str | None

    def is_live(self, now: dt.datetime) -> bool:
        """Return whether the session is neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now
