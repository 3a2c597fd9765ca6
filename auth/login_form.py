"""The login form from streamlit-authenticator, wired to the database.

streamlit-authenticator 0.4.2 draws the form, and its ``Hasher`` makes the
password hashes. Three parts of the library are replaced, because each breaks a
requirement of a dashboard holding confidential capital figures:

* Checking the password. The library trims the password (``password.strip()``),
  returns at once for an unknown username (so the response time shows which
  usernames exist) and keeps failed attempts in memory only. A subclass of its
  controller sends the untrimmed form values to ``auth.login.attempt_login``
  instead, which reads the user from the database at every attempt.
* The re-login cookie. The library's cookie is a JWT holding only the username
  and an expiry, so a copy taken before logout keeps working until it expires.
  It is switched off (expiry of 0 days) and the controller ignores any cookie
  token it is handed.
* The 0.7 second pause before every login form draw, which is set to 0 because
  the bcrypt check already costs about a quarter of a second per attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit_authenticator as stauth
from streamlit_authenticator.controllers import AuthenticationController

# Never set by this app. The library reads a cookie of this name, and a token
# found there is ignored by ``DatabaseLoginController.login``.
DISABLED_COOKIE_NAME = "icara_library_cookie_disabled"

LOGIN_FORM_KEY = "login"
LOGIN_FORM_FIELDS = {
    "Form name": "Log in",
    "Username": "Username",
    "Password": "Password",
    "Login": "Log in",
}

LoginHandler = Callable[[str, str], bool]


class DatabaseLoginController(AuthenticationController):
    """The library's controller with ``login`` routed to a database check."""

    def __init__(
        self,
        credentials: dict[str, Any],
        signing_key: str,
        login_handler: LoginHandler,
    ) -> None:
        super().__init__(credentials, auto_hash=False, secret_key=signing_key)
        self._login_handler = login_handler

    def login(  # type: ignore[override]
        self,
        username: str | None = None,
        password: str | None = None,
        *args: Any,
        token: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> bool | None:
        """Check a submitted form with the login handler; ignore cookie tokens.

        Returns ``None`` when no form was submitted (the library's convention),
        otherwise the handler's result.
        """
        if username is None and password is None:
            return None
        return self._login_handler(username or "", password or "")


def build_credentials(users: Iterable[Any]) -> dict[str, Any]:
    """Return the library's credentials dict for the active ``users``.

    Each user is a ``storage`` user record. The dict is rebuilt on every rerun
    from the database, so it always has the current roles, failed attempts and
    lock state. Disabled users are left out.
    """
    usernames: dict[str, Any] = {}
    for user in users:
        if not user.is_active:
            continue
        usernames[user.username] = {
            "name": getattr(user, "display_name", None) or user.username,
            "password": user.password_hash,
            "roles": list(user.roles),
            "failed_login_attempts": user.failed_attempts,
            "logged_in": False,
        }
    return {"usernames": usernames}


def build_authenticator(
    credentials: dict[str, Any], signing_key: str, login_handler: LoginHandler
) -> stauth.Authenticate:
    """Return a library ``Authenticate`` whose login form calls ``login_handler``.

    ``login_handler(username, password)`` gets the values exactly as typed and
    returns whether the login succeeded.
    """
    authenticator = stauth.Authenticate(
        credentials,
        cookie_name=DISABLED_COOKIE_NAME,
        cookie_key=signing_key,
        cookie_expiry_days=0,
        auto_hash=False,
        login_sleep_time=0,
    )
    authenticator.authentication_controller = DatabaseLoginController(
        credentials, signing_key, login_handler
    )
    return authenticator


def draw_login_form(authenticator: stauth.Authenticate) -> None:
    """Draw the library's login form in the main area.

    The form is cleared after each submission, so a typed password never stays
    in a widget.
    """
    authenticator.login(
        location="main",
        fields=LOGIN_FORM_FIELDS,
        key=LOGIN_FORM_KEY,
        clear_on_submit=True,
    )
