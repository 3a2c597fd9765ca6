"""The storage API: firm-scoped, encrypted, audited records.

Every firm-scoped method takes the acting ``Actor`` first, checks the actor's
role and firm membership, and on PostgreSQL also runs inside a transaction
whose ``app.firm_ids`` setting drives row-level security. Saves and deletes
write an audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from typing import Any, NoReturn

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, defer

from calc.rules import CALCULATOR_VERSION, RULES_VERSION
from storage import audit as audit_log
from storage.actor import Actor, describe_denial
from storage.cache import ResultCache, make_cache
from storage.canonical import canonical_json, is_finite_number
from storage.crypto import cache_key_digest, decrypt_json, encrypt_json
from storage.database import Database, make_engine, unavailable
from storage.errors import (
    DecryptionError,
    InvalidInput,
    KeyConfigurationError,
    MigrationRequired,
    NotFound,
)
from storage.keys import KeyStore, master_key_ring
from storage.migrate import current_revision, head_revision, upgrade_to_head
from storage.models import (
    AuditLogRow,
    CalculationRow,
    DataKeyRow,
    DatasetRow,
    FirmRow,
    OwnFundsSnapshotRow,
    ScenarioRow,
    utc_now,
)
from storage.records import (
    AuditEntry,
    AuditVerification,
    CalculationRecord,
    CalculationSummary,
    DataKeyInfo,
    Dataset,
    DatasetSummary,
    Firm,
    OwnFundsSnapshot,
    ScenarioRecord,
    ScenarioSummary,
    StoreStatus,
)

logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CACHE_VALUE_HEADER_BYTES = 4


def _check_name(argument: str, value: object) -> str:
    if not isinstance(value, str) or not NAME_PATTERN.match(value):
        raise InvalidInput(
            f"{argument} must be lower-case letters, digits and underscores "
            f"(1 to 64, starting with a letter), got {value!r}."
        )
    return value


def _check_text(argument: str, value: object, maximum: int, *, optional: bool) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > maximum:
        raise InvalidInput(
            f"{argument} must be non-empty text of at most {maximum} characters, "
            f"got {value!r}."
        )
    return value.strip()


def _check_count(argument: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{argument} must be a whole number >= 0, got {value!r}.")


def _check_mapping(argument: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{argument} must be a dict, got {type(value).__name__}.")
    canonical_json(value)
    return value


class Store:
    """Encrypted, audited storage of firms and their capital calculations.

    Create it with ``get_store()``, which keeps one per database URL.

    Parameters
    ----------
    settings : runtime.config.Settings
        Database URL, Redis URL, master key, data folder, cache lifetime and
        audit retention.
    database_url : str, optional
        URL to connect with. The default is ``APP_DATABASE_URL`` when set (the
        application role on PostgreSQL), else ``settings.database_url``.
    cache : InProcessCache or RedisCache, optional
        Overrides the cache built from ``settings.redis_url``.
    cache_prefix : str
        Start of every Redis key this store writes.
    """

    def __init__(
        self,
        settings: Any,
        *,
        database_url: str | None = None,
        cache: ResultCache | None = None,
        cache_prefix: str = "icara",
    ) -> None:
        self.settings = settings
        url = database_url or app_database_url(settings) or settings.database_url
        self.db = Database(make_engine(url))
        self.keys = KeyStore(master_key_ring(settings))
        self.cache = cache if cache is not None else make_cache(settings.redis_url)
        self.cache_prefix = cache_prefix
        self._cache_lock = threading.Lock()
        try:
            if self.db.kind == "sqlite":
                upgrade_to_head(self.db.engine)
            else:
                self._require_head()
        except OperationalError as error:
            self.db.dispose()
            raise unavailable(error) from error
        self._check_master_key()
        logger.info(
            "Storage started: database=%s cache=%s", self.db.kind, self.cache.kind
        )

    # -- start-up checks -------------------------------------------------

    def _require_head(self) -> None:
        current = current_revision(self.db.engine)
        head = head_revision()
        if current != head:
            raise MigrationRequired(
                f"The database schema is at revision {current or 'none'} but the "
                f"code needs {head}; run `python -m storage migrate` with "
                "DATABASE_URL set to the owner's URL."
            )

    def _check_master_key(self) -> None:
        with self.db.transaction("*") as session:
            used = set(session.scalars(select(DataKeyRow.master_key_id).distinct()))
        unknown = used - self.keys.ring.known_ids()
        if unknown:
            raise KeyConfigurationError(
                f"Data keys in this database are wrapped by master key(s) "
                f"{sorted(unknown)}, but the configured key is "
                f"{self.keys.ring.current_id}. Set ENCRYPTION_KEY to the key this "
                "database was created with (or list it in ENCRYPTION_KEY_PREVIOUS)."
            )

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()

    # -- access control ----------------------------------------------------

    def deny(self, actor: Actor, operation: str, firm_id: int | None) -> NoReturn:
        """Audit and log a refused operation, then raise ``AccessDenied``."""
        logger.warning(
            "Access denied: user=%s operation=%s firm=%s",
            actor.username,
            operation,
            firm_id,
        )
        try:
            with self.db.transaction("*", write=True) as session:
                audit_log.append(
                    session, actor, "access.denied", firm_id, {"operation": operation}
                )
        except SQLAlchemyError as error:
            logger.error("Could not audit a denied %s: %s", operation, error)
        raise describe_denial(actor, f"{operation} for firm {firm_id}")

    def _check_read(self, actor: Actor, firm_id: int, operation: str) -> None:
        if not isinstance(firm_id, int) or isinstance(firm_id, bool):
            raise InvalidInput(f"firm_id must be an int, got {firm_id!r}.")
        if not actor.can_access_firm(firm_id):
            self.deny(actor, operation, firm_id)

    def _check_write(self, actor: Actor, firm_id: int, operation: str) -> None:
        self._check_read(actor, firm_id, operation)
        if not actor.can_write:
            self.deny(actor, operation, firm_id)

    def _check_administrator(self, actor: Actor, operation: str) -> None:
        if not actor.is_administrator:
            self.deny(actor, operation, None)

    # -- encryption helpers ------------------------------------------------

    def _seal(
        self,
        session: Session,
        row: Any,
        fields: dict[str, Any],
    ) -> None:
        """Encrypt ``fields`` into ``<field>_ciphertext`` of a flushed row."""
        version, data_key = self.keys.active_key(session, row.firm_id)
        row.key_version = version
        for field, value in fields.items():
            setattr(
                row,
                f"{field}_ciphertext",
                encrypt_json(
                    data_key,
                    value,
                    firm_id=row.firm_id,
                    table=row.__tablename__,
                    record_id=row.id,
                    field=field,
                    version=version,
                ),
            )

    def _open(self, session: Session, row: Any, field: str) -> Any:
        data_key = self.keys.key(session, row.firm_id, row.key_version)
        return decrypt_json(
            data_key,
            getattr(row, f"{field}_ciphertext"),
            firm_id=row.firm_id,
            table=row.__tablename__,
            record_id=row.id,
            field=field,
            version=row.key_version,
        )

    def _insert_sealed(self, session: Session, row: Any, fields: dict[str, Any]) -> int:
        """Insert ``row`` with its fields encrypted and bound to its id.

        PostgreSQL hands out the id first, from the table's sequence, so the
        row is written once. SQLite assigns the id on insert, so there the row
        is inserted with empty ciphertext and then updated.
        """
        if self.db.kind == "postgresql":
            row.id = session.scalar(
                text("select nextval(pg_get_serial_sequence(:table, 'id'))"),
                {"table": row.__tablename__},
            )
            self._seal(session, row, fields)
            session.add(row)
            session.flush()
            return row.id
        for field in fields:
            setattr(row, f"{field}_ciphertext", b"")
        row.key_version = 0
        session.add(row)
        session.flush()
        self._seal(session, row, fields)
        session.flush()
        return row.id

    def _get_row(
        self, session: Session, model: Any, firm_id: int, record_id: int, noun: str
    ) -> Any:
        row = session.scalar(
            select(model).where(model.id == record_id, model.firm_id == firm_id)
        )
        if row is None:
            raise NotFound(f"{noun} {record_id} not found in firm {firm_id}.")
        return row

    # -- firms -------------------------------------------------------------

    def create_firm(self, actor: Actor, name: str, frn: str | None = None) -> Firm:
        """Create a firm and its first data key (administrators only)."""
        self._check_administrator(actor, "create a firm")
        name = _check_text("name", name, 200, optional=False)
        frn = _check_text("frn", frn, 20, optional=True)
        try:
            with self.db.transaction("*", write=True) as session:
                row = FirmRow(
                    name=name, frn=frn, created_at=utc_now(), created_by=actor.username
                )
                session.add(row)
                session.flush()
                self.keys.add_key(session, row.id, 1)
                audit_log.append(
                    session, actor, "firm.created", row.id, {"firm_id": row.id}
                )
        except IntegrityError:
            raise InvalidInput(f"A firm named {name!r} already exists.") from None
        logger.info("Created firm id=%s by %s", row.id, actor.username)
        return _firm(row)

    def list_firms(self, actor: Actor) -> list[Firm]:
        """Return the firms the actor may access, by name."""
        query = select(FirmRow).order_by(FirmRow.name)
        if not actor.is_administrator:
            query = query.where(FirmRow.id.in_(sorted(actor.firm_ids)))
        with self.db.transaction(actor.firm_scope()) as session:
            return [_firm(row) for row in session.scalars(query)]

    def get_firm(self, actor: Actor, firm_id: int) -> Firm:
        """Return one firm, raising ``NotFound`` if it does not exist."""
        self._check_read(actor, firm_id, "read a firm")
        with self.db.transaction(actor.firm_scope()) as session:
            row = session.get(FirmRow, firm_id)
            if row is None:
                raise NotFound(f"Firm {firm_id} not found.")
            return _firm(row)

    # -- calculations ------------------------------------------------------

    def save_calculation(
        self,
        actor: Actor,
        firm_id: int,
        calculator: str,
        inputs: dict,
        result: dict,
        label: str | None = None,
        scenario_id: int | None = None,
    ) -> int:
        """Encrypt and save one calculator run and return its id.

        ``result`` is ``CalculationResult.to_dict()``. Its ``value`` and
        ``unit`` become the encrypted headline. Its ``rules_version`` and
        ``calculator_version`` (the current ones when absent) are stored in
        clear so that records can be listed by version.
        """
        self._check_write(actor, firm_id, "save a calculation")
        _check_name("calculator", calculator)
        _check_mapping("inputs", inputs)
        _check_mapping("result", result)
        label = _check_text("label", label, 200, optional=True)
        value = result.get("value")
        headline = {
            "value": value if is_finite_number(value) else None,
            "unit": result.get("unit") if isinstance(result.get("unit"), str) else None,
        }
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            if scenario_id is not None:
                self._get_row(session, ScenarioRow, firm_id, scenario_id, "Scenario")
            row = CalculationRow(
                firm_id=firm_id,
                calculator=calculator,
                calculator_version=str(
                    result.get("calculator_version") or CALCULATOR_VERSION
                ),
                rules_version=str(result.get("rules_version") or RULES_VERSION),
                label=label,
                scenario_id=scenario_id,
                created_at=utc_now(),
                created_by_user_id=actor.user_id,
                created_by=actor.username,
            )
            record_id = self._insert_sealed(
                session,
                row,
                {"inputs": inputs, "result": result, "headline": headline},
            )
            audit_log.append(
                session,
                actor,
                "calculation.saved",
                firm_id,
                {"calculation_id": record_id, "calculator": calculator},
            )
        logger.info(
            "Saved calculation id=%s firm=%s calculator=%s by %s",
            record_id,
            firm_id,
            calculator,
            actor.username,
        )
        return record_id

    def list_calculations(
        self,
        actor: Actor,
        firm_id: int,
        calculator: str | None = None,
        since: dt.datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[CalculationSummary]:
        """Return a firm's calculations, newest first, with decrypted headlines."""
        self._check_read(actor, firm_id, "list calculations")
        _check_count("offset", offset)
        if limit is not None:
            _check_count("limit", limit)
        query = (
            select(CalculationRow)
            .options(
                defer(CalculationRow.inputs_ciphertext),
                defer(CalculationRow.result_ciphertext),
            )
            .where(CalculationRow.firm_id == firm_id)
            .order_by(CalculationRow.created_at.desc(), CalculationRow.id.desc())
            .offset(offset)
        )
        if calculator is not None:
            query = query.where(CalculationRow.calculator == calculator)
        if since is not None:
            query = query.where(CalculationRow.created_at >= since)
        if limit is not None:
            query = query.limit(limit)
        with self.db.transaction(actor.firm_scope()) as session:
            rows = session.scalars(query).all()
            return [self._readable_summary(session, row) for row in rows]

    def _readable_summary(self, session: Session, row: CalculationRow) -> Any:
        """Summarise ``row``; a damaged headline is reported, not fatal to a list."""
        try:
            headline = self._open(session, row, "headline")
        except DecryptionError as error:
            logger.error("Unreadable calculation headline: %s", error)
            return _summary(row, {}, headline_error=str(error))
        return _summary(row, headline)

    def load_calculation(
        self, actor: Actor, firm_id: int, calculation_id: int
    ) -> CalculationRecord:
        """Return one calculation with its decrypted inputs and result."""
        self._check_read(actor, firm_id, "load a calculation")
        with self.db.transaction(actor.firm_scope()) as session:
            row = self._get_row(
                session, CalculationRow, firm_id, calculation_id, "Calculation"
            )
            summary = _summary(row, self._open(session, row, "headline"))
            return CalculationRecord(
                **vars_of(summary),
                inputs=self._open(session, row, "inputs"),
                result=self._open(session, row, "result"),
            )

    def delete_calculation(
        self, actor: Actor, firm_id: int, calculation_id: int
    ) -> None:
        """Delete one calculation. Its audit rows keep the fact that it existed."""
        self._check_write(actor, firm_id, "delete a calculation")
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            row = self._get_row(
                session, CalculationRow, firm_id, calculation_id, "Calculation"
            )
            session.delete(row)
            audit_log.append(
                session,
                actor,
                "calculation.deleted",
                firm_id,
                {"calculation_id": calculation_id, "calculator": row.calculator},
            )
        logger.info("Deleted calculation id=%s firm=%s", calculation_id, firm_id)

    # -- scenarios ---------------------------------------------------------

    def save_scenario(
        self, actor: Actor, firm_id: int, name: str, drivers: dict, results: dict
    ) -> int:
        """Encrypt and save a scenario's drivers and results and return its id."""
        self._check_write(actor, firm_id, "save a scenario")
        name = _check_text("name", name, 200, optional=False)
        _check_mapping("drivers", drivers)
        _check_mapping("results", results)
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            row = ScenarioRow(
                firm_id=firm_id,
                name=name,
                created_at=utc_now(),
                created_by_user_id=actor.user_id,
                created_by=actor.username,
            )
            record_id = self._insert_sealed(
                session, row, {"drivers": drivers, "results": results}
            )
            audit_log.append(
                session, actor, "scenario.saved", firm_id, {"scenario_id": record_id}
            )
        logger.info("Saved scenario id=%s firm=%s", record_id, firm_id)
        return record_id

    def list_scenarios(self, actor: Actor, firm_id: int) -> list[ScenarioSummary]:
        """Return a firm's scenarios, newest first, without drivers or results."""
        self._check_read(actor, firm_id, "list scenarios")
        query = (
            select(ScenarioRow)
            .options(
                defer(ScenarioRow.drivers_ciphertext),
                defer(ScenarioRow.results_ciphertext),
            )
            .where(ScenarioRow.firm_id == firm_id)
            .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id.desc())
        )
        with self.db.transaction(actor.firm_scope()) as session:
            return [_scenario_summary(row) for row in session.scalars(query)]

    def load_scenario(
        self, actor: Actor, firm_id: int, scenario_id: int
    ) -> ScenarioRecord:
        """Return one scenario with its decrypted drivers and results."""
        self._check_read(actor, firm_id, "load a scenario")
        with self.db.transaction(actor.firm_scope()) as session:
            row = self._get_row(session, ScenarioRow, firm_id, scenario_id, "Scenario")
            return ScenarioRecord(
                **vars_of(_scenario_summary(row)),
                drivers=self._open(session, row, "drivers"),
                results=self._open(session, row, "results"),
            )

    def delete_scenario(self, actor: Actor, firm_id: int, scenario_id: int) -> None:
        """Delete a scenario and clear the link from calculations that used it."""
        self._check_write(actor, firm_id, "delete a scenario")
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            row = self._get_row(session, ScenarioRow, firm_id, scenario_id, "Scenario")
            session.delete(row)
            audit_log.append(
                session,
                actor,
                "scenario.deleted",
                firm_id,
                {"scenario_id": scenario_id},
            )
        logger.info("Deleted scenario id=%s firm=%s", scenario_id, firm_id)

    # -- own funds ---------------------------------------------------------

    def save_own_funds_snapshot(
        self, actor: Actor, firm_id: int, as_of: dt.date, figures: dict[str, float]
    ) -> int:
        """Encrypt and save own funds figures (GBP) as of a date; return the id."""
        self._check_write(actor, firm_id, "save own funds")
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise InvalidInput(f"as_of must be a datetime.date, got {as_of!r}.")
        if not isinstance(figures, dict):
            raise InvalidInput(f"figures must be a dict, got {type(figures).__name__}.")
        for name, amount in figures.items():
            if not is_finite_number(amount):
                raise InvalidInput(
                    f"Own funds figure {name!r} must be a finite number, got "
                    f"{type(amount).__name__}."
                )
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            row = OwnFundsSnapshotRow(
                firm_id=firm_id,
                as_of=as_of,
                created_at=utc_now(),
                created_by_user_id=actor.user_id,
                created_by=actor.username,
            )
            record_id = self._insert_sealed(session, row, {"figures": figures})
            audit_log.append(
                session,
                actor,
                "own_funds.saved",
                firm_id,
                {"snapshot_id": record_id, "as_of": as_of.isoformat()},
            )
        logger.info("Saved own funds snapshot id=%s firm=%s", record_id, firm_id)
        return record_id

    def own_funds_history(self, actor: Actor, firm_id: int) -> list[OwnFundsSnapshot]:
        """Return a firm's own funds snapshots, oldest ``as_of`` first."""
        self._check_read(actor, firm_id, "read own funds")
        query = (
            select(OwnFundsSnapshotRow)
            .where(OwnFundsSnapshotRow.firm_id == firm_id)
            .order_by(OwnFundsSnapshotRow.as_of, OwnFundsSnapshotRow.id)
        )
        with self.db.transaction(actor.firm_scope()) as session:
            return [
                OwnFundsSnapshot(
                    id=row.id,
                    firm_id=row.firm_id,
                    as_of=row.as_of,
                    figures=self._open(session, row, "figures"),
                    created_at=row.created_at,
                    created_by=row.created_by,
                )
                for row in session.scalars(query)
            ]

    # -- datasets ----------------------------------------------------------

    def save_dataset(
        self,
        actor: Actor,
        firm_id: int,
        kind: str,
        records: list[dict],
        source_name: str | None = None,
    ) -> int:
        """Encrypt and save an uploaded series (``kind`` such as ``"aum"``)."""
        self._check_write(actor, firm_id, "save a dataset")
        _check_name("kind", kind)
        source_name = _check_text("source_name", source_name, 300, optional=True)
        if not isinstance(records, list) or not all(
            isinstance(record, dict) for record in records
        ):
            raise InvalidInput("records must be a list of dicts.")
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            row = DatasetRow(
                firm_id=firm_id,
                kind=kind,
                source_name=source_name,
                row_count=len(records),
                created_at=utc_now(),
                created_by_user_id=actor.user_id,
                created_by=actor.username,
            )
            record_id = self._insert_sealed(session, row, {"records": records})
            audit_log.append(
                session,
                actor,
                "dataset.saved",
                firm_id,
                {"dataset_id": record_id, "kind": kind, "rows": len(records)},
            )
        logger.info(
            "Saved dataset id=%s firm=%s kind=%s rows=%s",
            record_id,
            firm_id,
            kind,
            len(records),
        )
        return record_id

    def load_latest_dataset(
        self, actor: Actor, firm_id: int, kind: str
    ) -> Dataset | None:
        """Return the newest dataset of ``kind`` for a firm, or ``None``."""
        self._check_read(actor, firm_id, "load a dataset")
        _check_name("kind", kind)
        query = (
            select(DatasetRow)
            .where(DatasetRow.firm_id == firm_id, DatasetRow.kind == kind)
            .order_by(DatasetRow.created_at.desc(), DatasetRow.id.desc())
            .limit(1)
        )
        with self.db.transaction(actor.firm_scope()) as session:
            row = session.scalar(query)
            if row is None:
                return None
            return Dataset(
                **vars_of(_dataset_summary(row)),
                records=self._open(session, row, "records"),
            )

    def list_datasets(self, actor: Actor, firm_id: int) -> list[DatasetSummary]:
        """Return a firm's datasets, newest first, without their rows."""
        self._check_read(actor, firm_id, "list datasets")
        query = (
            select(DatasetRow)
            .options(defer(DatasetRow.records_ciphertext))
            .where(DatasetRow.firm_id == firm_id)
            .order_by(DatasetRow.created_at.desc(), DatasetRow.id.desc())
        )
        with self.db.transaction(actor.firm_scope()) as session:
            return [_dataset_summary(row) for row in session.scalars(query)]

    # -- audit -------------------------------------------------------------

    def audit(
        self, actor: Actor, action: str, firm_id: int | None, detail: dict
    ) -> int:
        """Append an audit row (ids and names only in ``detail``); return its id."""
        if firm_id is not None:
            self._check_read(actor, firm_id, f"audit {action}")
        _check_mapping("detail", detail)
        with self.db.transaction(actor.firm_scope(), write=True) as session:
            return audit_log.append(session, actor, action, firm_id, detail)

    def list_audit(
        self, actor: Actor, firm_id: int | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        """Return audit rows, newest first.

        With ``firm_id``, the rows of that firm. Without it, every row for an
        administrator and the rows of the actor's firms for anyone else.
        """
        query = select(AuditLogRow).order_by(AuditLogRow.id.desc()).limit(limit)
        if firm_id is not None:
            self._check_read(actor, firm_id, "read the audit log")
            query = query.where(AuditLogRow.firm_id == firm_id)
        elif not actor.is_administrator:
            query = query.where(AuditLogRow.firm_id.in_(sorted(actor.firm_ids)))
        with self.db.transaction(actor.firm_scope()) as session:
            return [audit_log.to_entry(row) for row in session.scalars(query)]

    def verify_audit_chain(self) -> AuditVerification:
        """Check every audit row's hash and link from the newest purge anchor."""
        with self.db.transaction("*") as session:
            outcome = audit_log.verify_chain(session)
        if outcome.ok:
            logger.info("Audit chain verified: %s rows", outcome.rows_checked)
        else:
            logger.error(
                "Audit chain broken at id=%s: %s", outcome.first_bad_id, outcome.reason
            )
        return outcome

    def purge_audit(self, actor: Actor, now: dt.datetime | None = None) -> int:
        """Delete audit rows older than the retention period; return how many.

        Needs the table owner's connection on PostgreSQL (``DATABASE_URL``).
        """
        self._check_administrator(actor, "purge the audit log")
        cutoff = audit_log.retention_cutoff(
            now or utc_now(), self.settings.audit_retention_years
        )
        with self.db.transaction("*", write=True) as session:
            return audit_log.purge_before(session, actor, cutoff)

    # -- cache -------------------------------------------------------------

    def cached_result(
        self,
        actor: Actor,
        firm_id: int,
        calculator: str,
        calculator_version: str,
        inputs: dict,
        compute: Callable[[], dict],
    ) -> dict:
        """Return ``compute()``'s result, from the cache when the inputs match.

        The key is the firm, calculator, version and an HMAC of the canonical
        JSON of ``inputs`` under the firm's data key; the value is encrypted.
        A cache failure only costs the recomputation.
        """
        self._check_read(actor, firm_id, "read a cached result")
        _check_name("calculator", calculator)
        material = canonical_json(
            {"calculator": calculator, "version": calculator_version, "inputs": inputs}
        )
        active = self.keys.cached_active_key(firm_id)
        if active is None:
            with self.db.transaction(actor.firm_scope()) as session:
                active = self.keys.active_key(session, firm_id)
        version, data_key = active
        digest = cache_key_digest(data_key, material)
        key = (
            f"{self.cache_prefix}:result:{firm_id}:{calculator}:"
            f"{calculator_version}:{digest}"
        )
        cached = self.cache.get(key)
        if cached is not None:
            try:
                return decrypt_json(
                    data_key,
                    cached[CACHE_VALUE_HEADER_BYTES:],
                    firm_id=firm_id,
                    table="cache",
                    record_id=0,
                    field=key,
                    version=version,
                )
            except DecryptionError:
                logger.warning(
                    "Ignoring an unreadable cache entry for firm=%s", firm_id
                )
        result = compute()
        _check_mapping("compute() result", result)
        blob = encrypt_json(
            data_key,
            result,
            firm_id=firm_id,
            table="cache",
            record_id=0,
            field=key,
            version=version,
        )
        header = version.to_bytes(CACHE_VALUE_HEADER_BYTES, "big")
        self.cache.set(key, header + blob, self.settings.cache_ttl_seconds)
        return result

    # -- keys --------------------------------------------------------------

    def list_data_keys(self, actor: Actor) -> list[DataKeyInfo]:
        """Return every firm's data key versions (administrators only)."""
        self._check_administrator(actor, "list data keys")
        query = select(DataKeyRow).order_by(DataKeyRow.firm_id, DataKeyRow.version)
        with self.db.transaction("*") as session:
            return [
                DataKeyInfo(
                    firm_id=row.firm_id,
                    version=row.version,
                    master_key_id=row.master_key_id,
                    is_active=row.is_active,
                    created_at=row.created_at,
                    retired_at=row.retired_at,
                )
                for row in session.scalars(query)
            ]

    # -- health ------------------------------------------------------------

    def status(self) -> StoreStatus:
        """Report the database kind and migration state and the cache health."""
        head = head_revision()
        current: str | None = None
        database_error: str | None = None
        row_level_security = False
        try:
            current = current_revision(self.db.engine)
            if self.db.kind == "postgresql":
                with self.db.engine.connect() as connection:
                    exempt = connection.scalar(
                        text(
                            "select rolsuper or rolbypassrls from pg_roles "
                            "where rolname = current_user"
                        )
                    )
                row_level_security = not exempt
        except SQLAlchemyError as error:
            database_error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
            logger.error("Database health check failed: %s", error)
        cache_health = self.cache.health()
        return StoreStatus(
            database_kind=self.db.kind,
            migrations_at_head=current == head,
            current_revision=current,
            head_revision=head,
            cache_kind=cache_health.kind,
            cache_healthy=cache_health.healthy,
            cache_reason=cache_health.reason,
            row_level_security=row_level_security,
            database_error=database_error,
        )


def app_database_url(settings: Any) -> str | None:
    """Return the application role's URL from settings or ``APP_DATABASE_URL``."""
    import os

    url = (
        getattr(settings, "app_database_url", None)
        or os.environ.get("APP_DATABASE_URL", "").strip()
    )
    if not url:
        return None
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def vars_of(record: Any) -> dict[str, Any]:
    """Return a dataclass record's fields as a dict (shallow)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def _firm(row: FirmRow) -> Firm:
    return Firm(id=row.id, name=row.name, frn=row.frn, created_at=row.created_at)


def _summary(
    row: CalculationRow, headline: dict[str, Any], headline_error: str | None = None
) -> CalculationSummary:
    return CalculationSummary(
        id=row.id,
        firm_id=row.firm_id,
        calculator=row.calculator,
        label=row.label,
        created_at=row.created_at,
        created_by=row.created_by,
        rules_version=row.rules_version,
        calculator_version=row.calculator_version,
        headline_value=headline.get("value"),
        headline_unit=headline.get("unit"),
        scenario_id=row.scenario_id,
        headline_error=headline_error,
    )


def _scenario_summary(row: ScenarioRow) -> ScenarioSummary:
    return ScenarioSummary(
        id=row.id,
        firm_id=row.firm_id,
        name=row.name,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def _dataset_summary(row: DatasetRow) -> DatasetSummary:
    return DatasetSummary(
        id=row.id,
        firm_id=row.firm_id,
        kind=row.kind,
        source_name=row.source_name,
        row_count=row.row_count,
        created_at=row.created_at,
        created_by=row.created_by,
    )
