"""Accounts and login sessions used by auth/."""

from __future__ import annotations

import datetime as dt

import pytest
from storage_helpers import analyst

from storage import users
from storage.errors import AccessDenied, InvalidInput, NotFound

HASH_ONE = "$2b$12$" + "a" * 53
HASH_TWO = "$2b$12$" + "b" * 53


def _later(minutes: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)


def test_create_and_find_user(store, admin):
    assert users.count_users(store=store) == 0
    firm = store.create_firm(admin, "Users Ltd")
    created = users.create_user(
        admin, "dana", "Dana Scott", HASH_ONE, {"analyst"}, {firm.id}, store=store
    )
    assert users.count_users(store=store) == 1
    found = users.get_user_by_username("dana", store=store)
    assert found == created
    assert found.roles == {"analyst"}
    assert found.firm_ids == {firm.id}
    assert users.get_user(created.id, store=store).username == "dana"
    assert users.get_user_by_username("nobody", store=store) is None
    actor = users.user_actor(found)
    assert actor.can_access_firm(firm.id)
    with pytest.raises(InvalidInput, match="already exists"):
        users.create_user(admin, "dana", "D", HASH_ONE, {"viewer"}, store=store)
    with pytest.raises(InvalidInput, match="bcrypt"):
        users.create_user(admin, "eve", "E", "plain-password", {"viewer"}, store=store)
    with pytest.raises(NotFound):
        users.create_user(admin, "fay", "F", HASH_ONE, {"viewer"}, {999}, store=store)


def test_admin_changes_audited(store, admin):
    firm = store.create_firm(admin, "Roles Ltd")
    user = users.create_user(admin, "gil", "Gil", HASH_ONE, {"viewer"}, store=store)
    users.update_user_roles(admin, user.id, {"analyst", "viewer"}, store=store)
    users.set_user_firms(admin, user.id, [firm.id], store=store)
    users.set_user_active(admin, user.id, False, store=store)
    changed = users.get_user(user.id, store=store)
    assert changed.roles == {"analyst", "viewer"}
    assert changed.firm_ids == {firm.id}
    assert not changed.is_active
    actions = [entry.action for entry in store.list_audit(admin, limit=10)]
    assert actions[:4] == [
        "user.disabled",
        "user.firms_changed",
        "user.roles_changed",
        "user.created",
    ]
    assert [u.username for u in users.list_users(admin, store=store)] == ["gil"]


def test_non_admin_cannot_manage(store, admin):
    firm = store.create_firm(admin, "Manage Ltd")
    user = users.create_user(admin, "hal", "Hal", HASH_ONE, {"analyst"}, store=store)
    outsider = analyst({firm.id})
    with pytest.raises(AccessDenied):
        users.create_user(outsider, "ivy", "Ivy", HASH_ONE, {"viewer"}, store=store)
    with pytest.raises(AccessDenied):
        users.update_user_roles(outsider, user.id, {"administrator"}, store=store)
    with pytest.raises(AccessDenied):
        users.list_users(outsider, store=store)
    with pytest.raises(AccessDenied):
        users.set_password_hash(outsider, user.id, HASH_TWO, store=store)


def test_sessions_and_password_change(store, admin):
    user = users.create_user(admin, "jo", "Jo", HASH_ONE, {"viewer"}, store=store)
    token, token_hash = users.new_session_token()
    assert users.hash_session_token(token) == token_hash
    first = users.create_login_session(
        user.id, token_hash, _later(30), "pytest", store=store
    )
    _, other_hash = users.new_session_token()
    second = users.create_login_session(user.id, other_hash, _later(30), store=store)
    found = users.get_login_session_by_token_hash(token_hash, store=store)
    assert found == first
    assert found.is_live(dt.datetime.now(dt.UTC))
    users.touch_login_session(first.id, expires_at=_later(60), store=store)
    touched = users.get_login_session_by_token_hash(token_hash, store=store)
    assert touched.expires_at > first.expires_at
    seen = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    users.touch_login_session(first.id, store=store, seen_at=seen)
    stamped = users.get_login_session_by_token_hash(token_hash, store=store)
    assert stamped.last_seen_at == seen

    self_actor = users.user_actor(user)
    users.set_password_hash(
        self_actor, user.id, HASH_TWO, except_session_id=first.id, store=store
    )
    assert users.get_user(user.id, store=store).password_hash == HASH_TWO
    assert (
        users.get_login_session_by_token_hash(token_hash, store=store).revoked_at
        is None
    )
    revoked = users.get_login_session_by_token_hash(other_hash, store=store)
    assert revoked.revoked_at is not None
    assert revoked.id == second.id
    users.revoke_login_session(first.id, store=store)
    assert not users.get_login_session_by_token_hash(token_hash, store=store).is_live(
        dt.datetime.now(dt.UTC)
    )
    with pytest.raises(InvalidInput, match="SHA-256"):
        users.create_login_session(user.id, token, _later(5), store=store)


def test_failed_logins_and_lock(store, admin):
    user = users.create_user(admin, "kim", "Kim", HASH_ONE, {"viewer"}, store=store)
    assert users.record_failed_login(user.id, store=store) == 1
    assert users.record_failed_login(user.id, store=store) == 2
    until = _later(15)
    users.lock_user(user.id, until, store=store)
    locked = users.get_user(user.id, store=store)
    assert locked.failed_attempts == 2
    assert abs((locked.locked_until - until).total_seconds()) < 1
    users.reset_failed_logins(user.id, store=store)
    reset = users.get_user(user.id, store=store)
    assert reset.failed_attempts == 0
    assert reset.locked_until is None
    assert reset.last_login_at is not None
    assert store.list_audit(admin, limit=1)[0].action == "user.locked"


def test_revoke_user_sessions(store, admin):
    user = users.create_user(admin, "lee", "Lee", HASH_ONE, {"viewer"}, store=store)
    keep = users.create_login_session(
        user.id, users.new_session_token()[1], _later(5), store=store
    )
    for _ in range(3):
        users.create_login_session(
            user.id, users.new_session_token()[1], _later(5), store=store
        )
    assert (
        users.revoke_user_sessions(user.id, except_session_id=keep.id, store=store) == 3
    )
    assert users.revoke_user_sessions(user.id, store=store) == 1
