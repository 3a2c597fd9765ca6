"""The health command on healthy and broken setups, and run_checks() itself."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import replace

import pytest
from runtime_helpers import ROOT, dead_port, lines_by_check, new_key

from runtime import health
from runtime.config import load_settings
from runtime.health_cases import (
    HAND_DERIVED_CASES,
    HEALTH_CASES,
    HealthCase,
    business_day_series,
)

INFRASTRUCTURE_CHECKS = ["configuration", "database", "cache", "encryption"]


def migrated_sqlite(env: dict[str, str]) -> None:
    """Create the SQLite database with one firm, so a data key is stored."""
    from storage.actor import Actor
    from storage.store import Store

    settings = load_settings(
        {
            "ICARA_DATA_DIR": env["ICARA_DATA_DIR"],
            "ENCRYPTION_KEY": env["ENCRYPTION_KEY"],
        }
    )
    store = Store(settings)
    try:
        store.create_firm(Actor.system("health-test"), "Health Test Firm")
    finally:
        store.close()


def migrated_postgres(url: str, key: str) -> None:
    """Migrate ``url`` to head and store one firm's data key with ``key``."""
    from storage.actor import Actor
    from storage.database import make_engine
    from storage.migrate import upgrade_to_head
    from storage.store import Store

    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    store = Store(load_settings({"DATABASE_URL": url, "ENCRYPTION_KEY": key}))
    try:
        store.create_firm(Actor.system("health-test"), "Health Test Firm")
    finally:
        store.close()


def test_sqlite_in_process_healthy(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = new_key()
    migrated_sqlite(clean_env)

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = lines_by_check(completed.stdout)
    assert list(lines) == INFRASTRUCTURE_CHECKS
    assert all(line.startswith("OK ") for line in lines.values())
    assert "SQLite" in lines["database"]
    assert "migrations at head" in lines["database"]
    assert "in-process cache" in lines["cache"]
    assert "round trip passed" in lines["encryption"]
    assert "active data keys (1)" in lines["encryption"]
    assert clean_env["ENCRYPTION_KEY"] not in completed.stdout + completed.stderr


def test_full_command_runs_every_calculator(clean_env, run_health):
    from calc.registry import CALCULATORS

    clean_env["ENCRYPTION_KEY"] = new_key()
    migrated_sqlite(clean_env)

    completed = run_health(clean_env)

    lines = lines_by_check(completed.stdout)
    for name in CALCULATORS:
        assert f"calculator {name}" in lines
    failed = [line for line in lines.values() if line.startswith("FAIL")]
    assert failed == []
    assert completed.returncode == 0


def test_json_output(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = new_key()
    migrated_sqlite(clean_env)

    completed = run_health(clean_env, "--json", "--skip-calculators")

    records = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [record["name"] for record in records] == INFRASTRUCTURE_CHECKS
    assert all(record["status"] == "OK" for record in records)
    assert all(record["elapsed_ms"] >= 0 for record in records)


@pytest.mark.postgres
@pytest.mark.redis
def test_postgres_redis_healthy(fresh_postgres_url, redis_url, clean_env, run_health):
    key = new_key()
    migrated_postgres(fresh_postgres_url, key)
    clean_env.update(
        {
            "DATABASE_URL": fresh_postgres_url,
            "REDIS_URL": redis_url,
            "ENCRYPTION_KEY": key,
        }
    )

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = lines_by_check(completed.stdout)
    assert all(line.startswith("OK ") for line in lines.values())
    assert "PostgreSQL" in lines["database"]
    assert "migrations at head" in lines["database"]
    # The CI role is a superuser, which development allows with a note.
    assert "bypasses row-level security" in lines["database"]
    assert "Redis" in lines["cache"]
    assert "round trip passed" in lines["cache"]
    assert "active data keys (1)" in lines["encryption"]


@pytest.mark.postgres
def test_production_superuser_fails(fresh_postgres_url, clean_env, run_health):
    key = new_key()
    migrated_postgres(fresh_postgres_url, key)
    clean_env.update(
        {
            "ICARA_ENV": "production",
            "DATABASE_URL": fresh_postgres_url,
            "ENCRYPTION_KEY": key,
            "AUTH_SIGNING_KEY": "k" * 40,
        }
    )

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["database"].startswith("FAIL")
    assert "APP_DATABASE_URL" in lines["database"]


@pytest.fixture
def app_role(fresh_postgres_url):
    """Create a PostgreSQL application role for one test and drop it afterwards."""
    import uuid

    import sqlalchemy as sa

    from storage.postgres import create_app_role

    name = f"icara_health_{uuid.uuid4().hex[:10]}"
    key = new_key()
    migrated_postgres(fresh_postgres_url, key)
    engine = sa.create_engine(fresh_postgres_url)
    try:
        create_app_role(engine, name)
        yield name, key
    finally:
        with engine.begin() as connection:
            # Revokes the role's grants here and on the database itself.
            connection.execute(sa.text(f'drop owned by "{name}"'))
            connection.execute(sa.text(f'drop role if exists "{name}"'))
        engine.dispose()


@pytest.mark.postgres
def test_production_app_role_healthy(
    fresh_postgres_url, app_role, clean_env, run_health
):
    import sqlalchemy as sa

    name, key = app_role
    app_url = sa.engine.make_url(fresh_postgres_url).set(username=name, password=None)
    clean_env.update(
        {
            "ICARA_ENV": "production",
            "DATABASE_URL": fresh_postgres_url,
            "APP_DATABASE_URL": app_url.render_as_string(hide_password=False),
            "ENCRYPTION_KEY": key,
            "AUTH_SIGNING_KEY": "k" * 40,
        }
    )

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = lines_by_check(completed.stdout)
    assert "row-level security applies to the role" in lines["database"]
    # The data keys are read through row-level security as the app role.
    assert "active data keys (1)" in lines["encryption"]


@pytest.mark.postgres
def test_postgres_not_migrated_fails(fresh_postgres_url, clean_env, run_health):
    clean_env.update({"DATABASE_URL": fresh_postgres_url, "ENCRYPTION_KEY": new_key()})

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["database"].startswith("FAIL")
    assert "no migrations applied" in lines["database"]
    assert "python -m storage migrate" in lines["database"]


def test_redis_dead_port_fails(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = new_key()
    migrated_sqlite(clean_env)
    port = dead_port()
    clean_env["REDIS_URL"] = f"redis://:Redis-Secret-5@127.0.0.1:{port}/0"

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["cache"].startswith("FAIL")
    assert f"127.0.0.1:{port}" in lines["cache"]
    assert lines["database"].startswith("OK")
    assert "Redis-Secret-5" not in completed.stdout + completed.stderr


def test_database_unreachable_fails(clean_env, run_health):
    port = dead_port()
    clean_env.update(
        {
            "DATABASE_URL": f"postgresql://app:Db-Secret-6@127.0.0.1:{port}/icara",
            "ENCRYPTION_KEY": new_key(),
        }
    )

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["database"].startswith("FAIL")
    assert "Connection refused" in lines["database"] or "connection" in (
        lines["database"].lower()
    )
    assert "stored data keys not checked" in lines["encryption"]
    assert "Db-Secret-6" not in completed.stdout + completed.stderr


def test_sqlite_file_missing_fails(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = new_key()

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["database"].startswith("FAIL")
    assert "does not exist" in lines["database"]


def test_wrong_encryption_key_fails(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = new_key()
    migrated_sqlite(clean_env)
    wrong_key = new_key()
    clean_env["ENCRYPTION_KEY"] = wrong_key

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert lines["encryption"].startswith("FAIL")
    assert "wrapped by master key" in lines["encryption"]
    assert "ENCRYPTION_KEY_PREVIOUS" in lines["encryption"]
    assert wrong_key not in completed.stdout + completed.stderr


def test_previous_key_accepted_while_rotating(clean_env, run_health):
    old_key = new_key()
    clean_env["ENCRYPTION_KEY"] = old_key
    migrated_sqlite(clean_env)
    clean_env["ENCRYPTION_KEY"] = new_key()
    clean_env["ENCRYPTION_KEY_PREVIOUS"] = old_key

    completed = run_health(clean_env, "--skip-calculators")

    lines = lines_by_check(completed.stdout)
    assert lines["encryption"].startswith("OK"), lines["encryption"]
    assert completed.returncode == 0


def test_malformed_encryption_key_fails_configuration(clean_env, run_health):
    clean_env["ENCRYPTION_KEY"] = "Not-A-Real-Key-Value"

    completed = run_health(clean_env, "--skip-calculators")

    assert completed.returncode == 1
    lines = lines_by_check(completed.stdout)
    assert list(lines) == ["configuration"]
    assert lines["configuration"].startswith("FAIL")
    assert "ENCRYPTION_KEY" in lines["configuration"]
    assert "Not-A-Real-Key-Value" not in completed.stdout + completed.stderr


def test_timeout_option_validated(clean_env, run_health):
    completed = run_health(clean_env, "--timeout", "0")

    assert completed.returncode == 2
    assert "--timeout" in completed.stderr


@pytest.fixture
def silent_server():
    """Listen on a port that accepts connections but never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    server.close()


def test_silent_servers_time_out(silent_server, tmp_path):
    settings = load_settings(
        {
            "ICARA_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"postgresql://app@127.0.0.1:{silent_server}/icara",
            "REDIS_URL": f"redis://127.0.0.1:{silent_server}/0",
            "ENCRYPTION_KEY": new_key(),
            "HEALTH_CHECK_TIMEOUT_SECONDS": "1",
        }
    )

    started = time.monotonic()
    results = {result.name: result for result in health.run_checks(settings)}
    elapsed = time.monotonic() - started

    assert not results["database"].ok
    assert not results["cache"].ok
    assert results["database"].elapsed_ms < 3000
    assert results["cache"].elapsed_ms < 3000
    assert elapsed < 30


def test_hanging_check_reported_as_timeout(monkeypatch, tmp_path):
    release = threading.Event()

    def hang(probe):
        release.wait(30)
        return "never"

    monkeypatch.setattr(health, "check_cache", hang)
    settings = replace(
        load_settings({"ICARA_DATA_DIR": str(tmp_path)}),
        health_check_timeout_seconds=0.3,
    )

    try:
        results = {
            result.name: result
            for result in health.run_checks(settings, include_calculators=False)
        }
    finally:
        release.set()

    assert not results["cache"].ok
    assert results["cache"].detail == "timed out after 0.3 s"
    assert results["cache"].elapsed_ms < 2000


def test_run_checks_reports_configuration_error(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    monkeypatch.setenv("ICARA_SECRETS_FILE", "")

    results = health.run_checks()

    assert len(results) == 1
    assert results[0].name == "configuration"
    assert not results[0].ok
    assert "LOG_LEVEL" in results[0].detail


def test_wrong_calculator_answer_fails(monkeypatch, tmp_path):
    case = HealthCase(
        case_id="pmr-client-money-altered",
        calculator="pmr",
        rule="MIFIDPRU 4.4",
        inputs={"permissions": ["portfolio_management", "holds_client_money"]},
        expected={"pmr_gbp": 75_000},
    )
    monkeypatch.setattr(health, "cases_by_calculator", lambda: {"pmr": [case]})
    monkeypatch.setattr(
        "calc.registry.CALCULATORS", {"pmr": ("calc.permanent_minimum", "PMR")}
    )
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})

    results = {result.name: result for result in health.run_checks(settings)}

    check = results["calculator pmr"]
    assert not check.ok
    assert "pmr-client-money-altered" in check.detail
    assert "pmr_gbp" in check.detail
    assert "expected 75000" in check.detail


def test_calculator_without_case_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(health, "cases_by_calculator", lambda: {})
    monkeypatch.setattr(
        "calc.registry.CALCULATORS", {"pmr": ("calc.permanent_minimum", "PMR")}
    )
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})

    results = {result.name: result for result in health.run_checks(settings)}

    assert not results["calculator pmr"].ok
    assert "no built-in case" in results["calculator pmr"].detail


def test_check_result_line_shape():
    result = health.CheckResult("cache", False, "Redis down", 12.345)

    assert result.line().startswith("FAIL  cache ")
    assert result.line().endswith("12.3 ms  Redis down")
    assert result.status == "FAIL"


def fixture_cases() -> dict[str, dict]:
    cases = {}
    for name in ("mifidpru.json", "saccr.json"):
        document = json.loads((ROOT / "tests" / "fixtures" / name).read_text())
        cases.update({case["id"]: case for case in document["cases"]})
    return cases


@pytest.mark.parametrize("case", HEALTH_CASES, ids=lambda case: case.case_id)
def test_builtin_case_matches_fixture(case):
    fixture = fixture_cases().get(case.case_id)

    if fixture is None:
        assert case in HAND_DERIVED_CASES
        return
    if case.calculator == "saccr":
        full_precision = fixture["expected_full_precision"]
        netting_set = {
            "replacement_cost": full_precision["rc"],
            "multiplier": full_precision["multiplier"],
            "potential_future_exposure": full_precision["pfe"],
            "exposure_at_default": full_precision["ead"],
            "exposure_at_default_total": full_precision["ead"],
        }
        for asset_class, add_on in full_precision["addon_by_asset_class"].items():
            netting_set[f"add_on_{asset_class}"] = add_on
        for figure, expected in case.expected.items():
            assert expected == netting_set[figure.rsplit(".", 1)[-1]], figure
        return
    assert json.loads(json.dumps(case.inputs)) == fixture["inputs"]
    assert dict(case.expected) == fixture["expected"]


def test_saccr_case_trades_match_fixture_mapping():
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "saccr"))
    try:
        from golden import trade_rows
    finally:
        sys.path.remove(str(ROOT / "tests" / "saccr"))
    fixtures = fixture_cases()

    for case in HEALTH_CASES:
        if case.calculator != "saccr":
            continue
        expected_rows = [
            {key: value for key, value in row.items() if value != ""}
            for row in trade_rows(fixtures[case.case_id])
        ]
        assert list(case.inputs["trades"]) == expected_rows, case.case_id


def test_every_calculator_has_case():
    from calc.registry import CALCULATORS

    covered = {case.calculator for case in HEALTH_CASES}

    assert covered == set(CALCULATORS)


def test_business_day_series_skips_weekends_and_holidays():
    rows = business_day_series("2026-04-02", "2026-04-08", {"2026-04": 1})

    assert [day for day, _ in rows] == ["2026-04-02", "2026-04-07", "2026-04-08"]


def test_app_does_not_read_tests_folder():
    for path in (ROOT / "runtime").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "tests/fixtures" not in text, path
        assert '"tests"' not in text, path
