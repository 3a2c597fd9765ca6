"""Every page URL, opened directly while logged out, shows only the login form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import seed_users

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = sorted(path.stem for path in (ROOT / "pages").glob("*.py"))
# A heading each page draws once logged in; none may appear logged out.
PAGE_HEADINGS = [
    "Overview",
    "History and reports",
    "Fixed overheads requirement",
    "K-factors",
    "K-TCD: trading counterparty default",
    "SNI classification",
    "Own funds",
    "Liquidity",
    "ICARA and wind-down",
    "Risk assessment",
    "Scenario explorer",
    "Health",
    "Audit log",
    "Key and storage status",
]


@pytest.mark.browser
def test_pages_need_login(start_app, page, tmp_path):
    data_dir = tmp_path / "exposure-data"
    seed_users(data_dir, {"analyst": "analyst"})
    base_url = start_app(env={"ICARA_DATA_DIR": str(data_dir)})
    assert "overview" in PAGE_FILES
    for name in PAGE_FILES:
        page.goto(f"{base_url}/{name}")
        try:
            page.locator("input[type=password]").wait_for()
        except Exception:
            page.screenshot(path=str(tmp_path / f"{name}.png"))
            print(name, page.inner_text("body")[:500])
            raise
        body = page.locator("section.stMain, [data-testid='stMain']").first
        text = body.inner_text()
        assert "Username" in text, name
        for heading in PAGE_HEADINGS:
            assert page.get_by_role("heading", name=heading, exact=True).count() == 0, (
                f"{name} shows {heading!r} to a logged-out visitor"
            )
        assert page.locator("[data-testid='stMetric']").count() == 0, name
        assert page.locator("[data-testid='stPlotlyChart']").count() == 0, name
