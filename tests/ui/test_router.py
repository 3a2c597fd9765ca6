"""The router: login gate, pages by role, sidebar notes and the error page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from auth.gate import SESSION_TOKEN_KEY
from tests.ui.conftest import PASSWORD, ROOT, log_in, open_page, page_errors


def page_titles(app) -> list[str]:
    return [title.value for title in app.title]


def sidebar_text(app) -> str:
    parts = [item.value for item in app.sidebar.caption]
    parts += [item.value for item in app.sidebar.markdown]
    return "\n".join(parts)


def test_logged_out_sees_login_only(seeded):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert [field.label for field in app.text_input][:2] == ["Username", "Password"]
    assert "Overview" not in page_titles(app)
    assert not app.metric


def test_analyst_lands_on_overview(seeded):
    app = open_page(seeded, "analyst")
    assert not page_errors(app)
    assert "Overview" in page_titles(app)
    assert "Rules version: FCA Handbook MIFIDPRU" in sidebar_text(app)
    assert "Embedded mode: local SQLite file and in-process cache" in sidebar_text(app)


def test_viewer_has_no_scenarios(seeded):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(seeded, "viewer", "pages/scenarios.py")


def test_analyst_has_no_administration(seeded):
    for page in ("pages/health.py", "pages/users.py", "pages/audit_log.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_page(seeded, "analyst", page)


def test_viewer_page_checks_role_itself(seeded):
    """A scenario page run for a viewer stops at its own role check."""
    scenario_page = AppTest.from_file(
        str(ROOT / "pages/scenarios.py"), default_timeout=60
    )
    scenario_page.session_state[SESSION_TOKEN_KEY] = log_in(seeded, "viewer")
    scenario_page.run()
    assert "Scenario explorer" not in page_titles(scenario_page)
    assert any("not permitted" in text for text in page_errors(scenario_page))


def test_administrator_opens_health(seeded):
    app = open_page(seeded, "admin", "pages/health.py")
    assert "Health" in page_titles(app)


def test_page_crash_shows_reference(seeded, monkeypatch, caplog):
    import ui.position

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail that must stay in the log")

    # The overview is the page the router itself runs in AppTest; a page opened
    # with switch_page runs without the router, as a pages/ script.
    monkeypatch.setattr(ui.position, "position_summary", broken)
    app = open_page(seeded, "analyst")
    shown = "\n".join(page_errors(app))
    assert "Reference:" in shown
    assert "secret detail" not in shown
    assert not app.exception
    assert "secret detail that must stay in the log" in caplog.text


def test_viewer_changes_own_password(seeded):
    """Every role reaches My account; the change takes effect at the next login."""
    from auth import login
    from runtime.config import load_settings

    app = open_page(seeded, "viewer", "pages/account.py")
    assert not page_errors(app)
    assert "My account" in [item.value for item in app.title]

    new_password = "Harbour-Lantern-Quarter-2026!"
    fields = {field.label: field for field in app.text_input}
    fields["Current password"].input(PASSWORD)
    fields["New password"].input(new_password)
    fields["Repeat the new password"].input(new_password)
    next(
        button for button in app.button if button.label == "Change password"
    ).click().run()
    assert not page_errors(app)

    settings = load_settings()
    old = login.attempt_login(seeded.store, "viewer", PASSWORD, settings)
    assert old.session_token is None
    new = login.attempt_login(seeded.store, "viewer", new_password, settings)
    assert new.session_token


def test_unmigrated_postgres_names_the_fix(fresh_postgres_url, monkeypatch, tmp_path):
    """A fresh PostgreSQL database shows the migrate command, not a crash page."""
    import storage

    monkeypatch.setenv("DATABASE_URL", fresh_postgres_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("ICARA_DATA_DIR", str(tmp_path / "data"))
    storage.reset_stores()
    try:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.run()
    finally:
        storage.reset_stores()
    assert not app.exception
    assert [item.value for item in app.title] == ["The database needs its migrations"]
    assert "python -m storage migrate" in [item.value for item in app.code]
    assert "0001_initial" in app.error[0].value


def test_administrator_creates_firm(seeded):
    """An administrator creates a firm on the Firms page; a blank name is rejected."""
    app = open_page(seeded, "admin", "pages/firms.py")
    assert not page_errors(app)

    create = next(button for button in app.button if button.label == "Create firm")
    create.click().run()
    assert [item.value for item in app.error] == ["Firm name: enter the firm's name."]

    fields = {field.label: field for field in app.text_input}
    fields["Firm name"].input("Northgate Advisers LLP")
    fields["FCA Firm Reference Number (optional)"].input("765432")
    next(button for button in app.button if button.label == "Create firm").click().run()
    assert not page_errors(app)
    names = [firm.name for firm in seeded.store.list_firms(seeded.administrator)]
    assert "Northgate Advisers LLP" in names
    listed = next(frame.value for frame in app.dataframe if "FRN" in frame.value)
    assert "765432" in listed["FRN"].tolist()


def test_analyst_cannot_open_firms(seeded):
    app = AppTest.from_file(str(ROOT / "pages" / "firms.py"), default_timeout=60)
    app.session_state[SESSION_TOKEN_KEY] = log_in(seeded, "analyst")
    app.run()
    assert "Firms" not in [item.value for item in app.title]
