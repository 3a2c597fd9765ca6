"""A representative workload logs no secret and no client figure.

The workload configures logging at DEBUG, opens the store, creates a firm and
users, logs in with right and wrong passwords, runs calculators on distinctive
client figures, saves, caches and reloads a result, and runs the health checks.
Everything written by the app's log handler is then scanned.
"""

from __future__ import annotations

import io
import logging

import pytest
from runtime_helpers import new_key

from runtime.config import load_settings
from runtime.logs import configure_logging

pytestmark = pytest.mark.usefixtures("restore_root_logger")

# Client figures chosen so that none can appear in a log line by chance.
TOTAL_EXPENDITURE = 4_713_529
REPLACEMENT_COST = 2_345_678
CET1 = 1_987_653
PASSWORD = "Correct-Horse-Battery-91"
WRONG_PASSWORD = "Wrong-Guess-Battery-37"


def figure_spellings(amount: int) -> list[str]:
    """Return the ways a figure could be printed: plain, grouped and scaled."""
    return [
        str(amount),
        f"{amount:,}",
        f"{amount:.1f}",
        f"{amount:,.2f}",
        f"{amount / 1_000_000:.2f}m",
        # A figure divided by 4, as the fixed overheads requirement is.
        str(amount / 4),
    ]


def run_workload(settings) -> None:
    """Exercise storage, authentication, calculators and health checks."""
    from auth import accounts
    from auth.login import attempt_login
    from calc.registry import get_calculator
    from runtime.health import run_checks
    from storage.actor import Actor
    from storage.store import Store

    store = Store(settings)
    try:
        system = Actor.system("log-scan")
        firm = store.create_firm(system, "Log Scan Advisers Ltd")
        accounts.create_first_administrator(store, "admin", PASSWORD, PASSWORD)
        attempt_login(store, "admin", WRONG_PASSWORD, settings)
        attempt_login(store, "admin", PASSWORD, settings)

        inputs = {
            "period_months": 12,
            "audited": True,
            "total_expenditure_gbp": TOTAL_EXPENDITURE,
            "deductions_gbp": {},
        }
        result = get_calculator("fixed_overheads")(inputs).to_dict()
        store.save_calculation(system, firm.id, "fixed_overheads", inputs, result)
        store.cached_result(
            system,
            firm.id,
            "fixed_overheads",
            result["calculator_version"],
            inputs,
            lambda: result,
        )
        for summary in store.list_calculations(system, firm.id):
            store.load_calculation(system, firm.id, summary.id)

        get_calculator("k_tcd")(
            {
                "replacement_cost_gbp": REPLACEMENT_COST,
                "potential_future_exposure_gbp": 0,
                "collateral_gbp": 0,
                "counterparty_type": "other",
                "cva_applies": True,
            }
        )
        get_calculator("own_funds_composition")(
            {"own_funds_requirement_gbp": CET1, "cet1_gbp": CET1}
        )

        # A caller that flags a message as client data gets its figures masked.
        logging.getLogger("tests.runtime.scan").info(
            "Firm %s saved own funds of %s",
            firm.id,
            CET1,
            extra={"client_data": True, "firm_id": firm.id},
        )
        run_checks(settings)
    finally:
        store.close()


def scan_output(settings) -> str:
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    run_workload(settings)
    return stream.getvalue()


def assert_clean(output: str, secrets: list[str]) -> None:
    assert "Storage started" in output, "the workload logged nothing; capture broken"
    for secret in secrets:
        assert secret not in output
    for password in (PASSWORD, WRONG_PASSWORD):
        assert password not in output
    for amount in (TOTAL_EXPENDITURE, REPLACEMENT_COST, CET1):
        for spelling in figure_spellings(amount):
            assert spelling not in output, f"client figure {spelling} was logged"


def test_sqlite_workload_logs_no_secrets(tmp_path):
    settings = load_settings(
        {
            "ICARA_DATA_DIR": str(tmp_path),
            "ENCRYPTION_KEY": new_key(),
            "AUTH_SIGNING_KEY": "log-scan-signing-key-" + "z" * 20,
            "LOG_LEVEL": "DEBUG",
        }
    )

    output = scan_output(settings)

    assert_clean(output, settings.secret_values())
    assert "saved own funds of [figure]" in output


@pytest.mark.postgres
@pytest.mark.redis
def test_postgres_redis_workload_logs_no_secrets(
    fresh_postgres_url, redis_url, tmp_path
):
    from storage.database import make_engine
    from storage.migrate import upgrade_to_head

    engine = make_engine(fresh_postgres_url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    settings = load_settings(
        {
            "ICARA_DATA_DIR": str(tmp_path),
            "DATABASE_URL": fresh_postgres_url,
            "REDIS_URL": redis_url,
            "ENCRYPTION_KEY": new_key(),
            "AUTH_SIGNING_KEY": "log-scan-signing-key-" + "y" * 20,
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "json",
        }
    )

    output = scan_output(settings)

    assert_clean(output, settings.secret_values())
