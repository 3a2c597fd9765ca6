"""Login checks against a real embedded store: lockout, sessions, timing, audit."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest
from access_helpers import ADMIN_PASSWORD, USER_PASSWORD, audit_actions

from auth import accounts, login, sessions
from auth.timing import utc_now
from runtime.config import load_settings
from storage.errors import AccessDenied


@pytest.fixture
def settings():
    return load_settings()


def test_correct_password_starts_session(store, administrator, settings):
    outcome = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings)
    assert outcome.session_token is not None
    assert outcome.actor.username == "admin"
    assert outcome.actor.roles == frozenset({"administrator"})
    check = sessions.resume_session(store, outcome.session_token, settings)
    assert check.actor is not None
    assert check.actor.user_id == administrator.user_id


def test_username_case_and_spaces_ignored(store, administrator, settings):
    outcome = login.attempt_login(store, "  Admin ", ADMIN_PASSWORD, settings)
    assert outcome.session_token is not None


def test_session_token_stored_only_as_hash(store, administrator, settings):
    from sqlalchemy import select

    from storage.models import LoginSessionRow

    token = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings).session_token
    with store.db.transaction("*") as session:
        stored = list(session.scalars(select(LoginSessionRow.token_hash)))
    assert stored == [sessions.hash_token(token)]
    assert token not in stored


def test_wrong_and_unknown_give_same_message(store, administrator, settings):
    wrong = login.attempt_login(store, "admin", "Not-the-password-1", settings)
    unknown = login.attempt_login(store, "nobody", "Not-the-password-1", settings)
    assert wrong.session_token is None
    assert unknown.session_token is None
    assert wrong.message == unknown.message
    assert wrong.message == login.failure_message(settings)


def test_password_not_trimmed_at_login(store, administrator, settings):
    padded = "  Padded-Password-9  "
    accounts.add_user(store, administrator, "spacey", "", padded, padded, ["viewer"])
    trimmed = login.attempt_login(store, "spacey", padded.strip(), settings)
    exact = login.attempt_login(store, "spacey", padded, settings)
    assert trimmed.session_token is None
    assert exact.session_token is not None


def test_over_long_password_at_login_is_wrong(store, administrator, settings):
    outcome = login.attempt_login(store, "admin", ADMIN_PASSWORD + "x" * 100, settings)
    assert outcome.session_token is None
    assert outcome.message == login.failure_message(settings)


def test_over_long_password_rejected_when_set(store, administrator):
    from auth.passwords import PasswordPolicyError

    long_password = "Capital-1" * 9
    with pytest.raises(PasswordPolicyError, match="at most 72 bytes"):
        accounts.add_user(
            store, administrator, "longpw", "", long_password, long_password, ["viewer"]
        )
    assert accounts.find_user(store, "longpw") is None


def test_five_wrong_passwords_lock_account(store, administrator, viewer, settings):
    assert settings.lockout_attempts == 5
    for _ in range(5):
        login.attempt_login(store, "manager", "Wrong-password-12", settings)
    user = accounts.find_user(store, "manager")
    assert user.failed_attempts == 5
    assert user.locked_until is not None
    locked = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    assert locked.session_token is None
    assert locked.message == login.failure_message(settings)
    actions = audit_actions(store, administrator)
    assert actions.count("user.login_failed") == 6
    assert actions.count("user.locked") == 1


def test_four_wrong_passwords_do_not_lock(store, administrator, viewer, settings):
    for _ in range(4):
        login.attempt_login(store, "manager", "Wrong-password-12", settings)
    outcome = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    assert outcome.session_token is not None
    assert accounts.find_user(store, "manager").failed_attempts == 0


def test_lock_ends_after_configured_minutes(store, administrator, viewer):
    settings = load_settings({"ICARA_DATA_DIR": "unused", "LOCKOUT_MINUTES": "2"})
    start = utc_now()
    for _ in range(5):
        login.attempt_login(store, "manager", "Wrong-password-12", settings, start)
    user = accounts.find_user(store, "manager")
    assert user.locked_until == pytest.approx(
        start + dt.timedelta(minutes=2), abs=dt.timedelta(seconds=1)
    )
    during = start + dt.timedelta(minutes=1, seconds=59)
    after = start + dt.timedelta(minutes=2, seconds=1)
    assert (
        login.attempt_login(
            store, "manager", USER_PASSWORD, settings, during
        ).session_token
        is None
    )
    assert (
        login.attempt_login(
            store, "manager", USER_PASSWORD, settings, after
        ).session_token
        is not None
    )


def test_lockout_reads_database_each_attempt(store, administrator, viewer, settings):
    for _ in range(5):
        login.attempt_login(store, "manager", "Wrong-password-12", settings)
    accounts.unlock_user(store, administrator, viewer.user_id)
    outcome = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    assert outcome.session_token is not None


def test_disabled_user_cannot_log_in(store, administrator, viewer, settings):
    accounts.set_user_active(store, administrator, viewer.user_id, False)
    outcome = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    assert outcome.session_token is None
    assert outcome.message == login.failure_message(settings)


def test_unknown_user_takes_as_long_as_wrong_password(store, administrator, settings):
    wrong_times, unknown_times = [], []
    for _ in range(4):
        started = time.perf_counter()
        login.attempt_login(store, "admin", "Wrong-password-12", settings)
        wrong_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        login.attempt_login(store, "nobody", "Wrong-password-12", settings)
        unknown_times.append(time.perf_counter() - started)
        accounts.unlock_user(store, administrator, administrator.user_id)
    wrong = statistics.median(wrong_times)
    unknown = statistics.median(unknown_times)
    # Both failures run one bcrypt check and then wait out the one-second
    # floor. A path that skipped either would fall well outside the 35% band.
    assert unknown > 0.65 * wrong
    assert unknown < 1.35 * wrong


def test_failed_login_takes_minimum_time(store, administrator, settings):
    started = time.monotonic()
    login.attempt_login(store, "nobody", "Wrong-password-12", settings)
    assert time.monotonic() - started >= login.FAILED_LOGIN_MINIMUM_SECONDS


def test_logout_revokes_session(store, administrator, settings):
    outcome = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings)
    sessions.end_session(store, outcome.session_token, outcome.actor)
    check = sessions.resume_session(store, outcome.session_token, settings)
    assert check.actor is None
    assert "user.logout" in audit_actions(store, administrator)


def test_idle_session_expires(store, administrator):
    settings = load_settings({"ICARA_DATA_DIR": "unused", "SESSION_IDLE_MINUTES": "5"})
    start = utc_now()
    token = login.attempt_login(
        store, "admin", ADMIN_PASSWORD, settings, start
    ).session_token
    still = sessions.resume_session(
        store, token, settings, start + dt.timedelta(minutes=4)
    )
    assert still.actor is not None
    expired = sessions.resume_session(
        store, token, settings, start + dt.timedelta(minutes=5, seconds=1)
    )
    assert expired.actor is None
    assert "5 minutes without activity" in expired.message
    again = sessions.resume_session(store, token, settings, start)
    assert again.actor is None
    assert "user.session_expired" in audit_actions(store, administrator)


def test_activity_keeps_session_alive(store, administrator):
    settings = load_settings({"ICARA_DATA_DIR": "unused", "SESSION_IDLE_SECONDS": "2"})
    token = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings).session_token
    started = time.monotonic()
    for checkpoint in (1.2, 2.4):
        time.sleep(max(0.0, started + checkpoint - time.monotonic()))
        assert sessions.resume_session(store, token, settings).actor is not None
    time.sleep(2.2)
    assert sessions.resume_session(store, token, settings).actor is None


def test_idle_seconds_override(store, administrator):
    settings = load_settings({"ICARA_DATA_DIR": "unused", "SESSION_IDLE_SECONDS": "3"})
    token = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings).session_token
    # The database stamped last_seen_at before this moment.
    logged_in = utc_now()
    expired = sessions.resume_session(
        store, token, settings, logged_in + dt.timedelta(seconds=3)
    )
    assert expired.actor is None
    assert "3 seconds without activity" in expired.message


def test_session_has_absolute_lifetime(store, administrator):
    from auth.timing import ABSOLUTE_SESSION_LIFETIME

    settings = load_settings(
        {"ICARA_DATA_DIR": "unused", "SESSION_IDLE_MINUTES": "720"}
    )
    start = utc_now()
    token = login.attempt_login(
        store, "admin", ADMIN_PASSWORD, settings, start
    ).session_token
    before_end = start + ABSOLUTE_SESSION_LIFETIME - dt.timedelta(minutes=1)
    after_end = start + ABSOLUTE_SESSION_LIFETIME + dt.timedelta(seconds=1)
    assert sessions.resume_session(store, token, settings, before_end).actor
    ended = sessions.resume_session(store, token, settings, after_end)
    assert ended.actor is None
    assert "maximum length of 12 hours" in ended.message


def test_password_reset_ends_all_sessions(store, administrator, viewer, settings):
    first = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    second = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    new_password = "Brand-New-Secret-42"
    accounts.reset_password(
        store, administrator, viewer.user_id, new_password, new_password
    )
    for token in (first.session_token, second.session_token):
        assert sessions.resume_session(store, token, settings).actor is None
    assert login.attempt_login(store, "manager", USER_PASSWORD, settings).actor is None
    assert login.attempt_login(store, "manager", new_password, settings).actor
    assert "user.password_changed" in audit_actions(store, administrator)


def test_password_change_ends_other_sessions(store, administrator, viewer, settings):
    this_tab = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    elsewthis_tab = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    new_password = "Brand-New-Secret-42"
    changed = accounts.change_own_password(
        store,
        this_tab.actor,
        USER_PASSWORD,
        new_password,
        new_password,
        sessions.hash_token(this_tab.session_token),
    )
    assert changed
    assert sessions.resume_session(store, this_tab.session_token, settings).actor
    assert (
        sessions.resume_session(store, elsewthis_tab.session_token, settings).actor
        is None
    )
    assert "user.password_changed" in audit_actions(store, administrator)


def test_password_change_needs_current_password(store, administrator, viewer, settings):
    this_tab = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    new_password = "Brand-New-Secret-42"
    changed = accounts.change_own_password(
        store, this_tab.actor, "Wrong-password-12", new_password, new_password, None
    )
    assert not changed
    assert login.attempt_login(store, "manager", USER_PASSWORD, settings).actor


def test_disabling_user_ends_sessions(store, administrator, viewer, settings):
    token = login.attempt_login(store, "manager", USER_PASSWORD, settings).session_token
    accounts.set_user_active(store, administrator, viewer.user_id, False)
    assert sessions.resume_session(store, token, settings).actor is None


def test_role_change_applies_at_next_rerun(store, administrator, viewer, settings):
    token = login.attempt_login(store, "manager", USER_PASSWORD, settings).session_token
    accounts.set_roles(store, administrator, viewer.user_id, ["analyst"])
    actor = sessions.resume_session(store, token, settings).actor
    assert actor.roles == frozenset({"analyst"})
    entries = store.list_audit(administrator, limit=50)
    change = next(entry for entry in entries if entry.action == "user.roles_changed")
    assert change.detail["before"] == ["viewer"]
    assert change.detail["after"] == ["analyst"]


def test_non_administrator_cannot_manage_users(store, administrator, viewer):
    with pytest.raises(AccessDenied):
        accounts.add_user(
            store, viewer, "intruder", "", USER_PASSWORD, USER_PASSWORD, ["viewer"]
        )
    with pytest.raises(AccessDenied):
        accounts.set_roles(store, viewer, viewer.user_id, ["administrator"])
    with pytest.raises(AccessDenied):
        accounts.reset_password(
            store, viewer, administrator.user_id, USER_PASSWORD, USER_PASSWORD
        )


def test_last_administrator_kept(store, administrator):
    with pytest.raises(accounts.AccountError, match="last active administrator"):
        accounts.set_roles(store, administrator, administrator.user_id, ["viewer"])


def test_cannot_disable_own_account(store, administrator):
    with pytest.raises(accounts.AccountError, match="your own account"):
        accounts.set_user_active(store, administrator, administrator.user_id, False)


def test_first_administrator_only_once(store, administrator):
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.create_first_administrator(
            store, "second", ADMIN_PASSWORD, ADMIN_PASSWORD
        )


def test_every_account_event_audited(store, administrator, viewer, settings):
    token = login.attempt_login(store, "manager", USER_PASSWORD, settings)
    login.attempt_login(store, "manager", "Wrong-password-12", settings)
    sessions.end_session(store, token.session_token, token.actor)
    accounts.set_roles(store, administrator, viewer.user_id, ["viewer", "analyst"])
    actions = audit_actions(store, administrator)
    for expected in (
        "user.created",
        "user.login",
        "user.login_failed",
        "user.logout",
        "user.roles_changed",
    ):
        assert expected in actions


def test_failed_login_audit_omits_password_like_username(
    store, administrator, settings
):
    login.attempt_login(store, "My Secret Pass!", "whatever-1234", settings)
    entries = store.list_audit(administrator, limit=10)
    failed = next(entry for entry in entries if entry.action == "user.login_failed")
    assert failed.detail["username"] == "(invalid)"


def test_session_check_does_not_count_as_use(store, administrator):
    settings = load_settings({"ICARA_DATA_DIR": "unused", "SESSION_IDLE_SECONDS": "60"})
    token = login.attempt_login(store, "admin", ADMIN_PASSWORD, settings).session_token
    record = accounts.get_login_session(store, sessions.hash_token(token))
    logged_in = utc_now()
    assert sessions.is_session_current(store, token, settings)
    late = logged_in + dt.timedelta(seconds=61)
    assert not sessions.is_session_current(store, token, settings, late)
    after = accounts.get_login_session(store, sessions.hash_token(token))
    assert after.last_seen_at == record.last_seen_at
    assert after.revoked_at is None


def test_session_check_rejects_unknown_token(store, administrator, settings):
    assert not sessions.is_session_current(store, "not-a-real-token", settings)


def test_identity_login_maps_email(store, administrator, settings):
    accounts.add_user(
        store,
        administrator,
        "jo@firm.example",
        "Jo",
        USER_PASSWORD,
        USER_PASSWORD,
        ["analyst"],
    )
    outcome = login.attempt_identity_login(store, "Jo@Firm.example", True, settings)
    assert outcome.actor.username == "jo@firm.example"
    assert outcome.actor.roles == frozenset({"analyst"})
    assert sessions.resume_session(store, outcome.session_token, settings).actor


def test_identity_login_rejects_unknown_email(store, administrator, settings):
    outcome = login.attempt_identity_login(store, "who@firm.example", True, settings)
    assert outcome.session_token is None
    assert "no active account" in outcome.message
    assert "user.login_failed" in audit_actions(store, administrator)


def test_identity_login_rejects_unverified(store, administrator, settings):
    accounts.add_user(
        store,
        administrator,
        "jo@firm.example",
        "",
        USER_PASSWORD,
        USER_PASSWORD,
        ["viewer"],
    )
    outcome = login.attempt_identity_login(store, "jo@firm.example", False, settings)
    assert outcome.session_token is None


def test_identity_login_rejects_disabled(store, administrator, settings):
    user = accounts.add_user(
        store,
        administrator,
        "jo@firm.example",
        "",
        USER_PASSWORD,
        USER_PASSWORD,
        ["viewer"],
    )
    accounts.set_user_active(store, administrator, user.id, False)
    outcome = login.attempt_identity_login(store, "jo@firm.example", True, settings)
    assert outcome.session_token is None
