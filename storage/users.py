"""Login accounts and sessions for ``auth/``.

Passwords arrive already hashed (bcrypt, by ``auth``) and session tokens as
their SHA-256 hex digest (``hash_session_token``), so neither a password nor a
token is stored. Administrative changes write an audit row. Each function takes
an optional ``store``, which defaults to ``get_store()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit as audit_log
from storage.actor import ROLES, Actor
from storage.errors import InvalidInput, NotFound
from storage.models import FirmRow, LoginSessionRow, UserFirmRow, UserRow, utc_now
from storage.records import LoginSession, User
from storage.store import Store

logger = logging.getLogger(__name__)

SESSION_TOKEN_BYTES = 32


def _store(store: Store | None) -> Store:
    if store is not None:
        return store
    from storage.registry import get_store

    return get_store()


def new_session_token() -> tuple[str, str]:
    """Return a random URL-safe token and its SHA-256 hex digest to store."""
    token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
    return token, hash_session_token(token)


def hash_session_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a session token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(roles)
    if not chosen or not chosen <= ROLES:
        raise InvalidInput(
            f"roles must be a non-empty subset of {sorted(ROLES)}, "
            f"got {sorted(chosen)}."
        )
    return chosen


def _require_administrator(store: Store, actor: Actor, operation: str) -> None:
    if not actor.is_administrator:
        store.deny(actor, operation, None)


def _firm_ids(session: Session, user_id: int) -> frozenset[int]:
    return frozenset(
        session.scalars(
            select(UserFirmRow.firm_id).where(UserFirmRow.user_id == user_id)
        )
    )


def _user(session: Session, row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        password_hash=row.password_hash,
        roles=frozenset(role for role in row.roles.split(",") if role),
        firm_ids=_firm_ids(session, row.id),
        is_active=row.is_active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        password_changed_at=row.password_changed_at,
        last_login_at=row.last_login_at,
        created_at=row.created_at,
    )


def _login_session(row: LoginSessionRow) -> LoginSession:
    return LoginSession(
        id=row.id,
        user_id=row.user_id,
        token_hash=row.token_hash,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        user_agent=row.user_agent,
    )


def _get_row(session: Session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"User {user_id} not found.")
    return row


def _replace_firms(session: Session, user_id: int, firm_ids: Iterable[int]) -> None:
    chosen = sorted(set(firm_ids))
    if chosen:
        found = set(session.scalars(select(FirmRow.id).where(FirmRow.id.in_(chosen))))
        missing = sorted(set(chosen) - found)
        if missing:
            raise NotFound(f"Firm(s) {missing} not found; create them first.")
    session.execute(delete(UserFirmRow).where(UserFirmRow.user_id == user_id))
    session.add_all(UserFirmRow(user_id=user_id, firm_id=firm_id) for firm_id in chosen)
    session.flush()


def user_actor(user: User) -> Actor:
    """Return the ``Actor`` that acts for a user in storage calls."""
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=user.roles,
        firm_ids=user.firm_ids,
    )


# -- accounts --------------------------------------------------------------


def count_users(store: Store | None = None) -> int:
    """Return how many accounts exist (zero before the first administrator)."""
    with _store(store).db.transaction("") as session:
        return session.scalar(select(func.count()).select_from(UserRow)) or 0


def create_user(
    actor: Actor,
    username: str,
    display_name: str,
    password_hash: str,
    roles: Iterable[str],
    firm_ids: Iterable[int] = (),
    *,
    store: Store | None = None,
) -> User:
    """Create an account; administrators only (``Actor.system`` at first run)."""
    store = _store(store)
    _require_administrator(store, actor, "create a user")
    chosen_roles = _check_roles(roles)
    username = username.strip() if isinstance(username, str) else ""
    if not username or len(username) > 150:
        raise InvalidInput("username must be 1 to 150 characters.")
    if not password_hash.startswith("$2"):
        raise InvalidInput("password_hash must be a bcrypt hash, not a password.")
    now = utc_now()
    try:
        with store.db.transaction("*", write=True) as session:
            row = UserRow(
                username=username,
                display_name=display_name or username,
                password_hash=password_hash,
                roles=",".join(sorted(chosen_roles)),
                is_active=True,
                failed_attempts=0,
                password_changed_at=now,
                created_at=now,
            )
            session.add(row)
            session.flush()
            _replace_firms(session, row.id, firm_ids)
            audit_log.append(
                session,
                actor,
                "user.created",
                None,
                {
                    "user_id": row.id,
                    "username": username,
                    "roles": sorted(chosen_roles),
                    "firm_ids": sorted(set(firm_ids)),
                },
            )
            user = _user(session, row)
    except IntegrityError:
        raise InvalidInput(f"A user named {username!r} already exists.") from None
    logger.info("Created user id=%s by %s", user.id, actor.username)
    return user


def get_user_by_username(username: str, store: Store | None = None) -> User | None:
    """Return the account with this username, or ``None``."""
    with _store(store).db.transaction("") as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        return None if row is None else _user(session, row)


def get_user(user_id: int, store: Store | None = None) -> User | None:
    """Return the account with this id, or ``None``."""
    with _store(store).db.transaction("") as session:
        row = session.get(UserRow, user_id)
        return None if row is None else _user(session, row)


def list_users(actor: Actor, store: Store | None = None) -> list[User]:
    """Return every account by username; administrators only."""
    store = _store(store)
    _require_administrator(store, actor, "list users")
    with store.db.transaction("") as session:
        rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
        return [_user(session, row) for row in rows]


def update_user_roles(
    actor: Actor, user_id: int, roles: Iterable[str], store: Store | None = None
) -> User:
    """Replace a user's roles; administrators only."""
    store = _store(store)
    _require_administrator(store, actor, "change user roles")
    chosen = _check_roles(roles)
    with store.db.transaction("*", write=True) as session:
        row = _get_row(session, user_id)
        before = row.roles
        row.roles = ",".join(sorted(chosen))
        audit_log.append(
            session,
            actor,
            "user.roles_changed",
            None,
            {"user_id": user_id, "before": before.split(","), "after": sorted(chosen)},
        )
        return _user(session, row)


def set_user_active(
    actor: Actor, user_id: int, active: bool, store: Store | None = None
) -> User:
    """Enable or disable an account; disabling revokes its sessions."""
    store = _store(store)
    _require_administrator(store, actor, "enable or disable a user")
    with store.db.transaction("*", write=True) as session:
        row = _get_row(session, user_id)
        row.is_active = bool(active)
        if not active:
            _revoke_sessions(session, user_id, None)
        audit_log.append(
            session,
            actor,
            "user.enabled" if active else "user.disabled",
            None,
            {"user_id": user_id},
        )
        return _user(session, row)


def set_user_firms(
    actor: Actor, user_id: int, firm_ids: Iterable[int], store: Store | None = None
) -> User:
    """Replace the firms a user may access; administrators only."""
    store = _store(store)
    _require_administrator(store, actor, "change a user's firms")
    chosen = sorted(set(firm_ids))
    with store.db.transaction("*", write=True) as session:
        row = _get_row(session, user_id)
        _replace_firms(session, user_id, chosen)
        audit_log.append(
            session,
            actor,
            "user.firms_changed",
            None,
            {"user_id": user_id, "firm_ids": chosen},
        )
        return _user(session, row)


def set_password_hash(
    actor: Actor,
    user_id: int,
    password_hash: str,
    except_session_id: int | None = None,
    store: Store | None = None,
) -> None:
    """Store a new bcrypt hash and revoke the user's other sessions.

    The user may change their own password; changing someone else's needs an
    administrator. ``except_session_id`` keeps the session making the change.
    """
    store = _store(store)
    if actor.user_id != user_id:
        _require_administrator(store, actor, "change another user's password")
    if not password_hash.startswith("$2"):
        raise InvalidInput("password_hash must be a bcrypt hash, not a password.")
    with store.db.transaction("*", write=True) as session:
        row = _get_row(session, user_id)
        row.password_hash = password_hash
        row.password_changed_at = utc_now()
        row.failed_attempts = 0
        row.locked_until = None
        revoked = _revoke_sessions(session, user_id, except_session_id)
        audit_log.append(
            session,
            actor,
            "user.password_changed",
            None,
            {"user_id": user_id, "sessions_revoked": revoked},
        )
    logger.info(
        "Password changed for user id=%s; %s sessions revoked", user_id, revoked
    )


def record_failed_login(user_id: int, store: Store | None = None) -> int:
    """Add one to the user's consecutive failed logins; return the new count.

    The increment is one ``UPDATE ... RETURNING`` statement, because a read
    followed by a write lets parallel attempts on PostgreSQL overwrite each
    other's counts, so that a burst of wrong passwords never reaches the lockout.
    """
    statement = (
        update(UserRow)
        .where(UserRow.id == user_id)
        .values(failed_attempts=UserRow.failed_attempts + 1)
        .returning(UserRow.failed_attempts)
    )
    with _store(store).db.transaction("", write=True) as session:
        count = session.execute(statement).scalar_one_or_none()
    if count is None:
        raise NotFound(f"User {user_id} not found.")
    return count


def reset_failed_logins(
    user_id: int, *, successful_login: bool = True, store: Store | None = None
) -> None:
    """Clear the failed-login count and lock; stamp ``last_login_at`` if asked."""
    with _store(store).db.transaction("", write=True) as session:
        row = _get_row(session, user_id)
        row.failed_attempts = 0
        row.locked_until = None
        if successful_login:
            row.last_login_at = utc_now()


def lock_user(user_id: int, until: dt.datetime, store: Store | None = None) -> None:
    """Lock an account until a UTC time (after too many failed logins); audited."""
    store = _store(store)
    with store.db.transaction("*", write=True) as session:
        row = _get_row(session, user_id)
        row.locked_until = until
        audit_log.append(
            session,
            Actor.system("lockout"),
            "user.locked",
            None,
            {"user_id": user_id, "until": until.isoformat()},
        )
    logger.warning("Locked user id=%s until %s", user_id, until.isoformat())


# -- sessions --------------------------------------------------------------


def create_login_session(
    user_id: int,
    token_hash: str,
    expires_at: dt.datetime,
    user_agent: str | None = None,
    store: Store | None = None,
) -> LoginSession:
    """Store a new session under the SHA-256 hex digest of its token."""
    if len(token_hash) != 64 or any(c not in "0123456789abcdef" for c in token_hash):
        raise InvalidInput("token_hash must be a lower-case SHA-256 hex digest.")
    now = utc_now()
    with _store(store).db.transaction("", write=True) as session:
        _get_row(session, user_id)
        row = LoginSessionRow(
            user_id=user_id,
            token_hash=token_hash,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            user_agent=(user_agent or None) and user_agent[:400],
        )
        session.add(row)
        session.flush()
        return _login_session(row)


def get_login_session_by_token_hash(
    token_hash: str, store: Store | None = None
) -> LoginSession | None:
    """Return the session stored under ``token_hash`` (even if expired), or None."""
    with _store(store).db.transaction("") as session:
        row = session.scalar(
            select(LoginSessionRow).where(LoginSessionRow.token_hash == token_hash)
        )
        return None if row is None else _login_session(row)


def touch_login_session(
    session_id: int,
    expires_at: dt.datetime | None = None,
    store: Store | None = None,
    *,
    seen_at: dt.datetime | None = None,
) -> None:
    """Record activity on a session and optionally extend its expiry.

    ``seen_at`` (UTC) replaces the current time, for callers that run their
    session checks on an injected clock.
    """
    values: dict[str, dt.datetime] = {"last_seen_at": seen_at or utc_now()}
    if expires_at is not None:
        values["expires_at"] = expires_at
    with _store(store).db.transaction("", write=True) as session:
        session.execute(
            update(LoginSessionRow)
            .where(LoginSessionRow.id == session_id)
            .values(**values)
        )


def revoke_login_session(session_id: int, store: Store | None = None) -> None:
    """End one session (logout)."""
    with _store(store).db.transaction("", write=True) as session:
        session.execute(
            update(LoginSessionRow)
            .where(
                LoginSessionRow.id == session_id, LoginSessionRow.revoked_at.is_(None)
            )
            .values(revoked_at=utc_now())
        )


def revoke_user_sessions(
    user_id: int, except_session_id: int | None = None, store: Store | None = None
) -> int:
    """End every live session of a user except one; return how many ended."""
    with _store(store).db.transaction("", write=True) as session:
        return _revoke_sessions(session, user_id, except_session_id)


def _revoke_sessions(
    session: Session, user_id: int, except_session_id: int | None
) -> int:
    statement = (
        update(LoginSessionRow)
        .where(LoginSessionRow.user_id == user_id, LoginSessionRow.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    if except_session_id is not None:
        statement = statement.where(LoginSessionRow.id != except_session_id)
    return session.execute(statement).rowcount or 0
