"""User accounts: the database calls behind login and user administration.

``storage.users`` stores the accounts and writes the audit rows of the changes
it makes (``user.created``, ``user.roles_changed``, ``user.firms_changed``,
``user.enabled``, ``user.disabled``, ``user.password_changed``, ``user.locked``).
This module adds the login events (``user.login``, ``user.login_failed``,
``user.logout``, ``user.session_expired``, ``user.unlocked``).

The administration functions check the acting user's role themselves
(``check_role``), so a page that omits its own check still cannot change users.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from auth.passwords import check_new_password, hash_password, verify_password
from auth.roles import ADMINISTRATOR, check_role, validate_roles
from storage import users as user_store
from storage.actor import Actor
from storage.errors import InvalidInput, NotFound

logger = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@+-]{2,149}$")

# The identity that reads accounts before anyone has logged in.
LOGIN_READER = Actor.system("login")


class AccountError(ValueError):
    """An invalid user administration request; the message gives the reason and fix."""


# --- reads -----------------------------------------------------------------


def count_users(store: Any) -> int:
    """Return how many users exist, active or not."""
    return user_store.count_users(store=store)


def list_users(store: Any) -> list[Any]:
    """Return every user record, ordered by username."""
    return user_store.list_users(LOGIN_READER, store=store)


def find_user(store: Any, username: str) -> Any | None:
    """Return the user record named ``username`` (already normalised), or ``None``."""
    return user_store.get_user_by_username(username, store=store)


def get_user(store: Any, user_id: int) -> Any | None:
    """Return the user record with ``user_id``, or ``None``."""
    return user_store.get_user(user_id, store=store)


def actor_for(store: Any, user: Any) -> Actor:
    """Return the ``Actor`` for the user record ``user`` with its roles and firms."""
    return user_store.user_actor(user)


def validate_username(username: str) -> str:
    """Return ``username`` normalised (trimmed, lower case) after checking its shape.

    Raises ``AccountError`` when it is not 3 to 150 characters of lower-case
    letters, digits and ``. _ @ + -``, starting with a letter or digit.
    """
    name = username.strip().lower()
    if not USERNAME_PATTERN.match(name):
        raise AccountError(
            f"Invalid username {name!r}: use 3 to 150 characters of letters, "
            "digits and . _ @ + -, starting with a letter or digit."
        )
    return name


# --- login state -------------------------------------------------------------


def record_failed_login(store: Any, user: Any) -> int:
    """Add one to the user's failed attempts atomically; return the new count."""
    try:
        return user_store.record_failed_login(user.id, store=store)
    except NotFound:
        raise AccountError(f"User id {user.id} not found; reload the page.") from None


def reset_failed_logins(store: Any, user: Any) -> None:
    """Set the user's failed attempts to zero and clear any lock."""
    user_store.reset_failed_logins(user.id, successful_login=False, store=store)


def lock_user(store: Any, user: Any, until: dt.datetime) -> None:
    """Lock the user's account until ``until`` (UTC); audited as ``user.locked``."""
    user_store.lock_user(user.id, until, store=store)


def record_successful_login(store: Any, user: Any) -> None:
    """Clear the failed attempts and lock, and stamp ``last_login_at``."""
    user_store.reset_failed_logins(user.id, successful_login=True, store=store)


def create_login_session(
    store: Any, actor: Actor, token_hash: str, expires_at: dt.datetime
) -> None:
    """Store a new login session found by ``token_hash``."""
    user_store.create_login_session(actor.user_id, token_hash, expires_at, store=store)


def get_login_session(store: Any, token_hash: str) -> Any | None:
    """Return the login session with ``token_hash``, or ``None``."""
    return user_store.get_login_session_by_token_hash(token_hash, store=store)


def touch_login_session(store: Any, session: Any) -> None:
    """Move the session's ``last_seen_at`` to the current time."""
    user_store.touch_login_session(session.id, store=store)


def revoke_login_session(store: Any, session: Any) -> None:
    """Revoke one login session."""
    user_store.revoke_login_session(session.id, store=store)


def audit(store: Any, actor: Actor, action: str, detail: dict[str, Any]) -> None:
    """Append an audit row for an account event (no firm)."""
    store.audit(actor, action, None, detail)


# --- administration --------------------------------------------------------


def create_first_administrator(
    store: Any, username: str, password: str, repeated: str
) -> Any:
    """Create the first user, an administrator, when no user exists yet.

    Raises ``AccountError`` once any user exists, so the first-run form cannot
    be used to add an administrator later.
    """
    name = validate_username(username)
    check_new_password(password, repeated, name)
    if count_users(store) > 0:
        raise AccountError(
            "An administrator already exists; log in and add users on the Users page."
        )
    # NOTE: two first-run forms submitted at the same moment can both pass the
    # count check and create two administrators; both are audited.
    user = _create(
        store, Actor.system("first-run"), name, name, password, [ADMINISTRATOR], ()
    )
    logger.info("first administrator %s created", name)
    return user


def add_user(
    store: Any,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    repeated: str,
    roles: Iterable[str],
    firm_ids: Iterable[int] = (),
) -> Any:
    """Create a user with ``roles`` and access to ``firm_ids`` (administrator only)."""
    check_role(actor, ADMINISTRATOR)
    name = validate_username(username)
    role_list = _checked_roles(roles)
    check_new_password(password, repeated, name)
    if find_user(store, name) is not None:
        raise AccountError(
            f"A user named {name!r} already exists; choose another name."
        )
    user = _create(
        store,
        actor,
        name,
        display_name.strip() or name,
        password,
        role_list,
        firm_ids,
    )
    logger.info("user %s created by %s", name, actor.username)
    return user


def set_user_active(store: Any, actor: Actor, user_id: int, active: bool) -> None:
    """Enable or disable a user; disabling also ends all their sessions.

    An administrator cannot disable their own account or the last active
    administrator.
    """
    check_role(actor, ADMINISTRATOR)
    user = _existing_user(store, user_id)
    if not active:
        if user.id == actor.user_id:
            raise AccountError("You cannot disable your own account.")
        _keep_an_administrator(store, user, remaining_roles=())
    user_store.set_user_active(actor, user.id, active, store=store)
    logger.info(
        "user %s %s by %s",
        user.username,
        "enabled" if active else "disabled",
        actor.username,
    )


def set_roles(store: Any, actor: Actor, user_id: int, roles: Iterable[str]) -> None:
    """Replace a user's roles (administrator only), keeping one administrator."""
    check_role(actor, ADMINISTRATOR)
    user = _existing_user(store, user_id)
    role_list = _checked_roles(roles)
    _keep_an_administrator(store, user, remaining_roles=role_list)
    user_store.update_user_roles(actor, user.id, role_list, store=store)
    logger.info("roles of %s changed by %s", user.username, actor.username)


def set_firms(store: Any, actor: Actor, user_id: int, firm_ids: Iterable[int]) -> None:
    """Replace the firms a user may access (administrator only)."""
    check_role(actor, ADMINISTRATOR)
    user = _existing_user(store, user_id)
    try:
        user_store.set_user_firms(actor, user.id, sorted(set(firm_ids)), store=store)
    except NotFound as error:
        raise AccountError(str(error)) from None


def reset_password(
    store: Any, actor: Actor, user_id: int, password: str, repeated: str
) -> None:
    """Set a new password for a user and end all of that user's sessions.

    Also clears the failed attempts and any lock, so a locked-out user can log
    in with the new password at once.
    """
    check_role(actor, ADMINISTRATOR)
    user = _existing_user(store, user_id)
    check_new_password(password, repeated, user.username)
    user_store.set_password_hash(
        actor, user.id, hash_password(password, user.username), store=store
    )
    logger.info("password of %s reset by %s", user.username, actor.username)


def change_own_password(
    store: Any,
    actor: Actor,
    current_password: str,
    new_password: str,
    repeated: str,
    keep_token_hash: str | None,
) -> bool:
    """Change the actor's own password after checking the current one.

    Ends the actor's other sessions; the session with ``keep_token_hash`` (this
    browser tab) stays. Returns ``False`` when ``current_password`` is wrong.
    Raises ``PasswordPolicyError`` when the new password breaks a rule.
    """
    user = _existing_user(store, actor.user_id)
    if not verify_password(current_password, user.password_hash):
        audit(
            store,
            actor,
            "user.password_change_failed",
            {"user_id": user.id, "reason": "wrong current password"},
        )
        return False
    check_new_password(new_password, repeated, user.username)
    keep = get_login_session(store, keep_token_hash) if keep_token_hash else None
    user_store.set_password_hash(
        actor,
        user.id,
        hash_password(new_password, user.username),
        except_session_id=keep.id if keep is not None else None,
        store=store,
    )
    logger.info("user %s changed their password", user.username)
    return True


def unlock_user(store: Any, actor: Actor, user_id: int) -> None:
    """Clear a user's lock and failed attempts (administrator only)."""
    check_role(actor, ADMINISTRATOR)
    user = _existing_user(store, user_id)
    reset_failed_logins(store, user)
    audit(store, actor, "user.unlocked", {"user_id": user.id})
    logger.info("user %s unlocked by %s", user.username, actor.username)


def _create(
    store: Any,
    actor: Actor,
    name: str,
    display_name: str,
    password: str,
    roles: Iterable[str],
    firm_ids: Iterable[int],
) -> Any:
    try:
        return user_store.create_user(
            actor,
            name,
            display_name,
            hash_password(password, name),
            list(roles),
            sorted(set(firm_ids)),
            store=store,
        )
    except (InvalidInput, NotFound) as error:
        raise AccountError(str(error)) from None


def _existing_user(store: Any, user_id: int | None) -> Any:
    user = get_user(store, user_id) if user_id is not None else None
    if user is None:
        raise AccountError(f"User id {user_id} not found; reload the page.")
    return user


def _checked_roles(roles: Iterable[str]) -> tuple[str, ...]:
    try:
        return validate_roles(list(roles))
    except ValueError as error:
        raise AccountError(str(error)) from None


def _keep_an_administrator(
    store: Any, user: Any, remaining_roles: Iterable[str]
) -> None:
    """Raise ``AccountError`` if the change would leave no active administrator."""
    if ADMINISTRATOR not in user.roles or ADMINISTRATOR in remaining_roles:
        return
    others = [
        other
        for other in list_users(store)
        if other.id != user.id and other.is_active and ADMINISTRATOR in other.roles
    ]
    if not others:
        raise AccountError(
            f"{user.username!r} is the last active administrator; make another "
            "user an administrator first."
        )
