"""The sample firm: its files parse cleanly and feed the whole-firm position."""

from __future__ import annotations

from datetime import date

import pytest

from calc.calendar import business_days_between, is_business_day
from calc.position import firm_position
from ingest.sample_firm import (
    SAMPLE_CALCULATION_DATE,
    SAMPLE_DIR,
    SAMPLE_FILES,
    SAMPLE_FIRM_NAME,
    TRADES_KIND,
    load_sample_firm,
    parse_sample_files,
    read_sample_trades,
    sample_firm_inputs,
)


@pytest.fixture(scope="module")
def parsed():
    return parse_sample_files()


@pytest.mark.parametrize("kind", sorted(SAMPLE_FILES))
def test_sample_file_parses_without_errors(parsed, kind):
    assert parsed[kind].ok, parsed[kind].issues
    assert len(parsed[kind].frame) > 0


def test_sample_files_exercise_the_parser():
    aum = (SAMPLE_DIR / "aum_month_end.csv").read_bytes()
    money = (SAMPLE_DIR / "client_money_daily.csv").read_bytes()
    own_funds = (SAMPLE_DIR / "own_funds.csv").read_bytes()
    assert aum.startswith(b"\xef\xbb\xbf")
    assert b";" in money.splitlines()[0]
    assert b"5.000.000,00" in own_funds


def test_aum_covers_the_window(parsed):
    months = {(d.year, d.month) for d in parsed["aum_month_end"].frame["date"]}
    assert (2024, 9) in months
    assert (2026, 11) in months
    assert len(months) == 27


def test_aum_is_a_realistic_size(parsed):
    frame = parsed["aum_month_end"].frame
    latest = frame[frame["date"] == frame["date"].max()]["amount_gbp"].sum()
    assert 1.5e9 <= latest <= 2.5e9
    assert set(frame["currency"]) == {"GBP", "USD"}


def test_daily_series_cover_every_business_day(parsed):
    expected = business_days_between(date(2026, 3, 1), date(2026, 11, 30))
    for kind in ("client_money_daily", "assets_safeguarded_daily"):
        days = sorted(set(parsed[kind].frame["date"]))
        assert days == expected, kind
        assert all(is_business_day(day) for day in days)


def test_client_money_in_range(parsed):
    frame = parsed["client_money_daily"].frame
    totals = frame.groupby("date")["amount_gbp"].sum()
    assert totals.min() >= 20e6
    assert totals.max() <= 60e6


def test_sample_trades_pass_the_trade_file_checks():
    trades = read_sample_trades()
    assert len(trades) == 9
    assert {trade["netting_set_id"] for trade in trades} == {
        "NS-BANK-A",
        "NS-BANK-B",
        "NS-BROKER-C",
    }


def test_sample_inputs_run_the_whole_position(parsed):
    bundle = sample_firm_inputs(parsed, trades=read_sample_trades())
    position = firm_position(bundle)
    assert position.binding_component == "fixed_overheads_requirement"
    assert position.own_funds_requirement_gbp == pytest.approx(4_364_265.0)
    assert position.composition_tests_passed is True
    assert position.liquidity_surplus_gbp > 0
    for name in ("k_aum", "k_cmh", "k_asa", "k_coh", "k_dtf", "k_tcd"):
        assert position.results[name].value > 0, name


def test_fixed_overheads_inputs_sum_the_lines(parsed):
    bundle = sample_firm_inputs(parsed)
    inputs = bundle["fixed_overheads"]
    assert inputs["total_expenditure_gbp"] == pytest.approx(23_267_000.0)
    assert (
        inputs["deductions_gbp"]["staff_bonuses_dependent_on_net_profit"] == 3_150_000
    )


def test_k_aum_converts_at_month_rate(parsed):
    frame = parsed["aum_month_end"].frame
    bundle = sample_firm_inputs(parsed)
    november = bundle["k_factors"]["k_aum"]["month_end_aum_gbp"]["2026-11"]
    rows = frame[frame["date"] == date(2026, 11, 30)]
    expected = sum(
        amount * rate
        for amount, rate in zip(rows["amount"], rows["fx_rate_to_gbp"], strict=True)
    )
    assert november == pytest.approx(expected)


def test_load_sample_firm_saves_every_dataset(tmp_path):
    from runtime.config import load_settings
    from storage.actor import Actor
    from storage.store import Store

    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})
    store = Store(settings)
    actor = Actor.system("sample-firm-test")
    try:
        firm_id = load_sample_firm(store, actor)
        again = load_sample_firm(store, actor)
        assert again == firm_id
        names = [firm.name for firm in store.list_firms(actor)]
        assert names.count(SAMPLE_FIRM_NAME) == 1
        for kind in [*SAMPLE_FILES, TRADES_KIND]:
            dataset = store.load_latest_dataset(actor, firm_id, kind)
            assert dataset is not None, kind
            assert dataset.records, kind
        saved = {
            kind: store.load_latest_dataset(actor, firm_id, kind).records
            for kind in SAMPLE_FILES
        }
        trades = store.load_latest_dataset(actor, firm_id, TRADES_KIND).records
        from_storage = firm_position(
            sample_firm_inputs(saved, SAMPLE_CALCULATION_DATE, trades=trades)
        )
        in_memory = firm_position(
            sample_firm_inputs(parse_sample_files(), trades=read_sample_trades())
        )
        for name, result in in_memory.results.items():
            assert from_storage.results[name].value == pytest.approx(result.value), name
    finally:
        store.close()


def test_sample_book_reproduces_bcbs279_exposures():
    """BCBS 279 Annex 4a examples 1-3: EAD 569, 381 and 5,406 (thousands)."""
    import json
    from pathlib import Path

    from calc.saccr.engine import run

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "saccr.json"
    cases = {case["id"]: case for case in json.loads(fixture.read_text())["cases"]}
    result = run({"trades": read_sample_trades()})
    exposures = {
        row["netting_set_id"]: row["exposure_at_default"]
        for row in result.figures["netting_sets"]
    }
    for case_id, netting_set in (
        ("bcbs279-ex1-ir-unmargined", "NS-BANK-A"),
        ("bcbs279-ex2-credit-unmargined", "NS-BANK-B"),
        ("bcbs279-ex3-commodity-unmargined", "NS-BROKER-C"),
    ):
        expected = cases[case_id]["expected"]["ead"]
        tolerance = expected["tol"]["abs"] * 1_000
        assert exposures[netting_set] == pytest.approx(
            expected["value"] * 1_000, abs=tolerance
        ), case_id
