"""Analyst in the browser: sample firm, overview, scenario, save and CSV export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.conftest import PASSWORD, embedded_store, log_in, seed_users

OWN_FUNDS_SCENARIO = "5000000"
PLOTLY_DATA_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
  plot => plot.data.map(trace => ({name: trace.name, y: Array.from(trace.y || [])}))
)
"""


def give_analyst_empty_sample_firm(data_dir: Path) -> None:
    """Create the empty sample firm and give the analyst access to it.

    Only administrators create firms; the analyst then loads the sample data
    into it with the overview's button, as an analyst would after onboarding.
    """
    from auth import accounts
    from ingest.sample_firm import SAMPLE_FIRM_NAME

    with embedded_store(data_dir) as store:
        admin = accounts.actor_for(store, accounts.find_user(store, "admin"))
        firm = store.create_firm(admin, SAMPLE_FIRM_NAME)
        analyst = accounts.find_user(store, "analyst")
        accounts.set_firms(store, admin, analyst.id, [firm.id])


def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def own_funds_bar(page) -> float:
    charts = page.evaluate(PLOTLY_DATA_JS)
    for traces in charts:
        for trace in traces:
            if trace["name"] == "Own funds":
                return trace["y"][0]
    raise AssertionError(f"no Own funds trace in {charts}")


@pytest.mark.browser
@pytest.mark.slow
def test_analyst_flow(start_app, page, tmp_path):
    data_dir = tmp_path / "flow-data"
    seed_users(data_dir, {"analyst": "analyst"})
    give_analyst_empty_sample_firm(data_dir)
    base_url = start_app(env={"ICARA_DATA_DIR": str(data_dir)})
    assert PASSWORD

    log_in(page, base_url, "analyst")
    page.get_by_role("button", name="Load the sample firm").click()
    page.locator("[data-testid='stMetric']").filter(
        has_text="Own funds"
    ).first.wait_for()
    requirement_on_screen = metric_value(page, "Own funds requirement")
    own_funds_on_screen = metric_value(page, "Own funds")
    assert requirement_on_screen.startswith("£")

    page.get_by_role("link", name="Scenario explorer").click()
    page.get_by_role("heading", name="Scenario explorer").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert own_funds_bar(page) == pytest.approx(float(pounds(own_funds_on_screen)))
    own_funds_input = page.get_by_role("spinbutton", name="Own funds (GBP)")
    own_funds_input.fill(OWN_FUNDS_SCENARIO)
    own_funds_input.press("Enter")
    # st.dataframe draws on a canvas and keeps its cells in hidden table cells.
    page.get_by_text("£5,000,000.00").first.wait_for(state="attached")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).some("
        "p => p.data.some(t => t.name === 'Own funds' && t.y[0] === 5000000))"
    )
    assert own_funds_bar(page) == 5_000_000

    name_input = page.get_by_role("textbox", name="Scenario name")
    name_input.fill("Own funds cut to 5m")
    name_input.press("Enter")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("Saved scenario 'Own funds cut to 5m'").wait_for()

    page.get_by_role("link", name="History and reports").click()
    page.get_by_role("heading", name="History and reports").wait_for()
    page.get_by_role("tab", name="Reports").click()
    button = page.get_by_role("button", name="Download the capital report (CSV)")
    with page.expect_download() as download_info:
        button.click()
    path = download_info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_item = {(row["return"], row["item"]): row for row in rows}
    requirement = by_item[("MIF001", "Own funds requirement")]
    assert requirement["unit"] == "GBP"
    assert Decimal(requirement["value"]) == pounds(requirement_on_screen)
    own_funds = by_item[("MIF001", "Total own funds")]
    assert Decimal(own_funds["value"]) == pounds(own_funds_on_screen)
