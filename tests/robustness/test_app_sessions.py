"""Many browser-free sessions of the app at once, each logged in for its own firm.

Each session is a ``streamlit.testing.v1.AppTest`` on a thread, logged in the
way ``tests/ui/conftest.py`` does it, against one PostgreSQL store. The sessions
save fixed overheads calculations for a bounded time.

NOTE: ``AppTest.run`` is not thread-safe in Streamlit 1.67: it sets the
class-level ``Runtime._instance`` and ``PagesManager.uses_pages_directory`` for
the run and clears them afterwards, so two runs at once break each other (no
widgets, missing success messages). The runs are therefore serialised by
``RUN_LOCK``: the sessions interleave script runs, sharing the process, its
caches and the store, but do not execute scripts in parallel. Parallel writes
are covered by ``test_storage_load.py``. Afterwards every save must
be present in its own firm with the inputs that session entered, and no firm may
hold another session's save. A session also tries other firms' ids through the
session state and URL query parameters.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from calc.registry import get_calculator
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.migrate import upgrade_to_head
from tests.robustness.load_figures import summarise

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Month-End-Capital-Run-2026!"
SESSIONS = 20
RUN_SECONDS = 60
APP_TIMEOUT_SECONDS = 120
PAGE = "pages/fixed_overheads.py"
RUN_LOCK = threading.Lock()


def run(element):
    """Run an AppTest, or an element's ``.run()``, holding ``RUN_LOCK``."""
    with RUN_LOCK:
        return element.run()


@dataclass(frozen=True)
class FirmLogin:
    firm_id: int
    username: str


@dataclass(frozen=True)
class Seeded:
    store: object
    administrator: object
    logins: list[FirmLogin]


@pytest.fixture
def seeded(fresh_postgres_url, tmp_path, monkeypatch) -> Seeded:
    """A PostgreSQL store with one firm and one analyst per session."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DATABASE_URL", fresh_postgres_url)
    monkeypatch.setenv("ICARA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCRYPTION_KEY", generate_master_key())
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()

    import storage
    from auth import accounts
    from ingest.sample_firm import (
        SAMPLE_CALCULATION_DATE,
        SAMPLE_FILES,
        SAMPLE_PROFILE,
        TRADES_FILE,
        TRADES_KIND,
        parse_sample_files,
        read_sample_trades,
    )
    from ui.position import PROFILE_KIND

    storage.reset_stores()
    store = storage.get_store()
    profile = {
        **SAMPLE_PROFILE,
        "calculation_date": SAMPLE_CALCULATION_DATE.isoformat(),
    }
    user = accounts.create_first_administrator(store, "admin", PASSWORD, PASSWORD)
    administrator = accounts.actor_for(store, user)
    parsed = parse_sample_files()
    trades = read_sample_trades()
    logins = []
    for number in range(SESSIONS):
        firm = store.create_firm(administrator, f"Session Firm {number:02d}")
        for kind, upload in parsed.items():
            store.save_dataset(
                administrator, firm.id, kind, upload.records(), SAMPLE_FILES[kind]
            )
        store.save_dataset(administrator, firm.id, TRADES_KIND, trades, TRADES_FILE)
        store.save_dataset(administrator, firm.id, PROFILE_KIND, [profile], "profile")
        username = f"analyst{number:02d}"
        accounts.add_user(
            store,
            administrator,
            username,
            username,
            PASSWORD,
            PASSWORD,
            ["analyst"],
            [firm.id],
        )
        logins.append(FirmLogin(firm.id, username))
    yield Seeded(store, administrator, logins)
    storage.reset_stores()


def open_app(seeded: Seeded, username: str, before_run=None):
    """Return an AppTest logged in as ``username`` on the fixed overheads page."""
    from streamlit.testing.v1 import AppTest

    from auth import login
    from auth.gate import SESSION_TOKEN_KEY
    from runtime.config import load_settings

    outcome = login.attempt_login(seeded.store, username, PASSWORD, load_settings())
    assert outcome.session_token, outcome.message
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_SECONDS)
    app.session_state[SESSION_TOKEN_KEY] = outcome.session_token
    if before_run is not None:
        before_run(app)
    run(app)
    app.switch_page(PAGE)
    run(app)
    return app


def shown_errors(app) -> list[str]:
    return [str(item.value) for item in app.exception] + [
        str(item.value) for item in app.error
    ]


def expenditure_key(firm_id: int) -> str:
    return f"keep:fixed_overheads:{firm_id}:total_expenditure_gbp"


SAVED = re.compile(r"Saved as calculation (\d+)\.")


@pytest.mark.slow
def test_twenty_sessions_save_for_a_minute(seeded) -> None:
    saves: list[tuple[int, int, float]] = []  # (firm id, calculation id, input)
    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + RUN_SECONDS

    def session(number: int, login: FirmLogin) -> None:
        try:
            app = open_app(seeded, login.username)
            iteration = 0
            while time.monotonic() < deadline:
                expenditure = 30_000_000.0 + number * 10_000 + iteration
                field = app.number_input(key=expenditure_key(login.firm_id))
                run(field.set_value(expenditure))
                button = next(b for b in app.button if b.label == "Save calculation")
                started = time.perf_counter()
                run(button.click())
                finished = time.perf_counter()
                errors = shown_errors(app)
                saved = [SAVED.search(item.value) for item in app.success]
                saved = [match for match in saved if match]
                with lock:
                    if errors or len(saved) != 1:
                        problems.append(f"{login.username}: {errors} {saved}")
                        return
                    saves.append((login.firm_id, int(saved[0][1]), expenditure))
                    latencies.append(finished - started)
                iteration += 1
        except Exception as error:  # noqa: BLE001 - reported below
            with lock:
                problems.append(f"{login.username}: {type(error).__name__}: {error}")

    threads = [
        threading.Thread(target=session, args=(number, login))
        for number, login in enumerate(seeded.logins)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RUN_SECONDS + 3 * APP_TIMEOUT_SECONDS)
    elapsed = time.perf_counter() - started

    assert problems == []
    assert not any(thread.is_alive() for thread in threads)
    assert len({firm_id for firm_id, _, _ in saves}) == SESSIONS
    calculator = get_calculator("fixed_overheads")
    for login in seeded.logins:
        expected = {
            (calculation_id, value)
            for firm_id, calculation_id, value in saves
            if firm_id == login.firm_id
        }
        listed = seeded.store.list_calculations(seeded.administrator, login.firm_id)
        assert {summary.id for summary in listed} == {item[0] for item in expected}
        for calculation_id, value in expected:
            record = seeded.store.load_calculation(
                seeded.administrator, login.firm_id, calculation_id
            )
            assert record.inputs["total_expenditure_gbp"] == value
            assert record.created_by == login.username
            recomputed = calculator(record.inputs).value
            assert record.headline_value == pytest.approx(recomputed)
    summarise("app_20_sessions_save", latencies, elapsed)


def test_other_firm_in_session_state_ignored(seeded) -> None:
    from ui.context import FIRM_KEY, PENDING_FIRM_KEY

    own, other = seeded.logins[0], seeded.logins[1]
    foreign_id = seeded.store.save_calculation(
        seeded.administrator,
        other.firm_id,
        "fixed_overheads",
        {"total_expenditure_gbp": 7_777_777.0, "deductions_gbp": {}},
        {"value": 1_944_444.25, "unit": "GBP"},
    )

    def aim_at_other_firm(app) -> None:
        app.session_state[FIRM_KEY] = other.firm_id
        app.session_state[PENDING_FIRM_KEY] = other.firm_id
        app.query_params["firm_id"] = str(other.firm_id)
        app.query_params["firm"] = str(other.firm_id)
        app.query_params["calculation_id"] = str(foreign_id)

    app = open_app(seeded, own.username, before_run=aim_at_other_firm)
    assert shown_errors(app) == []
    # The page works on the user's own firm: its inputs are drawn, and saving
    # writes to that firm only.
    run(app.number_input(key=expenditure_key(own.firm_id)).set_value(30_000_000.0))
    run(next(b for b in app.button if b.label == "Save calculation").click())
    assert shown_errors(app) == []
    other_saved = seeded.store.list_calculations(seeded.administrator, other.firm_id)
    assert [summary.id for summary in other_saved] == [foreign_id]
    own_saved = seeded.store.list_calculations(seeded.administrator, own.firm_id)
    assert len(own_saved) == 1
    record = seeded.store.load_calculation(
        seeded.administrator, own.firm_id, own_saved[0].id
    )
    assert record.inputs["total_expenditure_gbp"] == 30_000_000.0
    with pytest.raises(KeyError):
        app.number_input(key=expenditure_key(other.firm_id))
    denied = [
        entry
        for entry in seeded.store.list_audit(seeded.administrator, limit=1000)
        if entry.action == "access.denied"
    ]
    assert denied == []


def test_foreign_calculation_id_on_history_page(seeded) -> None:
    from ui.session import widget_key

    own, other = seeded.logins[0], seeded.logins[1]
    seeded.store.save_calculation(
        seeded.administrator,
        own.firm_id,
        "fixed_overheads",
        {"total_expenditure_gbp": 1_000_000.0, "deductions_gbp": {}},
        {"value": 250_000.0, "unit": "GBP", "title": "Own"},
    )
    foreign_id = seeded.store.save_calculation(
        seeded.administrator,
        other.firm_id,
        "fixed_overheads",
        {"total_expenditure_gbp": 7_777_777.0, "deductions_gbp": {}},
        {"value": 1_944_444.25, "unit": "GBP", "title": "Foreign"},
    )
    app = open_app(seeded, own.username)
    app.switch_page("pages/history.py")
    app.session_state[widget_key("history", own.firm_id, "open")] = foreign_id
    run(app)
    page_text = " ".join(
        str(item.value) for item in [*app.markdown, *app.caption, *app.error]
    )
    assert "7777777" not in page_text.replace(",", "")
    assert "1944444" not in page_text.replace(",", "")
    assert "Foreign" not in page_text


def test_save_during_outage_says_not_saved(seeded, postgres_url) -> None:
    import sqlalchemy as sa

    own = seeded.logins[0]
    app = open_app(seeded, own.username)
    run(app.number_input(key=expenditure_key(own.firm_id)).set_value(31_000_000.0))
    database = sa.engine.make_url(seeded.store.settings.database_url).database
    server = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def allow(allowed: bool) -> None:
        with server.connect() as connection:
            connection.execute(
                sa.text(f'alter database "{database}" with allow_connections {allowed}')
            )
            if not allowed:
                connection.execute(
                    sa.text(
                        "select pg_terminate_backend(pid) from pg_stat_activity "
                        "where datname = :name"
                    ),
                    {"name": database},
                )

    allow(False)
    try:
        run(next(b for b in app.button if b.label == "Save calculation").click())
        errors = shown_errors(app)
    finally:
        allow(True)
        server.dispose()
    assert [text for text in errors if text.startswith("Nothing was saved")], errors
    assert any("Try again" in text for text in errors)
    assert seeded.store.list_calculations(seeded.administrator, own.firm_id) == []
    # Once the database is back, reloading the page and saving again works,
    # with the value entered before the outage.
    run(app)
    run(next(b for b in app.button if b.label == "Save calculation").click())
    assert shown_errors(app) == []
    saved = seeded.store.list_calculations(seeded.administrator, own.firm_id)
    assert len(saved) == 1
    record = seeded.store.load_calculation(
        seeded.administrator, own.firm_id, saved[0].id
    )
    assert record.inputs["total_expenditure_gbp"] == 31_000_000.0
