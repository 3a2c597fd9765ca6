"""Overview, scenario explorer, history and reports, and widget persistence."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from calc.money import format_gbp
from tests.ui.conftest import open_page, page_errors
from tests.ui.test_calculator_pages import expected_position


def metric_values(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_overview_figures_match_position(seeded):
    app = open_page(seeded, "analyst")
    assert not page_errors(app)
    position = expected_position()
    shown = metric_values(app)
    assert shown["Own funds"] == format_gbp(position.own_funds_gbp)
    assert shown["Own funds requirement"] == format_gbp(
        position.own_funds_requirement_gbp
    )
    surplus = position.own_funds_gbp - position.own_funds_requirement_gbp
    assert shown["Surplus"] == format_gbp(surplus)
    assert shown["SNI status"] == "Non-SNI"
    captions = "\n".join(item.value for item in app.caption)
    assert "Binding component: **FOR**" in captions
    assert "MIFIDPRU 4.3.2R" in captions
    assert app.get("plotly_chart")


def test_overview_without_firm_offers_sample(seeded):
    from auth import accounts
    from tests.ui.conftest import PASSWORD

    accounts.add_user(
        seeded.store,
        seeded.administrator,
        "newcomer",
        "Newcomer",
        PASSWORD,
        PASSWORD,
        ["analyst"],
    )
    app = open_page(seeded, "newcomer")
    assert "Load the sample firm" in [button.label for button in app.button]
    app.button(key="load-sample-firm").click().run()
    assert any("Only an administrator" in text for text in page_errors(app))


def test_scenario_driver_changes_figures(seeded):
    app = open_page(seeded, "analyst", "pages/scenarios.py")
    assert not page_errors(app)
    before = app.dataframe[0].value
    own_funds_key = f"keep:scenarios:{seeded.firm_id}:own_funds_gbp"
    app.number_input(key=own_funds_key).set_value(5_000_000.0).run()
    after = app.dataframe[0].value
    row = after.set_index("figure").loc["Own funds"]
    assert row["this scenario"] == "£5,000,000.00"
    assert before.set_index("figure").loc["Own funds"]["this scenario"] != (
        "£5,000,000.00"
    )
    surplus = 5_000_000.0 - expected_position().own_funds_requirement_gbp
    assert after.set_index("figure").loc["Surplus"]["this scenario"] == format_gbp(
        surplus
    )


def test_scenario_save_and_compare(seeded):
    app = open_page(seeded, "analyst", "pages/scenarios.py")
    name_key = f"keep:scenarios:{seeded.firm_id}:name"
    app.text_input(key=name_key).set_value("Stress: AUM down").run()
    app.slider(key=f"keep:scenarios:{seeded.firm_id}:aum_growth_percent").set_value(
        -40.0
    ).run()
    next(b for b in app.button if b.label == "Add to comparison").click().run()
    next(b for b in app.button if b.label == "Save scenario").click().run()
    assert any("Saved scenario" in item.value for item in app.success)
    saved = seeded.store.list_scenarios(seeded.administrator, seeded.firm_id)
    assert [summary.name for summary in saved] == ["Stress: AUM down"]
    assert "Comparison (up to 3 scenarios)" in [item.value for item in app.subheader]


def test_scenario_values_survive_page_switch(seeded):
    app = open_page(seeded, "analyst", "pages/scenarios.py")
    key = f"keep:scenarios:{seeded.firm_id}:expenditure_change_percent"
    app.slider(key=key).set_value(25.0).run()
    app.switch_page("pages/overview.py").run()
    app.switch_page("pages/scenarios.py").run()
    assert app.slider(key=key).value == 25.0


def test_history_lists_saved_and_exports(seeded):
    app = open_page(seeded, "analyst", "pages/fixed_overheads.py")
    next(b for b in app.button if b.label == "Save calculation").click().run()
    app.switch_page("pages/history.py").run()
    assert not page_errors(app)
    tables = [frame.value for frame in app.dataframe]
    saved = next(frame for frame in tables if "calculator" in frame.columns)
    assert saved["calculator"].tolist() == ["fixed_overheads"]
    expected = expected_position().results["fixed_overheads"].value
    assert saved["headline"].tolist() == [format_gbp(expected)]
    buttons = [button.label for button in app.get("download_button")]
    assert "Download the capital report (CSV)" in buttons
    assert "Download the capital workbook (Excel)" in buttons


def test_capital_report_matches_overview(seeded):
    from reports import capital_report_csv

    position = expected_position()
    data = capital_report_csv(position, "Sample Asset Management Ltd")
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    app = open_page(seeded, "analyst")
    shown = metric_values(app)["Own funds requirement"]
    values = frame.loc[frame["unit"] == "GBP", "value"].tolist()
    assert shown.replace("£", "").replace(",", "") in values


@pytest.mark.parametrize(
    "page, title",
    [
        ("pages/health.py", "Health"),
        ("pages/audit_log.py", "Audit log"),
        ("pages/key_status.py", "Key and storage status"),
    ],
)
def test_administration_pages(seeded, page, title):
    app = open_page(seeded, "admin", page)
    assert not page_errors(app) or page == "pages/health.py"
    assert title in [item.value for item in app.title]


def test_key_status_lists_firm_data_keys(seeded):
    app = open_page(seeded, "admin", "pages/key_status.py")
    assert not page_errors(app)
    tables = [frame.value for frame in app.dataframe]
    keys = next(frame for frame in tables if "master key id" in frame.columns)
    assert len(keys) >= 1
    assert set(keys["active"]) <= {"yes", "no"}
    assert "yes" in set(keys["active"])
