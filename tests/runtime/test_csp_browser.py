"""The Content-Security-Policy of docs/deployment.md works with Streamlit 1.67.

Chromium loads pages through Playwright, which adds the policy from the nginx
example to every response the way the proxy would: the strict one everywhere
and the one that allows same-origin framing under ``/component/``. A test fails
on any CSP violation reported in the browser console.

Playwright fulfils the intercepted responses itself, and Chromium then treats
the page as coming from outside the local network and blocks its websocket to
127.0.0.1. The launch flag below turns that check off. It changes nothing
about how CSP is enforced.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from runtime_helpers import ROOT, new_key

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-features=LocalNetworkAccessChecks",
]
PASSWORD = "Quarterly-Capital-Review-2026!"
TIMEOUT_MS = 60_000

CHART_SCRIPT = """
import altair as alt
import pandas as pd
import plotly.express as px
import streamlit as st

frame = pd.DataFrame({"month": list(range(12)), "value": [x * x for x in range(12)]})
st.title("Charts")
st.line_chart(frame, x="month", y="value")
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="month:O", y="value:Q"))
st.plotly_chart(px.line(frame, x="month", y="value"))
st.dataframe(frame)
st.metric("Own funds", "1,000", "5%")
st.file_uploader("Upload")
st.download_button("Download", "a,b", file_name="figures.csv")
"""


def documented_policies(port: int) -> tuple[str, str]:
    """Return the app policy and the ``/component/`` policy from the docs."""
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    policies = re.findall(r'add_header Content-Security-Policy "([^"]+)"', text)
    assert len(policies) == 2, "expected one policy per nginx location"
    server_policy, component_policy = policies[0], policies[1]
    if "frame-ancestors 'none'" in component_policy:
        server_policy, component_policy = component_policy, server_policy
    assert "frame-ancestors 'none'" in server_policy
    assert "frame-ancestors 'self'" in component_policy
    local = f"ws://127.0.0.1:{port}"
    return (
        server_policy.replace("wss://dashboard.example.com", local),
        component_policy.replace("wss://dashboard.example.com", local),
    )


def open_with_policies(browser: Any, base_url: str) -> tuple[Any, list[str]]:
    """Open a page whose responses carry the documented policies."""
    port = int(base_url.rsplit(":", 1)[1])
    server_policy, component_policy = documented_policies(port)
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))

    def add_policy(route: Any) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        is_component = "/component/" in route.request.url
        headers["content-security-policy"] = (
            component_policy if is_component else server_policy
        )
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(rf"^{re.escape(base_url)}/.*"), add_policy)
    return page, messages


def violations(messages: list[str]) -> list[str]:
    return [
        message
        for message in messages
        if "Content Security Policy" in message or "Refused to" in message
    ]


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def seed_administrator(data_dir: Path, key: str) -> None:
    from auth import accounts
    from runtime.config import load_settings
    from storage.store import Store

    store = Store(
        load_settings({"ICARA_DATA_DIR": str(data_dir), "ENCRYPTION_KEY": key})
    )
    try:
        accounts.create_first_administrator(store, "admin", PASSWORD, PASSWORD)
    finally:
        store.close()


@pytest.mark.browser
@pytest.mark.slow
def test_app_login_under_policy(start_app, browser, tmp_path):
    key = new_key()
    data_dir = tmp_path / "csp-data"
    seed_administrator(data_dir, key)
    base_url = start_app(env={"ICARA_DATA_DIR": str(data_dir), "ENCRYPTION_KEY": key})
    page, messages = open_with_policies(browser, base_url)

    page.goto(base_url)
    page.locator("input[type=text]").first.fill("admin")
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Overview").wait_for()
    page.wait_for_timeout(3000)

    assert violations(messages) == []


@pytest.fixture
def chart_server(tmp_path):
    """Run a Streamlit script of charts and widgets with the project's config."""
    import socket

    script = tmp_path / "charts.py"
    script.write_text(CHART_SCRIPT, encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(tmp_path / "charts.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    log.flush()
                    output = (tmp_path / "charts.log").read_text(errors="replace")
                    raise RuntimeError(
                        f"streamlit did not answer on {base_url} within 60 s; "
                        f"log: {output[-2000:]}"
                    ) from None
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.browser
@pytest.mark.slow
def test_charts_render_under_policy(chart_server, browser):
    page, messages = open_with_policies(browser, chart_server)

    page.goto(chart_server)
    page.get_by_role("heading", name="Charts").wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.locator("[data-testid='stVegaLiteChart'] .marks").first.wait_for()
    page.wait_for_timeout(2000)

    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    assert page.locator("[data-testid='stFileUploader']").count() == 1
    assert violations(messages) == []
