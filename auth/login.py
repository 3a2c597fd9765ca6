"""Checking a username and password, with lockout and the audit trail.

Every failure returns the same message and costs one bcrypt check. This holds
whether the username is unknown, the password is wrong or too long, or the
account is locked or disabled. So neither the message nor the response time
shows which usernames exist.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from auth import accounts, sessions
from auth.passwords import verify_password
from auth.timing import as_utc, describe_duration, lockout_duration, utc_now
from runtime.config import Settings
from storage.actor import Actor

logger = logging.getLogger(__name__)

# Every failed login returns no sooner than this after it started. The paths
# differ by a database write or two, which can take from under a millisecond
# to a large part of a second on a busy disk, so without the floor the response
# time could still show whether a username exists. The pause also slows down
# password guessing.
FAILED_LOGIN_MINIMUM_SECONDS = 1.0

# Audit records keep a typed username only when it looks like one, so a
# password typed into the username field is not written to the audit log.
_USERNAME_SHAPE = re.compile(r"^[a-z0-9._@+-]{1,150}$")


@dataclass(frozen=True)
class LoginOutcome:
    """The result of one login attempt.

    ``session_token`` is set only on success; ``message`` is the text to show
    on failure.
    """

    actor: Actor | None
    session_token: str | None
    message: str | None


def failure_message(settings: Settings) -> str:
    """Return the one message shown for every failed login."""
    return (
        "Invalid username or password. After "
        f"{settings.lockout_attempts} wrong passwords in a row an account is locked "
        f"for {describe_duration(lockout_duration(settings))}; a locked or disabled "
        "account cannot log in."
    )


def normalise_username(username: str) -> str:
    """Return ``username`` as stored: without surrounding spaces, lower case.

    Only the username is normalised. Passwords are used exactly as typed.
    """
    return username.strip().lower()


def attempt_login(
    store: Any,
    username: str,
    password: str,
    settings: Settings,
    now: dt.datetime | None = None,
) -> LoginOutcome:
    """Check ``username`` and ``password`` and start a session on success.

    Every attempt is audited: ``user.login`` on success, ``user.login_failed``
    otherwise, and ``user.locked`` (by ``storage.users.lock_user``) when this
    failure reaches ``LOCKOUT_ATTEMPTS``. A failed attempt returns no sooner
    than ``FAILED_LOGIN_MINIMUM_SECONDS`` after it started. ``now`` is for
    tests; it sets the clock of the lock checks, while the database stamps its
    own times.
    """
    started = time.monotonic()
    outcome = _check_password_login(store, username, password, settings, now)
    if outcome.session_token is None:
        remaining = FAILED_LOGIN_MINIMUM_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
    return outcome


def _check_password_login(
    store: Any,
    username: str,
    password: str,
    settings: Settings,
    now: dt.datetime | None,
) -> LoginOutcome:
    now = now or utc_now()
    name = normalise_username(username)
    user = accounts.find_user(store, name) if name else None

    locked = user is not None and _is_locked(user, now)
    usable = user is not None and user.is_active and not locked
    stored_hash = user.password_hash if usable else None
    # verify_password does the bcrypt work even when stored_hash is None.
    matched = verify_password(password, stored_hash)

    if user is None:
        _audit_failure(store, None, name, "unknown username")
        return LoginOutcome(None, None, failure_message(settings))
    if not user.is_active:
        _audit_failure(store, user, name, "account disabled")
        return LoginOutcome(None, None, failure_message(settings))
    if locked:
        _audit_failure(store, user, name, "account locked")
        return LoginOutcome(None, None, failure_message(settings))
    if not matched:
        _register_wrong_password(store, user, settings, now)
        return LoginOutcome(None, None, failure_message(settings))

    accounts.record_successful_login(store, user)
    actor = accounts.actor_for(store, user)
    token = sessions.start_session(store, actor, now)
    accounts.audit(store, actor, "user.login", {"user_id": user.id})
    logger.info("user %s logged in", user.username)
    return LoginOutcome(actor, token, None)


def _is_locked(user: Any, now: dt.datetime) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > now


def _register_wrong_password(
    store: Any, user: Any, settings: Settings, now: dt.datetime
) -> None:
    # A lock that has run out starts a fresh count, so the user gets the full
    # number of attempts again instead of being locked by the next mistake.
    if user.locked_until is not None:
        accounts.reset_failed_logins(store, user)
    failures = accounts.record_failed_login(store, user)
    _audit_failure(store, user, user.username, "wrong password", failures)
    if failures < settings.lockout_attempts:
        return
    accounts.lock_user(store, user, now + lockout_duration(settings))


def _audit_failure(
    store: Any,
    user: Any | None,
    typed_username: str,
    reason: str,
    failures: int | None = None,
) -> None:
    recorded_username = (
        typed_username if _USERNAME_SHAPE.match(typed_username) else "(invalid)"
    )
    detail: dict[str, Any] = {"username": recorded_username, "reason": reason}
    if failures is not None:
        detail["failed_attempts"] = failures
    actor = _login_actor(user) if user is not None else Actor.system("login")
    accounts.audit(store, actor, "user.login_failed", detail)
    logger.info("failed login for %s: %s", recorded_username, reason)


def _login_actor(user: Any) -> Actor:
    """Return an actor naming ``user`` without roles, for pre-login audit rows."""
    return Actor(user_id=user.id, username=user.username, roles=frozenset())


def attempt_identity_login(
    store: Any,
    email: str,
    email_verified: bool,
    settings: Settings,
    now: dt.datetime | None = None,
) -> LoginOutcome:
    """Start a session for the user whose username is ``email``.

    For a login through an OpenID Connect provider (``st.login``), which has
    already checked the password. ``email`` and ``email_verified`` come from
    ``st.user``. An unverified email, an email with no user row, and a disabled
    or locked user are rejected and audited as ``user.login_failed``.
    """
    now = now or utc_now()
    name = normalise_username(email)
    user = accounts.find_user(store, name) if name and email_verified else None
    reason = None
    if not email_verified:
        reason = "identity email not verified"
    elif user is None:
        reason = "identity email has no user"
    elif not user.is_active:
        reason = "account disabled"
    elif _is_locked(user, now):
        reason = "account locked"
    if reason is not None:
        _audit_failure(store, user, name, reason)
        return LoginOutcome(
            None,
            None,
            f"The identity {name!r} has no active account in this dashboard. "
            "Ask an administrator to add it on the Users page.",
        )

    accounts.record_successful_login(store, user)
    actor = accounts.actor_for(store, user)
    token = sessions.start_session(store, actor, now)
    accounts.audit(
        store, actor, "user.login", {"user_id": user.id, "method": "openid-connect"}
    )
    logger.info("user %s logged in through the identity provider", user.username)
    return LoginOutcome(actor, token, None)
