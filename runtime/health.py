"""Health checks for operators: ``python -m runtime.health`` and ``run_checks()``.

The checks, in order:

- ``configuration``: every variable is valid (``runtime.config``);
- ``database``: the database accepts a connection and its Alembic revision is
  the newest migration in ``storage/migrations``;
- ``cache``: Redis completes a write, read and delete of a short-lived key, or
  the in-process cache is in use;
- ``encryption``: the master key decodes, wraps and unwraps a data key and
  encrypts and decrypts a field through ``storage.crypto``. Every active data
  key stored in the database must be wrapped by a configured master key, and
  one key per master key is unwrapped to prove it;
- ``calculator NAME``: each registered calculator returns the expected figures
  of its built-in cases (``runtime.health_cases``).

Each check runs in a daemon thread with a time limit
(``HEALTH_CHECK_TIMEOUT_SECONDS``), so an unreachable host makes the check fail
with "timed out" instead of hanging the command or the administration page.
A thread that times out is left to finish in the background.

The command prints one line per check and exits with status 0 when all pass,
1 when any fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from runtime.config import ConfigurationError, Settings, load_settings
from runtime.health_cases import HealthCase, cases_by_calculator
from runtime.logs import RedactionFilter, configure_logging

logger = logging.getLogger("runtime.health")

MAX_DETAIL_CHARACTERS = 400
# Calculator checks only compute, so they cannot wait on a network. Their first
# run imports numpy and pandas, which can take seconds on a loaded machine, so
# they get this multiple of the per-check time limit.
CALCULATOR_TIMEOUT_FACTOR = 4


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes
    ----------
    name : str
        ``"database"``, ``"cache"``, ``"calculator k_aum"`` and so on.
    ok : bool
        Whether the check passed.
    detail : str
        One line for an operator: what was found, or what failed and the fix.
    elapsed_ms : float
        Wall-clock time the check took, in milliseconds.
    """

    name: str
    ok: bool
    detail: str
    elapsed_ms: float

    @property
    def status(self) -> str:
        """``"OK"`` or ``"FAIL"``."""
        return "OK" if self.ok else "FAIL"

    def line(self) -> str:
        """Return the check as one line of the command's output."""
        return (
            f"{self.status:<4}  {self.name:<34} {self.elapsed_ms:>8.1f} ms  "
            f"{self.detail}"
        )


class CheckFailed(Exception):
    """A check found a problem; the message is the detail shown to operators."""


class _Probe:
    """State shared by the checks of one run: settings and one database engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timeout = settings.health_check_timeout_seconds
        self.redaction = RedactionFilter(settings.secret_values())
        self._engine: Any = None
        self.database_reachable = False

    @property
    def database_url(self) -> str:
        """The URL the app itself connects with."""
        return self.settings.app_database_url or self.settings.database_url

    def engine(self) -> Any:
        """Return an engine with connection and statement time limits."""
        if self._engine is None:
            import sqlalchemy as sa
            from sqlalchemy.pool import NullPool

            url = self.database_url
            connect_args: dict[str, Any] = {}
            if url.startswith("postgresql"):
                connect_args = {
                    "connect_timeout": max(1, math.ceil(self.timeout)),
                    "options": f"-c statement_timeout={int(self.timeout * 1000)}",
                    "application_name": "icara-health",
                }
            else:
                connect_args = {"timeout": self.timeout}
            self._engine = sa.create_engine(
                url, poolclass=NullPool, connect_args=connect_args
            )
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def describe_location(url: str) -> str:
    """Return where ``url`` points (host, port and database, or a file path).

    The user name and password are left out.
    """
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return url.split(":///", 1)[-1] or "memory"
    if parts.scheme == "unix":
        return parts.path
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.hostname or 'localhost'}{port}{parts.path}"


def check_configuration(probe: _Probe) -> str:
    """Describe the validated configuration (loading it already validated it)."""
    settings = probe.settings
    database = "SQLite" if settings.uses_embedded_database else "PostgreSQL"
    cache = "in-process cache" if settings.uses_embedded_cache else "Redis cache"
    return (
        f"{settings.environment}, {database}, {cache}, rules: {settings.rules_version}"
    )


def check_database(probe: _Probe) -> str:
    """Connect, read the server version and compare the revision with head."""
    import sqlalchemy as sa

    settings = probe.settings
    if settings.uses_embedded_database:
        database_path = sa.engine.make_url(settings.database_url).database
        if database_path and database_path != ":memory:":
            if not Path(database_path).is_file():
                raise CheckFailed(
                    f"SQLite file {database_path} does not exist; "
                    "run `python -m storage migrate` to create it."
                )

    try:
        from storage.migrate import head_revision
    except ImportError as error:
        raise CheckFailed(f"storage.migrate cannot be imported: {error}") from None
    try:
        head = head_revision()
    except Exception as error:  # an empty folder fails an assertion
        raise CheckFailed(f"cannot read the newest migration: {error}") from None

    from alembic.runtime.migration import MigrationContext

    with probe.engine().connect() as connection:
        row_level_security = None
        if connection.dialect.name == "postgresql":
            version = connection.execute(sa.text("show server_version")).scalar()
            server = f"PostgreSQL {str(version).split()[0]}"
            exempt = connection.execute(
                sa.text(
                    "select rolsuper or rolbypassrls from pg_roles "
                    "where rolname = current_user"
                )
            ).scalar()
            row_level_security = not exempt
        else:
            version = connection.execute(sa.text("select sqlite_version()")).scalar()
            server = f"SQLite {version}"
        probe.database_reachable = True
        current = MigrationContext.configure(connection).get_current_revision()

    where = describe_location(probe.database_url)
    if current is None:
        raise CheckFailed(
            f"{server} at {where} has no migrations applied; "
            "run `python -m storage migrate`."
        )
    if current != head:
        raise CheckFailed(
            f"{server} at {where} is at revision {current}, the newest is {head}; "
            "run `python -m storage migrate`."
        )
    detail = f"{server} at {where}, migrations at head ({head})"
    if row_level_security is False:
        if settings.is_production:
            raise CheckFailed(
                f"{detail}, but the connected role is a superuser or has "
                "BYPASSRLS, so row-level security does not separate firms; set "
                "APP_DATABASE_URL to the application role."
            )
        detail += "; the role bypasses row-level security (allowed in development)"
    elif row_level_security:
        detail += "; row-level security applies to the role"
    return detail


def check_cache(probe: _Probe) -> str:
    """Write, read and delete a short-lived key in Redis."""
    settings = probe.settings
    if settings.redis_url is None:
        return "in-process cache (each app instance keeps its own)"

    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=probe.timeout,
        socket_timeout=probe.timeout,
        retry=Retry(NoBackoff(), 0),
    )
    where = describe_location(settings.redis_url)
    try:
        key = f"icara:health:{uuid.uuid4().hex}"
        token = uuid.uuid4().hex
        client.set(key, token, px=max(1000, int(probe.timeout * 2000)))
        stored = client.get(key)
        client.delete(key)
        version = client.info("server").get("redis_version", "unknown version")
    except redis.RedisError as error:
        raise CheckFailed(f"Redis at {where} failed: {error}") from None
    finally:
        client.close()
    if stored is None or stored.decode() != token:
        raise CheckFailed(f"Redis at {where} did not return the value just written.")
    return f"Redis {version} at {where}, write/read/delete round trip passed"


def check_encryption(probe: _Probe) -> str:
    """Round-trip the master key through storage.crypto and test stored keys."""
    settings = probe.settings
    try:
        from storage import crypto
    except ImportError as error:
        raise CheckFailed(f"storage.crypto cannot be imported: {error}") from None

    encoded = settings.encryption_key
    source = "ENCRYPTION_KEY"
    if encoded is None:
        key_file = settings.data_dir / crypto.KEY_FILE_NAME
        if not key_file.is_file():
            return (
                "ENCRYPTION_KEY is unset and there is no key file yet; the app "
                f"creates {key_file} on first start (development only)"
            )
        encoded = key_file.read_text(encoding="utf-8")
        source = f"key file {key_file} (development only)"

    try:
        current = crypto.decode_master_key(encoded)
        previous = [
            crypto.decode_master_key(key, name="ENCRYPTION_KEY_PREVIOUS")
            for key in settings.encryption_key_previous
        ]
    except Exception as error:  # KeyConfigurationError names the variable.
        raise CheckFailed(str(error)) from None
    ring = crypto.MasterKeyRing(current, previous)

    data_key = os.urandom(crypto.KEY_BYTES)
    wrapped = ring.wrap(data_key, firm_id=0, version=0)
    if ring.unwrap(wrapped, 0, 0, ring.current_id) != data_key:
        raise CheckFailed("a data key wrapped with the master key did not unwrap.")
    value = {"health": uuid.uuid4().hex}
    place = {"firm_id": 0, "table": "health", "record_id": 0, "field": "check"}
    blob = crypto.encrypt_json(data_key, value, version=0, **place)
    if crypto.decrypt_json(data_key, blob, version=0, **place) != value:
        raise CheckFailed("a field encrypted with a fresh data key did not decrypt.")

    stored = _check_stored_data_keys(probe, ring)
    return f"{source} (id {ring.current_id}) round trip passed; {stored}"


def _check_stored_data_keys(probe: _Probe, ring: Any) -> str:
    """Unwrap one active data key per master key id found in the database."""
    if not probe.database_reachable:
        return "stored data keys not checked because the database check failed"

    import sqlalchemy as sa

    with probe.engine().begin() as connection:
        if not sa.inspect(connection).has_table("data_keys"):
            return "no data_keys table yet"
        if connection.dialect.name == "postgresql":
            # Row-level security shows rows only for the firms in scope.
            connection.execute(sa.text("select set_config('app.firm_ids', '*', true)"))
        rows = connection.execute(
            sa.text(
                "select firm_id, version, wrapped_key, master_key_id "
                "from data_keys where is_active order by firm_id, version"
            )
        ).all()

    if not rows:
        return "no data keys stored yet"
    unknown = sorted({row.master_key_id for row in rows} - ring.known_ids())
    if unknown:
        raise CheckFailed(
            f"stored data keys are wrapped by master key {', '.join(unknown)}, "
            f"but the configured key is {ring.current_id}. "
            "Set ENCRYPTION_KEY to the key the data was written with, or list the "
            "old key in ENCRYPTION_KEY_PREVIOUS while rotating."
        )
    tested: dict[str, Any] = {}
    for row in rows:
        tested.setdefault(row.master_key_id, row)
    for row in tested.values():
        ring.unwrap(bytes(row.wrapped_key), row.firm_id, row.version, row.master_key_id)
    return f"active data keys ({len(rows)}) all unwrap under the configured keys"


def check_calculator(name: str, cases: Sequence[HealthCase]) -> str:
    """Run one calculator on its built-in cases and compare the figures."""
    from calc.registry import get_calculator

    calculator = get_calculator(name)
    compared = 0
    for case in cases:
        result = calculator(dict(case.inputs))
        for figure, expected in case.expected.items():
            try:
                actual = _lookup(result.figures, figure)
            except (KeyError, IndexError, TypeError):
                raise CheckFailed(
                    f"case {case.case_id}: the result has no figure {figure!r}."
                ) from None
            if not _matches(actual, expected, case.tolerance):
                raise CheckFailed(
                    f"case {case.case_id} ({case.rule}): {figure} is "
                    f"{actual!r}, expected {expected!r}."
                )
            compared += 1
    case_ids = ", ".join(case.case_id for case in cases)
    figures = "figure" if compared == 1 else "figures"
    return f"{compared} {figures} as expected in case {case_ids}"


def _lookup(figures: Any, path: str) -> Any:
    """Return the figure at a dotted ``path``; list positions are numbers."""
    if path in figures:
        return figures[path]
    value = figures
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list | tuple) else value[part]
    return value


def _matches(actual: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, int | float):
        if not isinstance(actual, int | float):
            return False
        return math.isfinite(actual) and abs(actual - expected) <= tolerance
    if isinstance(expected, list | tuple):
        return isinstance(actual, list | tuple) and list(actual) == list(expected)
    if isinstance(actual, Enum):
        actual = actual.value
    return actual == expected


def describe_error(error: BaseException) -> str:
    """Return the error's type and first line, preferring the driver's own error.

    SQLAlchemy wraps driver errors and appends a link to its documentation, so
    the driver's message alone is shorter and names the failure.
    """
    original = getattr(error, "orig", None)
    if isinstance(original, BaseException):
        error = original
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _run_with_timeout(
    name: str, check: Callable[[], str], timeout: float, probe: _Probe | None
) -> CheckResult:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["detail"] = check()
        except CheckFailed as failure:
            outcome["failure"] = str(failure)
        except Exception as error:  # any error is a failed check, never a crash
            outcome["failure"] = describe_error(error)

    thread = threading.Thread(target=target, name=f"health-{name}", daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(timeout)
    elapsed_ms = (time.perf_counter() - started) * 1000

    if thread.is_alive():
        result = CheckResult(name, False, f"timed out after {timeout:g} s", elapsed_ms)
    elif "failure" in outcome:
        result = CheckResult(name, False, outcome["failure"], elapsed_ms)
    else:
        result = CheckResult(name, True, outcome.get("detail", ""), elapsed_ms)
    detail = " ".join(result.detail.split())
    if probe is not None:
        detail = probe.redaction.redact_text(detail)
    if len(detail) > MAX_DETAIL_CHARACTERS:
        detail = detail[: MAX_DETAIL_CHARACTERS - 1] + "…"
    if not result.ok:
        logger.warning("Health check %s failed: %s", name, detail)
    return CheckResult(result.name, result.ok, detail, result.elapsed_ms)


def _calculator_checks() -> list[tuple[str, Callable[[], str]]]:
    """Return one check per registered calculator and per orphaned case."""
    grouped = cases_by_calculator()
    try:
        from calc.registry import CALCULATORS
    except ImportError as error:
        message = f"calc.registry cannot be imported: {error}"

        def fail() -> str:
            raise CheckFailed(message)

        return [("calculators", fail)]

    checks: list[tuple[str, Callable[[], str]]] = []
    for name in sorted(set(CALCULATORS) | set(grouped)):
        cases = grouped.get(name, [])
        if name not in CALCULATORS:
            message = f"built-in cases exist but no calculator {name!r} is registered"
        elif not cases:
            message = f"no built-in case for {name!r}; add one to runtime.health_cases"
        else:
            message = ""

        def check(name: str = name, cases: list = cases, message: str = message):
            if message:
                raise CheckFailed(message)
            return check_calculator(name, cases)

        checks.append((f"calculator {name}", check))
    return checks


def run_checks(
    settings: Settings | None = None, *, include_calculators: bool = True
) -> list[CheckResult]:
    """Run every check and return the results in order.

    An error inside a check, or a check that exceeds its time limit, becomes a
    failed result instead of an exception.

    Parameters
    ----------
    settings : Settings, optional
        Loaded with ``load_settings()`` when omitted. An invalid configuration
        gives a single failed ``configuration`` result.
    include_calculators : bool
        Whether to run the calculator cases after the infrastructure checks.
    """
    started = time.perf_counter()
    if settings is None:
        try:
            settings = load_settings()
        except ConfigurationError as error:
            elapsed_ms = (time.perf_counter() - started) * 1000
            detail = "; ".join(error.problems)
            return [CheckResult("configuration", False, detail, elapsed_ms)]

    probe = _Probe(settings)
    timeout = settings.health_check_timeout_seconds
    checks: list[tuple[str, Callable[[], str]]] = [
        ("configuration", lambda: check_configuration(probe)),
        ("database", lambda: check_database(probe)),
        ("cache", lambda: check_cache(probe)),
        ("encryption", lambda: check_encryption(probe)),
    ]
    if include_calculators:
        checks.extend(_calculator_checks())
    results = []
    try:
        for name, check in checks:
            limit = timeout
            if name.startswith("calculator"):
                limit = timeout * CALCULATOR_TIMEOUT_FACTOR
            results.append(_run_with_timeout(name, check, limit, probe))
    finally:
        probe.dispose()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the checks, print one line each and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m runtime.health",
        description="Check the database, cache, encryption key and calculators.",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per line instead of aligned text",
    )
    parser.add_argument(
        "--skip-calculators",
        action="store_true",
        help="run only the configuration, database, cache and encryption checks",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="time limit of each check (default HEALTH_CHECK_TIMEOUT_SECONDS)",
    )
    args = parser.parse_args(argv)
    if args.timeout is not None and not 0 < args.timeout <= 600:
        parser.error("--timeout must be more than 0 and at most 600 seconds")

    settings: Settings | None
    try:
        settings = load_settings()
    except ConfigurationError:
        settings = None  # run_checks reports the problems as one failed check
    else:
        if args.timeout is not None:
            settings = replace(settings, health_check_timeout_seconds=args.timeout)
        configure_logging(settings)
        # Alembic reports each plugin it loads at INFO, which would bury the
        # check lines when stdout and stderr share a terminal.
        logging.getLogger("alembic").setLevel(logging.WARNING)

    results = run_checks(settings, include_calculators=not args.skip_calculators)
    for result in results:
        if args.json:
            print(json.dumps({**asdict(result), "status": result.status}))
        else:
            print(result.line())
    sys.stdout.flush()
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
