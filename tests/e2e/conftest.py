"""Browser fixtures: Debian's Chromium driven by Playwright, and a seeded server.

The browser is launched from ``chromium_path`` (never a Playwright download), so
outside CI a machine without Chromium skips these tests and CI fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "Quarterly-Capital-Review-2026!"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Streamlit pages can take several seconds on a shared CI machine.
TIMEOUT_MS = 60_000


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    """Launch Chromium headless through Playwright and close it afterwards."""
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
def page(browser: Any) -> Iterator[Any]:
    """Open a fresh browser context and page that accept downloads."""
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


@contextmanager
def embedded_store(data_dir: Path) -> Iterator[Any]:
    """Yield the embedded store of ``data_dir``, the one the server will use.

    ``DATABASE_URL`` and ``REDIS_URL`` are removed for the duration, because the
    server started by ``start_app`` runs on the embedded default, and restored
    afterwards with ``ICARA_DATA_DIR``.
    """
    import storage

    saved = {
        name: os.environ.pop(name)
        for name in ("ICARA_DATA_DIR", "DATABASE_URL", "REDIS_URL")
        if name in os.environ
    }
    os.environ["ICARA_DATA_DIR"] = str(data_dir)
    try:
        storage.reset_stores()
        yield storage.get_store()
    finally:
        storage.reset_stores()
        os.environ.pop("ICARA_DATA_DIR", None)
        os.environ.update(saved)


def seed_users(data_dir: Path, users: dict[str, str]) -> None:
    """Create an administrator and ``users`` (name -> role) in ``data_dir``.

    Runs in this process against the server's data folder before the server
    starts, through the same storage and auth APIs the app uses.
    """
    from auth import accounts

    with embedded_store(data_dir) as store:
        admin = accounts.create_first_administrator(store, "admin", PASSWORD, PASSWORD)
        administrator = accounts.actor_for(store, admin)
        for name, role in users.items():
            accounts.add_user(
                store, administrator, name, name.title(), PASSWORD, PASSWORD, [role]
            )


def log_in(page: Any, base_url: str, username: str) -> None:
    """Log in through the login form and wait for the overview."""
    page.goto(base_url)
    page.locator("input[type=text]").first.fill(username)
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Overview").wait_for()
