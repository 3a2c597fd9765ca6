"""Widgets of the user administration page and the change-password form.

Each form calls a function in ``auth.accounts``, which checks the role again
and writes the audit row, and shows that function's error message on failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from auth import accounts
from auth.gate import current_session_token
from auth.passwords import PasswordPolicyError, password_rules_text
from auth.roles import ALL_ROLES, ROLE_DESCRIPTIONS
from auth.sessions import hash_token
from auth.timing import as_utc, utc_now
from storage.actor import Actor
from storage.errors import AccessDenied

logger = logging.getLogger(__name__)

FLASH_KEY = "users:flash"

ROLE_HELP = " ".join(
    f"{role.capitalize()}: {text}" for role, text in ROLE_DESCRIPTIONS.items()
)


def run_action(action: Callable[[], Any], success: str) -> None:
    """Run an account change; on success rerun the page to show ``success``.

    The rerun redraws the users table with the change. On failure the error is
    shown where the form is.
    """
    try:
        action()
    except PasswordPolicyError as error:
        for problem in error.problems:
            st.error(problem)
        return
    except (accounts.AccountError, AccessDenied) as error:
        st.error(str(error))
        return
    st.session_state[FLASH_KEY] = success
    st.rerun()


def show_flash() -> None:
    """Show the success message of the change made in the previous run, if any."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def users_table(users: list[Any], firm_names: dict[int, str]) -> pd.DataFrame:
    """Return one row per user for display; no password hashes."""
    now = utc_now()
    rows = []
    for user in users:
        locked = user.locked_until is not None and as_utc(user.locked_until) > now
        rows.append(
            {
                "Username": user.username,
                "Name": user.display_name,
                "Roles": ", ".join(sorted(user.roles)),
                "Firms": ", ".join(
                    firm_names.get(firm_id, f"firm {firm_id}")
                    for firm_id in sorted(user.firm_ids)
                ),
                "Active": user.is_active,
                "Locked": locked,
                "Failed attempts": user.failed_attempts,
                "Last login (UTC)": user.last_login_at,
            }
        )
    return pd.DataFrame(rows)


def add_user_form(store: Any, actor: Actor, firm_names: dict[int, str]) -> None:
    """Draw the form that creates a user."""
    with st.form("users:add", clear_on_submit=True):
        st.subheader("Add a user")
        username = st.text_input("Username")
        display_name = st.text_input("Full name")
        password = st.text_input(
            "Initial password", type="password", help=password_rules_text()
        )
        repeated = st.text_input("Repeat the initial password", type="password")
        chosen_roles = st.multiselect("Roles", ALL_ROLES, help=ROLE_HELP)
        firm_ids = st.multiselect("Firms", list(firm_names), format_func=firm_names.get)
        submitted = st.form_submit_button("Add user")
    if submitted:
        run_action(
            lambda: accounts.add_user(
                store,
                actor,
                username,
                display_name,
                password,
                repeated,
                chosen_roles,
                firm_ids,
            ),
            f"User {username.strip().lower()!r} added.",
        )


def edit_user_forms(
    store: Any, actor: Actor, user: Any, firm_names: dict[int, str]
) -> None:
    """Draw the forms that change one existing user."""
    with st.form(f"users:access:{user.id}"):
        st.subheader(f"Roles and firms of {user.username}")
        chosen_roles = st.multiselect(
            "Roles", ALL_ROLES, default=sorted(user.roles), help=ROLE_HELP
        )
        firm_ids = st.multiselect(
            "Firms",
            list(firm_names),
            default=[firm for firm in user.firm_ids if firm in firm_names],
            format_func=firm_names.get,
            help="Administrators see every firm whatever is chosen here.",
        )
        submitted = st.form_submit_button("Save roles and firms")
    if submitted:

        def save_access() -> None:
            if sorted(chosen_roles) != sorted(user.roles):
                accounts.set_roles(store, actor, user.id, chosen_roles)
            if sorted(firm_ids) != sorted(user.firm_ids):
                accounts.set_firms(store, actor, user.id, firm_ids)

        run_action(save_access, f"Roles and firms of {user.username!r} saved.")

    with st.form(f"users:reset:{user.id}", clear_on_submit=True):
        st.subheader(f"Reset the password of {user.username}")
        st.caption("Resetting ends all of this user's sessions and clears a lock.")
        password = st.text_input(
            "New password for this user", type="password", help=password_rules_text()
        )
        repeated = st.text_input("Repeat the password for this user", type="password")
        submitted = st.form_submit_button("Reset password")
    if submitted:
        run_action(
            lambda: accounts.reset_password(store, actor, user.id, password, repeated),
            f"Password of {user.username!r} reset; their sessions have ended.",
        )

    status_columns = st.columns(2)
    if user.is_active:
        if status_columns[0].button("Disable user", key=f"users:disable:{user.id}"):
            run_action(
                lambda: accounts.set_user_active(store, actor, user.id, False),
                f"{user.username!r} disabled; their sessions have ended.",
            )
    elif status_columns[0].button("Enable user", key=f"users:enable:{user.id}"):
        run_action(
            lambda: accounts.set_user_active(store, actor, user.id, True),
            f"{user.username!r} enabled.",
        )
    if status_columns[1].button("Unlock", key=f"users:unlock:{user.id}"):
        run_action(
            lambda: accounts.unlock_user(store, actor, user.id),
            f"{user.username!r} unlocked.",
        )


def change_password_form(store: Any, actor: Actor) -> None:
    """Draw the form with which any user changes their own password.

    The change ends the user's other sessions and keeps this one.
    """
    with st.form("auth:change_password", clear_on_submit=True):
        st.subheader("Change your password")
        current = st.text_input("Current password", type="password")
        password = st.text_input(
            "New password", type="password", help=password_rules_text()
        )
        repeated = st.text_input("Repeat the new password", type="password")
        submitted = st.form_submit_button("Change password")
    if not submitted:
        return
    token = current_session_token()
    keep = hash_token(token) if token else None
    try:
        changed = accounts.change_own_password(
            store, actor, current, password, repeated, keep
        )
    except PasswordPolicyError as error:
        for problem in error.problems:
            st.error(problem)
        return
    if not changed:
        st.error("The current password is wrong; the password was not changed.")
        return
    st.success("Password changed. Your other sessions have ended.")
