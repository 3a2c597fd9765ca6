"""The storage API on SQLite and PostgreSQL: records, scoping and audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from storage_helpers import analyst, sample_result, viewer

from storage.errors import AccessDenied, InvalidInput, NotFound


def test_firms_create_list_get(store, admin):
    first = store.create_firm(admin, "Alpha Capital LLP", frn="123456")
    second = store.create_firm(admin, "Beta Partners Ltd")
    assert [firm.name for firm in store.list_firms(admin)] == [
        "Alpha Capital LLP",
        "Beta Partners Ltd",
    ]
    assert store.get_firm(admin, first.id).frn == "123456"
    assert [firm.id for firm in store.list_firms(analyst({second.id}))] == [second.id]
    with pytest.raises(InvalidInput, match="already exists"):
        store.create_firm(admin, "Alpha Capital LLP")
    with pytest.raises(NotFound):
        store.get_firm(admin, 9999)


def test_calculation_round_trip(store, admin):
    firm = store.create_firm(admin, "Gamma Ltd")
    inputs = {"aum_by_month": [100.5, 200.25], "as_of": "2026-09-30"}
    result = sample_result(4321.5)
    record_id = store.save_calculation(
        admin, firm.id, "k_aum", inputs, result, label="Q3 run"
    )
    record = store.load_calculation(admin, firm.id, record_id)
    assert record.inputs == inputs
    assert record.result == result
    assert record.headline_value == 4321.5
    assert record.headline_unit == "GBP"
    assert record.label == "Q3 run"
    assert record.created_by == admin.username
    assert record.rules_version == result["rules_version"]
    assert record.created_at.tzinfo is not None


def test_list_calculations_filters(store, admin):
    firm = store.create_firm(admin, "Delta Ltd")
    ids = [
        store.save_calculation(admin, firm.id, name, {"n": n}, sample_result(n))
        for n, name in enumerate(["k_aum", "k_cmh", "k_aum"])
    ]
    listed = store.list_calculations(admin, firm.id)
    assert [item.id for item in listed] == list(reversed(ids))
    assert [item.headline_value for item in listed] == [2, 1, 0]
    aum_only = store.list_calculations(admin, firm.id, calculator="k_aum")
    assert [item.id for item in aum_only] == [ids[2], ids[0]]
    page = store.list_calculations(admin, firm.id, limit=1, offset=1)
    assert [item.id for item in page] == [ids[1]]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert store.list_calculations(admin, firm.id, since=future) == []


def test_delete_calculation(store, admin):
    firm = store.create_firm(admin, "Epsilon Ltd")
    record_id = store.save_calculation(admin, firm.id, "k_aum", {}, sample_result(1))
    store.delete_calculation(admin, firm.id, record_id)
    with pytest.raises(NotFound):
        store.load_calculation(admin, firm.id, record_id)
    actions = [entry.action for entry in store.list_audit(admin, firm.id)]
    assert actions[0] == "calculation.deleted"


def test_scenarios(store, admin):
    firm = store.create_firm(admin, "Zeta Ltd")
    drivers = {"aum_shock": -0.3}
    results = {"own_funds_after": 1.5e6}
    scenario_id = store.save_scenario(admin, firm.id, "Market fall", drivers, results)
    calc_id = store.save_calculation(
        admin, firm.id, "k_aum", {}, sample_result(5), scenario_id=scenario_id
    )
    assert [s.name for s in store.list_scenarios(admin, firm.id)] == ["Market fall"]
    loaded = store.load_scenario(admin, firm.id, scenario_id)
    assert loaded.drivers == drivers
    assert loaded.results == results
    store.delete_scenario(admin, firm.id, scenario_id)
    assert store.list_scenarios(admin, firm.id) == []
    assert store.load_calculation(admin, firm.id, calc_id).scenario_id is None


def test_own_funds_history(store, admin):
    firm = store.create_firm(admin, "Eta Ltd")
    store.save_own_funds_snapshot(
        admin, firm.id, dt.date(2026, 6, 30), {"cet1": 2.0e6, "at1": 0.0}
    )
    store.save_own_funds_snapshot(admin, firm.id, dt.date(2026, 3, 31), {"cet1": 1.9e6})
    history = store.own_funds_history(admin, firm.id)
    assert [item.as_of for item in history] == [
        dt.date(2026, 3, 31),
        dt.date(2026, 6, 30),
    ]
    assert history[1].figures == {"cet1": 2.0e6, "at1": 0.0}
    with pytest.raises(InvalidInput, match="finite number"):
        store.save_own_funds_snapshot(
            admin, firm.id, dt.date(2026, 9, 30), {"cet1": float("nan")}
        )


def test_datasets_latest_wins(store, admin):
    firm = store.create_firm(admin, "Theta Ltd")
    assert store.load_latest_dataset(admin, firm.id, "aum") is None
    store.save_dataset(admin, firm.id, "aum", [{"month": "2026-01", "aum": 1}], "a.csv")
    newest = [{"month": "2026-02", "aum": 2}, {"month": "2026-03", "aum": 3}]
    store.save_dataset(admin, firm.id, "aum", newest, "b.csv")
    store.save_dataset(admin, firm.id, "trades", [{"id": 1}], None)
    latest = store.load_latest_dataset(admin, firm.id, "aum")
    assert latest.records == newest
    assert latest.source_name == "b.csv"
    assert latest.row_count == 2
    kinds = sorted(item.kind for item in store.list_datasets(admin, firm.id))
    assert kinds == ["aum", "aum", "trades"]
    with pytest.raises(InvalidInput, match="kind"):
        store.save_dataset(admin, firm.id, "AUM series", [], None)


def test_other_firm_denied_and_audited(store, admin):
    own = store.create_firm(admin, "Own Firm Ltd")
    other = store.create_firm(admin, "Other Firm Ltd")
    record_id = store.save_calculation(admin, other.id, "k_aum", {}, sample_result(9))
    user = analyst({own.id}, "ann")
    with pytest.raises(AccessDenied, match="ann"):
        store.load_calculation(user, other.id, record_id)
    with pytest.raises(AccessDenied):
        store.list_calculations(user, other.id)
    with pytest.raises(AccessDenied):
        store.save_calculation(user, other.id, "k_aum", {}, sample_result(1))
    with pytest.raises(NotFound):
        store.load_calculation(user, own.id, record_id)
    denied = [
        entry
        for entry in store.list_audit(admin, other.id)
        if entry.action == "access.denied"
    ]
    assert len(denied) == 3
    assert denied[0].actor_username == "ann"


def test_roles_limit_writes(store, admin):
    firm = store.create_firm(admin, "Iota Ltd")
    reader = viewer({firm.id})
    with pytest.raises(AccessDenied):
        store.save_calculation(reader, firm.id, "k_aum", {}, sample_result(1))
    with pytest.raises(AccessDenied):
        store.create_firm(analyst({firm.id}), "Not Allowed Ltd")
    assert store.list_calculations(reader, firm.id) == []
    writer = analyst({firm.id})
    record_id = store.save_calculation(writer, firm.id, "k_aum", {}, sample_result(1))
    assert store.load_calculation(reader, firm.id, record_id).created_by == "analyst"


def test_list_audit_scoped(store, admin):
    first = store.create_firm(admin, "Kappa Ltd")
    second = store.create_firm(admin, "Lambda Ltd")
    store.audit(admin, "report.exported", first.id, {"report": "icara"})
    store.audit(admin, "report.exported", second.id, {"report": "icara"})
    visible = store.list_audit(analyst({first.id}))
    assert {entry.firm_id for entry in visible} == {first.id}
    assert store.list_audit(admin, limit=1)[0].firm_id == second.id
    with pytest.raises(AccessDenied):
        store.list_audit(analyst({first.id}), second.id)


def test_status(store):
    status = store.status()
    assert status.migrations_at_head
    assert status.cache_kind == "in-process"
    assert status.cache_healthy
    assert status.healthy
