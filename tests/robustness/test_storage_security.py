"""Storage security: other firms' ids, viewers writing, injection, leaked secrets.

A user of one firm passes another firm's ids to every store method. Each call
must raise ``AccessDenied`` and leave an ``access.denied`` audit row, and no
message or log line may contain a key, a password or a client figure.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from storage.actor import Actor
from storage.crypto import generate_master_key
from storage.database import make_engine
from storage.errors import AccessDenied, InvalidInput, NotFound, StorageError
from storage.migrate import upgrade_to_head
from storage.store import Store
from storage.users import create_user, get_user_by_username
from tests.robustness.storage_services import settings_for

pytestmark = pytest.mark.postgres

SECRET_FIGURE = 987_654_321.77
RESULT = {"calculator": "k_aum", "value": SECRET_FIGURE, "unit": "GBP"}

INJECTIONS = [
    "Robert'); DROP TABLE calculations;--",
    "x' OR '1'='1",
    '"; delete from firms; --',
    "firm\\'; select pg_sleep(5); --",
    "名前 \u202e\u0000-less",
]


@pytest.fixture
def master_key() -> str:
    return generate_master_key()


@pytest.fixture
def store(fresh_postgres_url, tmp_path, master_key) -> Iterator[Store]:
    engine = make_engine(fresh_postgres_url)
    upgrade_to_head(engine)
    engine.dispose()
    store = Store(settings_for(tmp_path, fresh_postgres_url, master_key))
    yield store
    store.close()


@pytest.fixture
def admin() -> Actor:
    return Actor.system("robustness")


@pytest.fixture
def two_firms(store, admin):
    own = store.create_firm(admin, "Own Firm LLP")
    other = store.create_firm(admin, "Other Firm LLP")
    calculation_id = store.save_calculation(admin, other.id, "k_aum", {"a": 1}, RESULT)
    scenario_id = store.save_scenario(admin, other.id, "Stress", {"d": 1}, {"r": 2})
    store.save_dataset(admin, other.id, "aum", [{"amount": SECRET_FIGURE}], "aum.csv")
    store.save_own_funds_snapshot(
        admin, other.id, dt.date(2026, 11, 30), {"cet1": SECRET_FIGURE}
    )
    return own, other, calculation_id, scenario_id


def analyst_of(firm_id: int) -> Actor:
    return Actor(101, "analyst-own", frozenset({"analyst"}), frozenset({firm_id}))


def viewer_of(firm_id: int) -> Actor:
    return Actor(102, "viewer-own", frozenset({"viewer"}), frozenset({firm_id}))


def firm_calls(store: Store, actor: Actor, firm_id: int, record_id: int, scenario_id):
    """Every firm-scoped store call, aimed at ``firm_id``."""
    return {
        "get_firm": lambda: store.get_firm(actor, firm_id),
        "save_calculation": lambda: store.save_calculation(
            actor, firm_id, "k_aum", {}, RESULT
        ),
        "list_calculations": lambda: store.list_calculations(actor, firm_id),
        "load_calculation": lambda: store.load_calculation(actor, firm_id, record_id),
        "delete_calculation": lambda: store.delete_calculation(
            actor, firm_id, record_id
        ),
        "save_scenario": lambda: store.save_scenario(actor, firm_id, "S", {}, {}),
        "list_scenarios": lambda: store.list_scenarios(actor, firm_id),
        "load_scenario": lambda: store.load_scenario(actor, firm_id, scenario_id),
        "delete_scenario": lambda: store.delete_scenario(actor, firm_id, scenario_id),
        "save_own_funds_snapshot": lambda: store.save_own_funds_snapshot(
            actor, firm_id, dt.date(2026, 12, 1), {"cet1": 1.0}
        ),
        "own_funds_history": lambda: store.own_funds_history(actor, firm_id),
        "save_dataset": lambda: store.save_dataset(actor, firm_id, "aum", [], "a.csv"),
        "load_latest_dataset": lambda: store.load_latest_dataset(actor, firm_id, "aum"),
        "list_datasets": lambda: store.list_datasets(actor, firm_id),
        "audit": lambda: store.audit(actor, "report.viewed", firm_id, {}),
        "list_audit": lambda: store.list_audit(actor, firm_id),
        "cached_result": lambda: store.cached_result(
            actor, firm_id, "k_aum", "1.0.0", {}, lambda: {"value": 1.0}
        ),
    }


def denied_count(store: Store, admin: Actor) -> int:
    return sum(
        1
        for entry in store.list_audit(admin, limit=10_000)
        if entry.action == "access.denied"
    )


def test_other_firm_ids_denied_everywhere(store, admin, two_firms, caplog) -> None:
    own, other, calculation_id, scenario_id = two_firms
    actor = analyst_of(own.id)
    calls = firm_calls(store, actor, other.id, calculation_id, scenario_id)
    before = denied_count(store, admin)
    allowed = []
    with caplog.at_level(logging.DEBUG):
        for name, call in calls.items():
            try:
                call()
            except AccessDenied as error:
                assert str(other.id) in str(error)
                continue
            allowed.append(name)
    assert allowed == []
    assert denied_count(store, admin) == before + len(calls)
    assert str(SECRET_FIGURE) not in caplog.text
    # The other firm's records are untouched.
    assert store.load_calculation(admin, other.id, calculation_id).result == RESULT
    assert len(store.list_scenarios(admin, other.id)) == 1


def test_other_firm_record_via_own_firm(store, admin, two_firms) -> None:
    # Own firm id with the other firm's record id: not found, nothing leaked.
    own, other, calculation_id, scenario_id = two_firms
    actor = analyst_of(own.id)
    with pytest.raises(NotFound) as error:
        store.load_calculation(actor, own.id, calculation_id)
    assert str(SECRET_FIGURE) not in str(error.value)
    with pytest.raises(NotFound):
        store.load_scenario(actor, own.id, scenario_id)
    with pytest.raises(NotFound):
        store.delete_calculation(actor, own.id, calculation_id)
    assert store.load_calculation(admin, other.id, calculation_id).result == RESULT
    assert store.load_latest_dataset(actor, own.id, "aum") is None


def test_analyst_lists_own_firm_only(store, admin, two_firms) -> None:
    own, other, *_ = two_firms
    assert [firm.id for firm in store.list_firms(analyst_of(own.id))] == [own.id]
    entries = store.list_audit(analyst_of(own.id), limit=10_000)
    assert all(entry.firm_id == own.id for entry in entries)


def test_viewer_writes_denied(store, admin, two_firms) -> None:
    own, *_ = two_firms
    record_id = store.save_calculation(admin, own.id, "k_aum", {}, RESULT)
    scenario_id = store.save_scenario(admin, own.id, "Own stress", {}, {})
    viewer = viewer_of(own.id)
    writes = {
        name: call
        for name, call in firm_calls(
            store, viewer, own.id, record_id, scenario_id
        ).items()
        if name.startswith(("save_", "delete_"))
    }
    before = denied_count(store, admin)
    for call in writes.values():
        with pytest.raises(AccessDenied):
            call()
    assert denied_count(store, admin) == before + len(writes)
    assert store.load_calculation(viewer, own.id, record_id).result == RESULT
    with pytest.raises(AccessDenied):
        store.create_firm(viewer, "Viewer Firm")
    with pytest.raises(AccessDenied):
        store.list_data_keys(viewer)


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_text_stored_verbatim(store, admin, text: str) -> None:
    clean = text.replace("\u0000", "")
    firm = store.create_firm(admin, clean)
    assert store.get_firm(admin, firm.id).name == clean
    record_id = store.save_calculation(admin, firm.id, "k_aum", {}, RESULT, label=clean)
    assert store.load_calculation(admin, firm.id, record_id).label == clean
    scenario_id = store.save_scenario(admin, firm.id, clean, {}, {})
    assert store.load_scenario(admin, firm.id, scenario_id).name == clean
    store.save_dataset(admin, firm.id, "aum", [{"a": 1}], clean)
    assert store.list_datasets(admin, firm.id)[0].source_name == clean
    actor = Actor(55, clean, frozenset({"analyst"}), frozenset({firm.id}))
    store.save_calculation(actor, firm.id, "k_aum", {}, RESULT)
    assert store.list_calculations(admin, firm.id)[0].created_by == clean
    user = create_user(
        admin, clean, clean, "$2b$12$" + "a" * 53, ["viewer"], store=store
    )
    assert get_user_by_username(clean, store=store).id == user.id
    assert len(store.list_firms(admin)) == 1
    assert store.verify_audit_chain().ok


def test_nul_character_rejected_cleanly(store, admin) -> None:
    # PostgreSQL text cannot contain NUL, so the store must raise a typed error.
    with pytest.raises(StorageError):
        store.create_firm(admin, "Nul\u0000Firm")
    firm = store.create_firm(admin, "Label Firm")
    with pytest.raises(StorageError):
        store.save_calculation(admin, firm.id, "k_aum", {}, RESULT, label="a\u0000b")
    assert store.list_calculations(admin, firm.id) == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"limit": -1},
        {"offset": -5},
        {"limit": 10**30},
        {"limit": "10; drop table calculations"},
    ],
    ids=["negative-limit", "negative-offset", "huge-limit", "text-limit"],
)
def test_hostile_paging_rejected(store, admin, arguments) -> None:
    firm = store.create_firm(admin, "Paging Firm")
    store.save_calculation(admin, firm.id, "k_aum", {}, RESULT)
    with pytest.raises(InvalidInput):
        store.list_calculations(admin, firm.id, **arguments)
    assert len(store.list_calculations(admin, firm.id)) == 1


@pytest.mark.parametrize("firm_id", ["1", 1.0, None, True, 2**70])
def test_non_integer_firm_id_rejected(store, admin, firm_id) -> None:
    with pytest.raises((InvalidInput, NotFound)):
        store.load_calculation(admin, firm_id, 1)


def test_secrets_absent_from_errors_and_logs(
    fresh_postgres_url, tmp_path, caplog
) -> None:
    # A password-protected role on the test database, then a failure on it.
    password = "Pw-" + generate_master_key()[:20]
    role = "icara_robust_" + tmp_path.name[-8:].lower().replace("-", "_")
    owner = sa.create_engine(fresh_postgres_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(
            sa.text(f"create role \"{role}\" login password '{password}'")
        )
    url = (
        sa.engine.make_url(fresh_postgres_url)
        .set(username=role, password=password, port=1)
        .render_as_string(hide_password=False)
    )
    key = generate_master_key()
    try:
        with caplog.at_level(logging.DEBUG), pytest.raises(StorageError) as error:
            Store(settings_for(tmp_path, url, key))
        assert password not in str(error.value)
        assert key not in str(error.value)
        assert password not in caplog.text
        assert key not in caplog.text
    finally:
        with owner.connect() as connection:
            connection.execute(sa.text(f'drop role "{role}"'))
        owner.dispose()
