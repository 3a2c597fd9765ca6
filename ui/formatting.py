"""Display formatting for figures: money, ratios, rule labels and readings.

Money goes through ``calc.money.format_gbp`` so the screen, the CSV export and the
reports round the same way (to the penny, halves away from zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from calc.money import format_gbp

# Plotly d3-format strings: thousands separators, never SI suffixes such as 2.1G.
# d3-format accepts only "$" as a currency symbol, so the pound sign goes in
# ``tickprefix``. A format such as "£,.0f" is invalid, and plotly shows 16000000.
GBP_TICKFORMAT = ",.0f"
GBP_TICKPREFIX = "£"
GBP_HOVER = "£%{y:,.2f}"


def format_amount(amount: Any, unit: str) -> str:
    """Format one figure in its unit for display; ``None`` shows as a dash."""
    if amount is None:
        return "–"
    if isinstance(amount, bool):
        return "yes" if amount else "no"
    if unit == "GBP":
        return format_gbp(float(amount))
    if unit == "ratio":
        return f"{float(amount) * 100:,.2f}%"
    if unit == "percent":
        return f"{float(amount):,.2f}%"
    if unit in {"days", "count", "business days", "months"}:
        return f"{float(amount):,.0f}"
    if isinstance(amount, float):
        if 0 < abs(amount) < 1:
            # Coefficients such as K-AUM's 0.0002 would read 0.00 at two decimals.
            return f"{amount:.10g}"
        return f"{amount:,.2f}"
    return str(amount)


def format_ratio(numerator: float, denominator: float) -> str:
    """Format ``numerator / denominator`` as a percentage, or a dash when undefined."""
    if not denominator:
        return "–"
    return f"{numerator / denominator * 100:,.1f}%"


def figure_unit(name: str) -> str:
    """Return the unit of a named figure from its suffix (``_gbp`` is GBP)."""
    if name.endswith("_gbp"):
        return "GBP"
    if name.endswith("_ratio"):
        return "ratio"
    if name.endswith("_percent"):
        return "percent"
    if name.endswith("_days"):
        return "days"
    return "text"


def figure_label(name: str) -> str:
    """Turn a figure key such as ``average_aum_gbp`` into ``Average AUM``."""
    words = name.removesuffix("_gbp").removesuffix("_ratio").split("_")
    upper = {"aum", "cmh", "asa", "coh", "dtf", "npr", "cmg", "tcd", "con", "sni"}
    # "for" stays lower case because figure keys use it only as a preposition.
    upper |= {"pmr", "ofr", "kfr", "cet1", "at1", "t2", "cva", "pfe", "icara"}
    shown = [word.upper() if word in upper else word for word in words]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def figures_table(figures: dict[str, Any]) -> list[dict[str, str]]:
    """Return rows (figure, value) for the scalar figures of a result."""
    rows = []
    for name, amount in figures.items():
        if isinstance(amount, dict | list | tuple):
            continue
        rows.append(
            {
                "figure": figure_label(name),
                "value": format_amount(amount, figure_unit(name)),
            }
        )
    return rows


def readings_note(readings: Iterable[Any]) -> str:
    """Join a result's readings into the note shown next to its figure."""
    parts = [f"Our reading of {reading.rule}: {reading.text}" for reading in readings]
    return "\n\n".join(parts)
