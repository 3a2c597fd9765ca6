"""Chart export: plotly figures as PNG through kaleido, else as standalone HTML.

kaleido 1.x renders through a Chrome or Chromium it finds on the machine
(``BROWSER_PATH`` names one explicitly; Debian's ``/usr/bin/chromium`` is found
on the PATH). Where no browser can start, ``export_figure`` falls back to a
self-contained HTML file that any browser opens, and its ``note`` gives the
reason.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from reports.results import ResultsView

logger = logging.getLogger(__name__)


class ChartExportError(RuntimeError):
    """The PNG renderer is missing or failed, as the message states."""


@dataclass(frozen=True)
class ChartFile:
    """An exported chart: its bytes, MIME type and file extension."""

    data: bytes
    mime_type: str
    extension: str
    note: str = ""


def _browser_path() -> str | None:
    """Return the browser kaleido will use: ``BROWSER_PATH`` or one on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("google-chrome")


def figure_png(figure: go.Figure, width: int = 1000, height: int = 600) -> bytes:
    """Render ``figure`` as PNG bytes (pixels) with kaleido and a local Chromium.

    Raises
    ------
    ChartExportError
        When kaleido is not installed or no browser could render the figure.
    """
    try:
        import kaleido  # noqa: F401
    except ImportError as error:
        raise ChartExportError(
            "PNG export needs the kaleido package (pip install kaleido)."
        ) from error
    if _browser_path() is None:
        raise ChartExportError(
            "PNG export needs Chrome or Chromium: install chromium or set "
            "BROWSER_PATH to the browser binary."
        )
    try:
        return figure.to_image(format="png", width=width, height=height)
    except Exception as error:  # kaleido raises several types when Chrome fails
        raise ChartExportError(
            f"PNG export failed ({type(error).__name__}: {error}). Install Chromium "
            "or set BROWSER_PATH to a Chrome or Chromium binary."
        ) from error


def figure_html(figure: go.Figure) -> bytes:
    """Return ``figure`` as a self-contained HTML page (plotly.js embedded)."""
    return figure.to_html(full_html=True, include_plotlyjs=True).encode("utf-8")


def export_figure(figure: go.Figure) -> ChartFile:
    """Export as PNG when a renderer works here, else as standalone HTML."""
    try:
        return ChartFile(figure_png(figure), "image/png", "png")
    except ChartExportError as error:
        logger.warning("chart PNG export unavailable, using HTML: %s", error)
        return ChartFile(
            figure_html(figure),
            "text/html",
            "html",
            f"Exported as HTML because PNG export is unavailable: {error}",
        )


def capital_chart(source: Any) -> go.Figure:
    """Bar chart of own funds against the requirement and its three components."""
    view = ResultsView.of(source)
    labels = [
        "Permanent minimum requirement",
        "Fixed overheads requirement",
        "K-factor requirement",
        "Own funds requirement",
        "Own funds",
    ]
    values = [
        view.value("pmr"),
        view.value("fixed_overheads"),
        view.value("k_factor_requirement"),
        view.value("own_funds_requirement"),
        view.figure("own_funds_composition", "own_funds_gbp"),
    ]
    shown = [
        (label, value)
        for label, value in zip(labels, values, strict=True)
        if value is not None
    ]
    figure = go.Figure(
        go.Bar(
            x=[label for label, _ in shown],
            y=[value for _, value in shown],
            text=[f"£{value:,.0f}" for _, value in shown],
            textposition="outside",
        )
    )
    figure.update_layout(
        title="Own funds and the own funds requirement (GBP)",
        yaxis_title="GBP",
        # Whole pounds with separators: plotly's default ticks read "15M".
        yaxis_tickformat=",.0f",
        yaxis_tickprefix="£",
        template="plotly_white",
    )
    return figure
