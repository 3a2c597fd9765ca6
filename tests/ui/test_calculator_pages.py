"""Calculator pages: a result with its rule, an input error, and who may save."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from calc.money import format_gbp
from calc.position import firm_position
from tests.ui.conftest import open_page, page_errors

ROOT = Path(__file__).resolve().parents[2]

# page file -> (title, calculator whose metric the page shows)
PAGES = {
    "pages/fixed_overheads.py": ("Fixed overheads requirement", "fixed_overheads"),
    "pages/liquidity.py": ("Liquidity", "liquidity"),
    "pages/own_funds.py": ("Own funds", "own_funds_requirement"),
    "pages/k_factors.py": ("K-factors", "k_aum"),
    "pages/k_tcd.py": ("K-TCD: trading counterparty default", "k_tcd"),
    "pages/risk_assessment.py": ("Risk assessment", "risk_assessment"),
}


@cache
def expected_position():
    """Compute the sample firm's position straight from the sample files."""
    from ingest.sample_firm import (
        SAMPLE_CALCULATION_DATE,
        SAMPLE_PROFILE,
        parse_sample_files,
        read_sample_trades,
        sample_firm_inputs,
    )

    bundle = sample_firm_inputs(
        parse_sample_files(),
        SAMPLE_CALCULATION_DATE,
        SAMPLE_PROFILE,
        read_sample_trades(),
    )
    return firm_position(bundle)


def metric_values(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_shows_result_with_rule(seeded, page):
    title, calculator = PAGES[page]
    app = open_page(seeded, "analyst", page)
    assert not page_errors(app)
    assert title in [item.value for item in app.title]
    result = expected_position().results[calculator]
    assert metric_values(app)[result.title] == format_gbp(result.value)
    captions = [item.value for item in app.caption]
    assert f"Rule: {result.rule}" in captions
    assert any("Rules version: FCA Handbook MIFIDPRU" in text for text in captions)


def test_negative_expenditure_names_field(seeded):
    app = open_page(seeded, "analyst", "pages/fixed_overheads.py")
    key = f"keep:fixed_overheads:{seeded.firm_id}:total_expenditure_gbp"
    app.number_input(key=key).set_value(-1000.0).run()
    shown = "\n".join(page_errors(app))
    assert "total_expenditure_gbp" in shown
    assert "Fixed overheads requirement" not in metric_values(app)


def test_viewer_sees_no_save_form(seeded):
    app = open_page(seeded, "viewer", "pages/fixed_overheads.py")
    assert "Save calculation" not in [button.label for button in app.button]
    assert any("Viewers can read" in item.value for item in app.caption)


def test_analyst_saves_calculation(seeded):
    app = open_page(seeded, "analyst", "pages/fixed_overheads.py")
    save = next(b for b in app.button if b.label == "Save calculation")
    save.click().run()
    assert any("Saved as calculation" in item.value for item in app.success)
    saved = seeded.store.list_calculations(seeded.administrator, seeded.firm_id)
    assert [summary.calculator for summary in saved] == ["fixed_overheads"]
    expected = expected_position().results["fixed_overheads"].value
    assert saved[0].headline_value == pytest.approx(expected, abs=0.005)


def test_sni_page_shows_bullets(seeded):
    app = open_page(seeded, "analyst", "pages/sni.py")
    key = f"keep:sni:{seeded.firm_id}:balance_sheet_total_gbp"
    app.number_input(key=key).set_value(40_000_000.0).run()
    errors = page_errors(app)
    assert not [text for text in errors if "balance_sheet_total_gbp" in text]
    assert any("gross_revenue" in text for text in errors) or app.metric


def test_icara_page_draws_wind_down(seeded):
    app = open_page(seeded, "analyst", "pages/icara.py")
    assert not page_errors(app)
    assert "Orderly wind-down cost" in metric_values(app)
    assert app.get("plotly_chart")


def test_aum_upload_with_bad_row(seeded):
    app = open_page(seeded, "analyst", "pages/k_factors.py")
    content = (
        b"Month End,Portfolio,Mandate Type,Currency,AUM,FX Rate to GBP\n"
        b"30/11/2026,UK Balanced,discretionary,GBP,not a number,\n"
    )
    uploader = app.get("file_uploader")[0]
    uploader.upload("aum.csv", content, "text/csv")
    app.run()
    errors = page_errors(app)
    assert any("aum.csv has" in text and "problem" in text for text in errors)
    frames = [frame.value for frame in app.dataframe]
    problem_tables = [frame for frame in frames if "fix" in frame.columns]
    assert problem_tables
    assert 2 in problem_tables[0]["row"].tolist()


def test_trade_upload_with_bad_cell(seeded):
    app = open_page(seeded, "analyst", "pages/k_tcd.py")
    header = (ROOT / "docs/trade-template.csv").read_text().splitlines()[0]
    columns = header.split(",")
    row = ["" for _ in columns]
    row[columns.index("trade_id")] = "T1"
    row[columns.index("netting_set_id")] = "NS1"
    row[columns.index("asset_class")] = "interest_rate"
    row[columns.index("notional")] = "minus lots"
    row[columns.index("maturity_years")] = "2"
    row[columns.index("direction")] = "long"
    row[columns.index("mtm")] = "0"
    content = f"{header}\n{','.join(row)}\n".encode()
    app.get("file_uploader")[0].upload("trades.csv", content, "text/csv")
    app.run()
    errors = page_errors(app)
    assert any("trades.csv has" in text for text in errors)
    tables = [frame.value for frame in app.dataframe if "fix" in frame.value.columns]
    assert "notional" in tables[0]["column"].tolist()


def test_k_factor_choice_switches_result(seeded):
    app = open_page(seeded, "analyst", "pages/k_factors.py")
    app.radio(key=f"keep:k_factors:{seeded.firm_id}:factor").set_value("k_cmh").run()
    assert not page_errors(app)
    result = expected_position().results["k_cmh"]
    assert metric_values(app)[result.title] == format_gbp(result.value)
    total = expected_position().results["k_factor_requirement"]
    assert metric_values(app)[total.title] == format_gbp(total.value)


def test_sni_page_prompts_for_missing_inputs(seeded):
    """Before the balance sheet total is entered, the SNI page asks for it."""
    app = open_page(seeded, "analyst", "pages/sni.py")
    assert not page_errors(app)
    prompts = [item.value for item in app.info]
    assert any("Enter **balance_sheet_total_gbp**" in text for text in prompts)
