"""Login, lockout and session revocation on PostgreSQL, as owner and as app role."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from access_helpers import ADMIN_PASSWORD, USER_PASSWORD

from auth import accounts, login, sessions
from runtime.config import load_settings
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.migrate import upgrade_to_head
from storage.postgres import create_app_role
from storage.store import Store

pytestmark = pytest.mark.postgres


@pytest.fixture
def migrated_url(fresh_postgres_url: str) -> str:
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()
    return fresh_postgres_url


@pytest.fixture
def environ(migrated_url, tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": migrated_url,
        "ICARA_DATA_DIR": str(tmp_path / "data"),
        "ENCRYPTION_KEY": generate_master_key(),
    }


@pytest.fixture
def app_role_url(migrated_url: str):
    """A fresh application role (row-level security applies); dropped afterwards."""
    name = f"icara_auth_{uuid.uuid4().hex[:10]}"
    owner = sa.create_engine(migrated_url)
    create_app_role(owner, name)
    url = sa.engine.make_url(migrated_url).set(username=name, password=None)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with owner.begin() as connection:
            connection.execute(
                sa.text(
                    "select pg_terminate_backend(pid) from pg_stat_activity "
                    "where usename = :name"
                ),
                {"name": name},
            )
            connection.execute(sa.text(f'drop owned by "{name}"'))
            connection.execute(sa.text(f'drop role "{name}"'))
        owner.dispose()


@pytest.fixture(params=["owner", "app role"])
def pg_store(request, environ):
    settings = load_settings(environ)
    database_url = None
    if request.param == "app role":
        database_url = request.getfixturevalue("app_role_url")
    store = Store(settings, database_url=database_url)
    yield store
    store.close()


def seed(store) -> tuple:
    admin_user = accounts.create_first_administrator(
        store, "admin", ADMIN_PASSWORD, ADMIN_PASSWORD
    )
    administrator = accounts.actor_for(store, admin_user)
    viewer_user = accounts.add_user(
        store, administrator, "manager", "", USER_PASSWORD, USER_PASSWORD, ["viewer"]
    )
    return administrator, accounts.actor_for(store, viewer_user)


def test_login_logout_on_postgres(pg_store, environ):
    settings = load_settings(environ)
    seed(pg_store)
    outcome = login.attempt_login(pg_store, "manager", USER_PASSWORD, settings)
    assert sessions.resume_session(pg_store, outcome.session_token, settings).actor
    sessions.end_session(pg_store, outcome.session_token, outcome.actor)
    check = sessions.resume_session(pg_store, outcome.session_token, settings)
    assert check.actor is None


def test_lockout_on_postgres(pg_store, environ):
    settings = load_settings(environ)
    seed(pg_store)
    for _ in range(5):
        login.attempt_login(pg_store, "manager", "Wrong-password-12", settings)
    assert accounts.find_user(pg_store, "manager").locked_until is not None
    outcome = login.attempt_login(pg_store, "manager", USER_PASSWORD, settings)
    assert outcome.session_token is None


def test_parallel_wrong_passwords_still_lock(pg_store, environ):
    settings = load_settings(environ)
    seed(pg_store)

    def attempt(_index: int) -> None:
        login.attempt_login(pg_store, "manager", "Wrong-password-12", settings)

    with ThreadPoolExecutor(max_workers=5) as pool:
        list(pool.map(attempt, range(5)))
    user = accounts.find_user(pg_store, "manager")
    assert user.failed_attempts == 5
    assert user.locked_until is not None


def test_reset_ends_sessions_on_postgres(pg_store, environ):
    settings = load_settings(environ)
    administrator, viewer = seed(pg_store)
    token = login.attempt_login(
        pg_store, "manager", USER_PASSWORD, settings
    ).session_token
    new_password = "Brand-New-Secret-42"
    accounts.reset_password(
        pg_store, administrator, viewer.user_id, new_password, new_password
    )
    assert sessions.resume_session(pg_store, token, settings).actor is None
