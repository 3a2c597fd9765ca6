"""Fixtures for the access-control tests: a fresh embedded store per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from access_helpers import ADMIN_PASSWORD, ROOT, USER_PASSWORD


def fresh_store(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return a new embedded store (SQLite and key file) in ``data_dir``.

    The environment variables are set with ``monkeypatch`` so that an AppTest
    script run in this process opens the same store.
    """
    monkeypatch.setenv("ICARA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ICARA_ENV", "development")
    for name in ("DATABASE_URL", "REDIS_URL", "APP_DATABASE_URL", "AUTH_SIGNING_KEY"):
        monkeypatch.delenv(name, raising=False)
    from storage.registry import get_store, reset_stores

    reset_stores()
    return get_store()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An empty embedded store; closed after the test."""
    monkeypatch.chdir(ROOT)
    created = fresh_store(tmp_path / "data", monkeypatch)
    yield created
    from storage.registry import reset_stores

    reset_stores()


@pytest.fixture
def administrator(store: Any) -> Any:
    """The first administrator ``admin``, as an ``Actor``."""
    from auth import accounts

    user = accounts.create_first_administrator(
        store, "admin", ADMIN_PASSWORD, ADMIN_PASSWORD
    )
    return accounts.actor_for(store, user)


@pytest.fixture
def viewer(store: Any, administrator: Any) -> Any:
    """A viewer ``manager`` with no firm, as an ``Actor``."""
    from auth import accounts

    user = accounts.add_user(
        store,
        administrator,
        "manager",
        "Finance Manager",
        USER_PASSWORD,
        USER_PASSWORD,
        ["viewer"],
    )
    return accounts.actor_for(store, user)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(chromium_path: str) -> Any:
    """Debian's Chromium, headless, driven by Playwright; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def seeded_server(store: Any, administrator: Any, start_app: Any, tmp_path: Path):
    """Return a factory that starts the app on this test's store and data folder.

    ``seeded_server(extra_env)`` returns the base URL. The store fixture has
    already created ``admin`` in the SQLite file the server opens.
    """
    import os

    data_dir = os.environ["ICARA_DATA_DIR"]

    def start(extra_env: dict[str, str] | None = None) -> str:
        env = {"ICARA_DATA_DIR": data_dir, "ICARA_ENV": "development"}
        env.update(extra_env or {})
        return start_app(env=env)

    return start
