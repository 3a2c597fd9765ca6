"""Server-side login sessions: random tokens stored as SHA-256 hashes.

A session is valid while it is not revoked, is younger than
``ABSOLUTE_SESSION_LIFETIME`` and was last used less than the idle timeout ago,
and its user is still active. Each check that passes moves ``last_seen_at``
forward.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from auth import accounts
from auth.timing import (
    ABSOLUTE_SESSION_LIFETIME,
    as_utc,
    describe_duration,
    idle_timeout,
    utc_now,
)
from runtime.config import Settings
from storage.actor import Actor
from storage.users import hash_session_token, new_session_token

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionCheck:
    """The result of checking a session token on a rerun.

    ``actor`` is set when the session is valid. Otherwise ``message`` gives the reason
    the session ended, or is ``None`` when there is nothing to tell the user.
    """

    actor: Actor | None
    message: str | None


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest of ``token``, the form kept in the database."""
    return hash_session_token(token)


def start_session(store: Any, actor: Actor, now: dt.datetime | None = None) -> str:
    """Create a login session for ``actor`` and return its token.

    Only the token's hash is stored; the token itself goes to the caller alone.
    """
    now = now or utc_now()
    token, token_hash = new_session_token()
    accounts.create_login_session(
        store, actor, token_hash, now + ABSOLUTE_SESSION_LIFETIME
    )
    return token


def session_end_reason(record: Any, settings: Settings, now: dt.datetime) -> str | None:
    """Return why the session ``record`` is no longer valid, or ``None``.

    The reasons are ``"revoked"``, ``"expired"`` (older than the absolute
    lifetime) and ``"idle"`` (unused for longer than the idle timeout).
    """
    if record.revoked_at is not None:
        return "revoked"
    if as_utc(record.expires_at) <= now:
        return "expired"
    if as_utc(record.last_seen_at) + idle_timeout(settings) <= now:
        return "idle"
    return None


def resume_session(
    store: Any, token: str, settings: Settings, now: dt.datetime | None = None
) -> SessionCheck:
    """Check ``token`` against the database and return the session's actor.

    An idle or expired session is revoked and audited as
    ``user.session_expired``. The actor's roles and firms are read afresh, so an
    administrator's change applies at the user's next rerun. ``now`` is for
    tests; it sets the clock of the checks, while ``last_seen_at`` is always
    stamped by the database with the current time.
    """
    now = now or utc_now()
    record = accounts.get_login_session(store, hash_token(token))
    if record is None:
        return SessionCheck(None, "Your session is no longer valid. Log in again.")

    reason = session_end_reason(record, settings, now)
    user = accounts.get_user(store, record.user_id)
    if reason is None and (user is None or not user.is_active):
        reason = "user disabled"
    if reason is not None:
        return _end_invalid_session(store, record, user, reason, settings)

    accounts.touch_login_session(store, record)
    return SessionCheck(accounts.actor_for(store, user), None)


def is_session_current(
    store: Any, token: str, settings: Settings, now: dt.datetime | None = None
) -> bool:
    """Return whether ``token``'s session is still valid, without recording use.

    Unlike ``resume_session`` it neither moves ``last_seen_at`` nor revokes, so
    a periodic check does not keep an idle session alive.
    """
    record = accounts.get_login_session(store, hash_token(token))
    if record is None:
        return False
    if session_end_reason(record, settings, now or utc_now()) is not None:
        return False
    user = accounts.get_user(store, record.user_id)
    return user is not None and user.is_active


def end_session(store: Any, token: str, actor: Actor) -> None:
    """Revoke the session of ``token`` (logout) and audit ``user.logout``."""
    record = accounts.get_login_session(store, hash_token(token))
    if record is not None and record.revoked_at is None:
        accounts.revoke_login_session(store, record)
    accounts.audit(store, actor, "user.logout", {"user_id": actor.user_id})
    logger.info("user %s logged out", actor.username)


def _end_invalid_session(
    store: Any, record: Any, user: Any | None, reason: str, settings: Settings
) -> SessionCheck:
    if reason == "revoked":
        return SessionCheck(None, "Your session has ended. Log in again.")
    accounts.revoke_login_session(store, record)
    username = user.username if user is not None else f"user id {record.user_id}"
    actor = (
        Actor(user_id=user.id, username=user.username, roles=frozenset())
        if user is not None
        else Actor.system("sessions")
    )
    accounts.audit(
        store,
        actor,
        "user.session_expired",
        {"user_id": record.user_id, "reason": reason},
    )
    logger.info("session of %s ended: %s", username, reason)
    if reason == "idle":
        return SessionCheck(
            None,
            "Your session ended after "
            f"{describe_duration(idle_timeout(settings))} without activity. "
            "Log in again.",
        )
    if reason == "expired":
        return SessionCheck(
            None,
            "Your session reached its maximum length of "
            f"{describe_duration(ABSOLUTE_SESSION_LIFETIME)}. Log in again.",
        )
    return SessionCheck(None, "Your account is disabled. Ask an administrator.")
