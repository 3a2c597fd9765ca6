"""The user administration page: administrators only, every change audited."""

from __future__ import annotations

import pytest
from access_helpers import (
    ADMIN_PASSWORD,
    APP_TIMEOUT_SECONDS,
    ROOT,
    USER_PASSWORD,
    audit_actions,
)
from streamlit.testing.v1 import AppTest

from auth import accounts, login
from auth.gate import SESSION_TOKEN_KEY
from runtime.config import load_settings

USERS_PAGE = "pages/users.py"


def open_as(store, username: str, password: str, script: str = "app.py") -> AppTest:
    outcome = login.attempt_login(store, username, password, load_settings())
    assert outcome.session_token, outcome.message
    app = AppTest.from_file(str(ROOT / script), default_timeout=APP_TIMEOUT_SECONDS)
    app.session_state[SESSION_TOKEN_KEY] = outcome.session_token
    return app.run()


def open_users_page(store, username: str, password: str) -> AppTest:
    app = open_as(store, username, password)
    app.switch_page(USERS_PAGE)
    return app.run()


def titles(app: AppTest) -> list[str]:
    return [element.value for element in app.title]


def widget(elements, label: str):
    matches = [element for element in elements if element.label == label]
    assert len(matches) == 1, f"expected one widget labelled {label!r}"
    return matches[0]


def test_administrator_sees_users(store, administrator, viewer):
    app = open_users_page(store, "admin", ADMIN_PASSWORD)
    assert not app.exception
    assert "Users" in titles(app)
    table = app.dataframe[0].value
    assert list(table["Username"]) == ["admin", "manager"]
    assert "password_hash" not in table.columns
    assert not any(str(value).startswith("$2") for value in table.to_numpy().ravel())


@pytest.mark.parametrize(
    ("username", "password"),
    [("manager", USER_PASSWORD), ("consultant", USER_PASSWORD)],
)
def test_users_page_not_in_navigation(store, administrator, viewer, username, password):
    accounts.add_user(
        store,
        administrator,
        "consultant",
        "",
        USER_PASSWORD,
        USER_PASSWORD,
        ["analyst"],
    )
    app = open_as(store, username, password)
    assert not app.exception
    # AppTest.switch_page only accepts pages that st.navigation registered.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(USERS_PAGE)


def test_viewer_running_page_file_is_refused(store, administrator, viewer):
    app = open_as(store, "manager", USER_PASSWORD, USERS_PAGE)
    assert "Users" not in titles(app)
    assert not app.dataframe
    assert "not permitted" in app.error[0].value


def test_add_user_through_form(store, administrator):
    app = open_users_page(store, "admin", ADMIN_PASSWORD)
    widget(app.text_input, "Username").input("Consultant")
    widget(app.text_input, "Full name").input("Visiting Consultant")
    widget(app.text_input, "Initial password").input(USER_PASSWORD)
    widget(app.text_input, "Repeat the initial password").input(USER_PASSWORD)
    app.multiselect[0].select("analyst")
    app = widget(app.button, "Add user").click().run()
    assert not app.exception
    assert "User 'consultant' added." in app.success[0].value
    user = accounts.find_user(store, "consultant")
    assert user.roles == frozenset({"analyst"})
    assert user.display_name == "Visiting Consultant"
    assert "user.created" in audit_actions(store, administrator)


def test_add_user_weak_password_shows_rules(store, administrator):
    app = open_users_page(store, "admin", ADMIN_PASSWORD)
    widget(app.text_input, "Username").input("weak")
    widget(app.text_input, "Initial password").input("password")
    widget(app.text_input, "Repeat the initial password").input("password")
    app.multiselect[0].select("viewer")
    app = widget(app.button, "Add user").click().run()
    shown = [element.value for element in app.error]
    assert any("at least 12" in message for message in shown)
    assert accounts.find_user(store, "weak") is None


def test_disable_user_button(store, administrator, viewer):
    app = open_users_page(store, "admin", ADMIN_PASSWORD)
    app.selectbox(key="users:chosen").select("manager")
    app = app.run()
    app = widget(app.button, "Disable user").click().run()
    assert not accounts.find_user(store, "manager").is_active
    assert "user.disabled" in audit_actions(store, administrator)


def test_reset_password_form(store, administrator, viewer):
    app = open_users_page(store, "admin", ADMIN_PASSWORD)
    app.selectbox(key="users:chosen").select("manager")
    app = app.run()
    new_password = "Reset-By-Admin-2026"
    widget(app.text_input, "New password for this user").input(new_password)
    widget(app.text_input, "Repeat the password for this user").input(new_password)
    app = widget(app.button, "Reset password").click().run()
    assert not app.exception
    settings = load_settings()
    assert login.attempt_login(store, "manager", new_password, settings).actor
