"""Chart export: PNG through kaleido and Chromium, HTML when PNG is unavailable."""

from __future__ import annotations

from calc.result import CalculationResult
from reports import charts


def sample_results():
    return {
        "pmr": CalculationResult("pmr", "PMR", 75_000.0, "MIFIDPRU 4.4", {}),
        "fixed_overheads": CalculationResult(
            "fixed_overheads", "FOR", 400_000.0, "MIFIDPRU 4.5", {}
        ),
    }


def test_capital_chart_shows_only_present_figures():
    figure = charts.capital_chart(sample_results())
    bar = figure.data[0]
    assert list(bar.x) == [
        "Permanent minimum requirement",
        "Fixed overheads requirement",
    ]
    assert list(bar.y) == [75_000.0, 400_000.0]


def test_png_export_with_chromium(chromium_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", chromium_path)
    exported = charts.export_figure(charts.capital_chart(sample_results()))
    assert exported.mime_type == "image/png"
    assert exported.data.startswith(b"\x89PNG\r\n\x1a\n")


def test_html_fallback_when_png_fails(monkeypatch):
    def broken(figure, width=1000, height=600):
        raise charts.ChartExportError("no browser")

    monkeypatch.setattr(charts, "figure_png", broken)
    exported = charts.export_figure(charts.capital_chart(sample_results()))
    assert exported.extension == "html"
    assert b"<html>" in exported.data
    assert "no browser" in exported.note


def test_missing_browser_reported(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chrome")
    try:
        charts.figure_png(charts.capital_chart(sample_results()))
    except charts.ChartExportError as error:
        assert "BROWSER_PATH" in str(error)
    else:
        raise AssertionError("rendering with a missing browser should fail")
