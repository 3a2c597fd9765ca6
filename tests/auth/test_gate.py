"""The login gate in a Streamlit run (AppTest): forms, lockout, logout, idle."""

from __future__ import annotations

import time

import pytest
from access_helpers import (
    ADMIN_PASSWORD,
    APP_TIMEOUT_SECONDS,
    GATE_APP,
    USER_PASSWORD,
)
from streamlit.testing.v1 import AppTest

from auth import accounts, login
from auth.gate import NOTICE_KEY, SESSION_TOKEN_KEY
from runtime.config import load_settings


def open_app() -> AppTest:
    app = AppTest.from_file(GATE_APP, default_timeout=APP_TIMEOUT_SECONDS)
    return app.run()


def widget(elements, label: str):
    matches = [element for element in elements if element.label == label]
    assert len(matches) == 1, f"expected one widget labelled {label!r}"
    return matches[0]


def submit_login(app: AppTest, username: str, password: str) -> AppTest:
    widget(app.text_input, "Username").input(username)
    widget(app.text_input, "Password").input(password)
    return widget(app.button, "Log in").click().run()


def shows_login_form(app: AppTest) -> bool:
    labels = {element.label for element in app.text_input}
    buttons = {element.label for element in app.button}
    return {"Username", "Password"} <= labels and "Log in" in buttons


def page_text(app: AppTest) -> str:
    parts = [element.value for element in app.title]
    parts += [element.value for element in app.markdown]
    return "\n".join(str(part) for part in parts)


def errors(app: AppTest) -> list[str]:
    return [element.value for element in app.error]


def test_first_run_asks_for_administrator(store):
    app = open_app()
    assert app.title[0].value == "Create the first administrator"
    assert not shows_login_form(app)
    assert "Capital position" not in page_text(app)


def test_first_run_rejects_weak_password(store):
    app = open_app()
    widget(app.text_input, "Username").input("chief")
    widget(app.text_input, "Password").input("short1")
    widget(app.text_input, "Repeat the password").input("short2")
    app = widget(app.button, "Create administrator").click().run()
    messages = errors(app)
    assert any("at least 12" in message for message in messages)
    assert "The two passwords are not the same." in messages
    assert accounts.count_users(store) == 0


def test_first_run_creates_administrator(store):
    app = open_app()
    widget(app.text_input, "Username").input("Chief")
    widget(app.text_input, "Password").input(ADMIN_PASSWORD)
    widget(app.text_input, "Repeat the password").input(ADMIN_PASSWORD)
    app = widget(app.button, "Create administrator").click().run()
    user = accounts.find_user(store, "chief")
    assert user is not None
    assert user.roles == frozenset({"administrator"})
    assert shows_login_form(app)
    assert "Administrator 'chief' created" in app.info[0].value


def test_login_form_logs_in(store, administrator):
    app = open_app()
    assert shows_login_form(app)
    assert "Capital position" not in page_text(app)
    app = submit_login(app, "admin", ADMIN_PASSWORD)
    assert not app.exception
    assert app.title[0].value == "Capital position"
    assert "Logged in: admin; roles: administrator" in page_text(app)


def test_wrong_and_unknown_same_message(store, administrator):
    app = submit_login(open_app(), "admin", "Wrong-password-12")
    wrong = errors(app)
    app = submit_login(app, "nobody", "Wrong-password-12")
    unknown = errors(app)
    expected = login.failure_message(load_settings())
    assert wrong == [expected]
    assert unknown == [expected]
    assert shows_login_form(app)


def test_password_not_trimmed_in_form(store, administrator):
    padded = " Spaced-Password-31 "
    accounts.add_user(store, administrator, "spacey", "", padded, padded, ["viewer"])
    app = submit_login(open_app(), "spacey", padded.strip())
    assert shows_login_form(app)
    app = submit_login(app, "spacey", padded)
    assert "Logged in: spacey" in page_text(app)


def test_over_long_password_gives_message(store, administrator):
    app = submit_login(open_app(), "admin", "x" * 200)
    assert not app.exception
    assert errors(app) == [login.failure_message(load_settings())]


def test_five_wrong_passwords_lock_form(store, administrator, viewer):
    app = open_app()
    for _ in range(5):
        app = submit_login(app, "manager", "Wrong-password-12")
    assert accounts.find_user(store, "manager").locked_until is not None
    app = submit_login(app, "manager", USER_PASSWORD)
    assert shows_login_form(app)
    assert "Capital position" not in page_text(app)


def test_logout_ends_session(store, administrator):
    app = submit_login(open_app(), "admin", ADMIN_PASSWORD)
    copied_token = app.session_state[SESSION_TOKEN_KEY]
    app = widget(app.sidebar.button, "Log out").click().run()
    assert shows_login_form(app)
    assert "You have logged out." in app.info[0].value

    replay = AppTest.from_file(GATE_APP, default_timeout=APP_TIMEOUT_SECONDS)
    replay.session_state[SESSION_TOKEN_KEY] = copied_token
    replay.run()
    assert shows_login_form(replay)
    assert "Capital position" not in page_text(replay)


def test_token_of_live_session_works(store, administrator):
    outcome = login.attempt_login(store, "admin", ADMIN_PASSWORD, load_settings())
    app = AppTest.from_file(GATE_APP, default_timeout=APP_TIMEOUT_SECONDS)
    app.session_state[SESSION_TOKEN_KEY] = outcome.session_token
    app.run()
    assert app.title[0].value == "Capital position"


def test_idle_session_shows_login(store, administrator, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "2")
    app = submit_login(open_app(), "admin", ADMIN_PASSWORD)
    assert app.title[0].value == "Capital position"
    time.sleep(2.5)
    app.run()
    assert shows_login_form(app)
    assert "ended after 2 seconds without activity" in app.info[0].value
    app = submit_login(app, "admin", ADMIN_PASSWORD)
    assert app.title[0].value == "Capital position"
    assert not app.info
    assert NOTICE_KEY not in app.session_state


def test_password_reset_logs_other_session_out(store, administrator, viewer):
    app = submit_login(open_app(), "manager", USER_PASSWORD)
    assert "Logged in: manager" in page_text(app)
    new_password = "Fresh-Start-Password-8"
    accounts.reset_password(
        store, administrator, viewer.user_id, new_password, new_password
    )
    app.run()
    assert shows_login_form(app)


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_role_change_visible_next_run(store, administrator, viewer, role):
    app = submit_login(open_app(), "manager", USER_PASSWORD)
    accounts.set_roles(store, administrator, viewer.user_id, [role])
    app.run()
    assert f"roles: {role}" in page_text(app)
