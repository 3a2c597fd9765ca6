"""Fixtures for the AppTest page tests: a seeded embedded store and logged-in apps.

Each test gets its own data folder (SQLite file and key file), an administrator,
an analyst and a viewer, and the sample firm. ``open_page`` logs a user in
through ``auth.login.attempt_login`` and hands the session token to the app in
the session-state key that ``auth.gate`` reads, so the pages run exactly as
after a login through the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Quarterly-Capital-Review-2026!"
APP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class SeededStore:
    """The store of one test, its sample firm and the users' names."""

    store: Any
    firm_id: int
    administrator: Any


def _fresh_store(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("ICARA_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    import storage

    storage.reset_stores()
    return storage.get_store()


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SeededStore:
    """Create the users and load the sample firm into a fresh embedded store."""
    monkeypatch.chdir(ROOT)
    from auth import accounts
    from ingest.sample_firm import load_sample_firm

    store = _fresh_store(tmp_path / "data", monkeypatch)
    admin_user = accounts.create_first_administrator(store, "admin", PASSWORD, PASSWORD)
    administrator = accounts.actor_for(store, admin_user)
    firm_id = load_sample_firm(store, administrator)
    for name, role in (("analyst", "analyst"), ("viewer", "viewer")):
        accounts.add_user(
            store,
            administrator,
            name,
            name.title(),
            PASSWORD,
            PASSWORD,
            [role],
            [firm_id],
        )
    return SeededStore(store=store, firm_id=firm_id, administrator=administrator)


def log_in(seeded_store: SeededStore, username: str) -> str:
    """Log ``username`` in and return the session token."""
    from auth import login
    from runtime.config import load_settings

    outcome = login.attempt_login(
        seeded_store.store, username, PASSWORD, load_settings()
    )
    assert outcome.session_token, outcome.message
    return outcome.session_token


def open_page(seeded_store: SeededStore, username: str, page: str | None = None):
    """Return an AppTest of the app logged in as ``username`` on ``page``.

    ``page`` is a path such as ``"pages/sni.py"``; ``None`` opens the overview.
    """
    from streamlit.testing.v1 import AppTest

    from auth.gate import SESSION_TOKEN_KEY

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_SECONDS)
    app.session_state[SESSION_TOKEN_KEY] = log_in(seeded_store, username)
    app.run()
    if page is not None:
        app.switch_page(page)
        app.run()
    return app


def page_errors(app) -> list[str]:
    """Return the text of every exception and error box on the page."""
    shown = [str(item.value) for item in app.exception]
    shown += [str(item.value) for item in app.error]
    return shown
