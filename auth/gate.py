"""The Streamlit entry points: the login gate, role checks and the logout button.

The browser stores no credential. The session token is kept in ``st.session_state``
on the server, tied to one browser tab's connection, and the database keeps only
its SHA-256 hash. Every rerun checks the token against ``login_sessions``, so a
logout, a password change or an idle timeout takes effect at the next rerun.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from auth import accounts, login, sessions
from auth.login_form import build_authenticator, build_credentials, draw_login_form
from auth.passwords import PasswordPolicyError, password_rules_text
from auth.roles import has_any_role
from auth.signing_key import load_signing_key
from auth.timing import idle_timeout
from runtime.config import Settings, load_settings
from storage.actor import Actor

logger = logging.getLogger(__name__)

SESSION_TOKEN_KEY = "auth:session_token"
STORE_KEY = "auth:store"
NOTICE_KEY = "auth:notice"
LOGIN_ERROR_KEY = "auth:login_error"

# Keys that streamlit-authenticator writes into st.session_state; cleared at
# logout so no page mistakes a stale value for a logged-in user.
LIBRARY_STATE_KEYS = ("name", "authentication_status", "username", "email", "roles")


def require_login(store: Any) -> Actor:
    """Return the logged-in user's ``Actor``, or draw a login form and stop.

    With no users in the database the form requests the first administrator
    instead. Must be called in a Streamlit script run, before any page content;
    it calls ``st.stop()`` whenever it draws a form.
    """
    settings = load_settings()
    st.session_state[STORE_KEY] = store
    token = st.session_state.get(SESSION_TOKEN_KEY)
    if token:
        check = sessions.resume_session(store, token, settings)
        if check.actor is not None:
            return check.actor
        _forget_session()
        if check.message:
            st.session_state[NOTICE_KEY] = check.message

    if accounts.count_users(store) == 0:
        _draw_first_administrator_form(store)
    else:
        _draw_login_form(store, settings)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def require_role(actor: Actor, *roles: str) -> None:
    """Show a "not permitted" message and stop unless ``actor`` has one of ``roles``."""
    if has_any_role(actor, *roles):
        return
    logger.info(
        "access denied to user %s: page needs one of %s",
        actor.username,
        ", ".join(roles),
    )
    st.error(
        "You are not permitted to use this page. It needs the role "
        f"{' or '.join(roles)}; ask an administrator if you need access."
    )
    st.stop()


def logout_button(actor: Actor, store: Any = None) -> None:
    """Draw a "Log out" button in the sidebar that ends the session for real.

    Logging out revokes the server-side session, so the token cannot be used
    again even if it was copied. ``store`` defaults to the one passed to
    ``require_login`` in this session. The sidebar also gets the idle watcher,
    which replaces the page with the login form once the session has ended.
    """
    if store is None:
        store = st.session_state[STORE_KEY]
    with st.sidebar:
        _watch_session(store, load_settings())
    st.sidebar.caption(f"Logged in as **{actor.username}**")
    if not st.sidebar.button("Log out", key="auth:logout"):
        return
    token = st.session_state.get(SESSION_TOKEN_KEY)
    if token:
        sessions.end_session(store, token, actor)
    _forget_session()
    st.session_state[NOTICE_KEY] = "You have logged out."
    st.rerun()


def _watch_session(store: Any, settings: Settings) -> None:
    """Rerun the app once the session has ended, even if the user does nothing.

    Without this, figures stay on screen after the idle timeout until the next
    click. The check runs every half idle timeout, at least every 30 seconds,
    and does not count as activity.
    """
    interval = min(30.0, max(1.0, idle_timeout(settings).total_seconds() / 2))

    @st.fragment(run_every=interval)
    def check_session() -> None:
        token = st.session_state.get(SESSION_TOKEN_KEY)
        if token and not sessions.is_session_current(store, token, settings):
            st.rerun(scope="app")

    check_session()


def current_session_token() -> str | None:
    """Return this browser tab's session token, for changing one's own password."""
    return st.session_state.get(SESSION_TOKEN_KEY)


def _forget_session() -> None:
    st.session_state.pop(SESSION_TOKEN_KEY, None)
    for key in LIBRARY_STATE_KEYS:
        st.session_state.pop(key, None)


def _draw_login_form(store: Any, settings: Settings) -> None:
    signing_key = load_signing_key(settings)
    credentials = build_credentials(accounts.list_users(store))

    def handle_login(username: str, password: str) -> bool:
        outcome = login.attempt_login(store, username, password, settings)
        if outcome.session_token is None:
            st.session_state[LOGIN_ERROR_KEY] = outcome.message
            return False
        st.session_state[SESSION_TOKEN_KEY] = outcome.session_token
        st.session_state.pop(NOTICE_KEY, None)
        return True

    # The notice stays until the next login: the library's cookie component
    # triggers a second run when the form first appears, which would otherwise
    # remove the message before the user sees it.
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(notice)
    authenticator = build_authenticator(credentials, signing_key, handle_login)
    draw_login_form(authenticator)
    if st.session_state.get(SESSION_TOKEN_KEY):
        st.rerun()
    error = st.session_state.pop(LOGIN_ERROR_KEY, None)
    if error:
        st.error(error)


def _draw_first_administrator_form(store: Any) -> None:
    st.title("Create the first administrator")
    st.write(
        "No users exist yet. The account created here manages all other users; "
        "there is no default password."
    )
    with st.form("auth:first_administrator", clear_on_submit=False):
        username = st.text_input("Username", key="auth:first_username")
        password = st.text_input(
            "Password", type="password", help=password_rules_text()
        )
        repeated = st.text_input("Repeat the password", type="password")
        submitted = st.form_submit_button("Create administrator")
    if not submitted:
        return
    try:
        accounts.create_first_administrator(store, username, password, repeated)
    except PasswordPolicyError as error:
        for problem in error.problems:
            st.error(problem)
        return
    except accounts.AccountError as error:
        st.error(str(error))
        return
    st.session_state[NOTICE_KEY] = (
        f"Administrator {username.strip().lower()!r} created. Log in to continue."
    )
    st.rerun()
