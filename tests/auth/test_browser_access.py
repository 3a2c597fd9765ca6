"""Access control seen from a real browser (Chromium through Playwright).

Each test starts ``streamlit run app.py`` on the test's own SQLite store, in
which the ``store`` fixture created the administrator ``admin``.
"""

from __future__ import annotations

import ast
import json
import time
from typing import Any

import pytest
from access_helpers import ADMIN_PASSWORD, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 60_000
LOGGED_IN_MARKER = "Log out"


def router_pages() -> list[tuple[str, str]]:
    """Return ``(url_path, title)`` of every ``st.Page`` that app.py defines.

    Read from the router's source, so a page added there is tested here. The
    URL path is ``url_path=`` when given, else the file name without ``.py``,
    as ``st.Page`` derives it.
    """
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            continue
        keywords = {
            keyword.arg: keyword.value.value
            for keyword in node.keywords
            if isinstance(keyword.value, ast.Constant)
        }
        path = str(node.args[0].value)
        url_path = keywords.get("url_path") or path.rsplit("/", 1)[-1][: -len(".py")]
        pages.append((str(url_path), str(keywords.get("title", url_path))))
    return pages


def new_page(browser: Any) -> Any:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def wait_for_login_form(page: Any) -> None:
    # While a rerun is drawing, the old form can still be on screen next to the
    # new one, so wait for the first match and then for the run to end.
    page.locator("input[type=password]").first.wait_for()
    wait_for_run_end(page)
    assert page.locator("input[type=password]").count() == 1
    assert page.get_by_role("button", name="Log in").count() == 1


def log_in(page: Any, base_url: str) -> None:
    page.goto(base_url)
    wait_for_login_form(page)
    page.get_by_role("textbox", name="Username").fill("admin")
    page.get_by_role("textbox", name="Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=LOGGED_IN_MARKER).wait_for()


def wait_for_run_end(page: Any) -> None:
    """Wait until the Streamlit script run triggered last has finished."""
    page.wait_for_timeout(300)
    page.locator(
        "[data-testid='stApp'][data-test-script-state='notRunning']"
    ).wait_for()


def is_logged_in(page: Any) -> bool:
    return page.get_by_role("button", name=LOGGED_IN_MARKER).count() > 0


def saved_browser_state(page: Any) -> dict[str, Any]:
    """Return the page's cookies, localStorage and sessionStorage."""
    return {
        "cookies": page.context.cookies(),
        "local": page.evaluate("() => JSON.stringify(Object.entries(localStorage))"),
        "session": page.evaluate(
            "() => JSON.stringify(Object.entries(sessionStorage))"
        ),
    }


RESTORE_STORAGE = """
([local, session]) => {
  for (const [key, value] of JSON.parse(local)) localStorage.setItem(key, value);
  for (const [key, value] of JSON.parse(session)) sessionStorage.setItem(key, value);
}
"""


def test_router_defines_pages():
    pages = router_pages()
    assert ("users", "Users") in pages
    assert len(pages) >= 10


def test_direct_urls_show_login_only(seeded_server, browser):
    base_url = seeded_server()
    page = new_page(browser)
    pages = router_pages()
    for url_path, title in [("", "Overview"), *pages]:
        page.goto(f"{base_url}/{url_path}")
        wait_for_login_form(page)
        # Give any page content that would follow the form time to arrive.
        page.wait_for_timeout(500)
        assert not is_logged_in(page), url_path
        heading = page.get_by_role("heading", name=title, exact=True)
        assert heading.count() == 0, f"/{url_path} shows {title!r} logged out"
        assert page.locator("[data-testid='stSidebarNav']").count() == 0, url_path
        assert page.locator("[data-testid='stDataFrame']").count() == 0, url_path
        assert page.locator("[data-testid='stMetric']").count() == 0, url_path


def test_state_copied_before_logout_is_useless(seeded_server, browser, store):
    base_url = seeded_server()
    page = new_page(browser)
    log_in(page, base_url)
    saved = saved_browser_state(page)

    page.get_by_role("button", name=LOGGED_IN_MARKER).click()
    wait_for_login_form(page)
    assert page.get_by_text("You have logged out.").count() == 1

    # Put everything back in the same tab and reload.
    page.context.add_cookies(saved["cookies"])
    page.evaluate(RESTORE_STORAGE, [saved["local"], saved["session"]])
    page.reload()
    wait_for_login_form(page)
    page.wait_for_timeout(500)
    assert not is_logged_in(page)

    # And in a fresh browser context seeded with the copied state.
    replay = new_page(browser)
    replay.context.add_cookies(saved["cookies"])
    stored = json.dumps([saved["local"], saved["session"]])
    replay.context.add_init_script(f"({RESTORE_STORAGE})({stored})")
    replay.goto(base_url)
    wait_for_login_form(replay)
    replay.wait_for_timeout(500)
    assert not is_logged_in(replay)

    from sqlalchemy import select

    from storage.models import LoginSessionRow

    with store.db.transaction("*") as session:
        revoked = list(session.scalars(select(LoginSessionRow.revoked_at)))
    assert revoked
    assert all(moment is not None for moment in revoked)


def test_idle_session_ends_in_browser(seeded_server, browser):
    idle_seconds = 4
    base_url = seeded_server({"SESSION_IDLE_SECONDS": str(idle_seconds)})
    page = new_page(browser)
    log_in(page, base_url)
    assert page.locator("[data-testid='stSidebarNav']").count() == 1
    navigation = page.locator("[data-testid='stSidebarNavLink']")

    # Activity within the idle time keeps the session.
    time.sleep(idle_seconds / 2)
    navigation.filter(has_text="History and reports").click()
    page.wait_for_url("**/history")
    wait_for_run_end(page)
    assert is_logged_in(page)

    active_at = time.monotonic()

    # With no further activity the idle watcher replaces the page by itself.
    wait_for_login_form(page)
    waited = time.monotonic() - active_at
    assert waited >= idle_seconds - 1
    assert not is_logged_in(page)
    message = f"ended after {idle_seconds} seconds without activity"
    assert page.get_by_text(message).count() == 1
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
