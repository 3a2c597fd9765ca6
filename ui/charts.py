"""Plotly figures for the dashboard.

Money axes and hover labels use ``£`` with thousands separators (axis format
``,.0f`` with the tick prefix ``£``, hover text ``£%{y:,.2f}``), never SI
suffixes such as 2.1G, so no figure can be misread by a factor of a thousand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ui.formatting import GBP_TICKFORMAT, GBP_TICKPREFIX

HIGHLIGHT = "#1f3a5f"
MUTED = "#9aa4b2"
OWN_FUNDS = "#2e7d32"
WARNING_BAND = "rgba(237, 108, 2, 0.15)"
K_FACTOR_COLOURS = ["#4e79a7", "#59a14f", "#edc948", "#b07aa1", "#76b7b2", "#ff9da7"]


def _money_layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(
        title=title,
        yaxis={
            "tickformat": GBP_TICKFORMAT,
            "tickprefix": GBP_TICKPREFIX,
            "title": "GBP",
        },
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h"},
        separators=".,",
    )
    return figure


def requirement_chart(
    components: Mapping[str, float],
    own_funds: float,
    binding: str,
    k_factor_parts: Mapping[str, float] | None = None,
) -> go.Figure:
    """Bar per requirement component against own funds, the binding one highlighted.

    ``components`` maps a label (``"PMR"``, ``"FOR"``, ``"KFR"``) to GBP; the
    ``"KFR"`` bar is stacked from ``k_factor_parts`` when they are given.
    """
    figure = go.Figure()
    parts = dict(k_factor_parts or {})
    for label, amount in components.items():
        colour = HIGHLIGHT if label == binding else MUTED
        name = f"{label} (binding)" if label == binding else label
        if label == "KFR" and parts:
            for index, (part, part_amount) in enumerate(parts.items()):
                figure.add_bar(
                    x=[name],
                    y=[part_amount],
                    name=part,
                    marker_color=K_FACTOR_COLOURS[index % len(K_FACTOR_COLOURS)],
                    marker_line={"color": colour, "width": 3},
                    hovertemplate=f"{part}: £%{{y:,.2f}}<extra></extra>",
                )
            continue
        figure.add_bar(
            x=[name],
            y=[amount],
            name=name,
            marker_color=colour,
            hovertemplate=f"{label}: £%{{y:,.2f}}<extra></extra>",
        )
    figure.add_bar(
        x=["Own funds"],
        y=[own_funds],
        name="Own funds",
        marker_color=OWN_FUNDS,
        hovertemplate="Own funds: £%{y:,.2f}<extra></extra>",
    )
    figure.add_hline(y=own_funds, line_dash="dot", line_color=OWN_FUNDS)
    figure.update_layout(barmode="stack")
    return _money_layout(figure, "Requirement components against own funds")


def sni_bullets(conditions: Sequence[Mapping[str, object]]) -> go.Figure:
    """Bullet chart per SNI condition: the firm's value against its threshold.

    Each condition is a mapping with ``label``, ``value``, ``threshold`` and
    ``unit`` (``"GBP"`` or ``"count"``).
    """
    figure = go.Figure()
    count = max(len(conditions), 1)
    height = 1.0 / count
    for index, condition in enumerate(conditions):
        value = float(condition["value"])
        threshold = float(condition["threshold"])
        top = 1.0 - index * height
        prefix = "£" if condition.get("unit") == "GBP" else ""
        axis_end = max(value, threshold) * 1.2 or 1.0
        passed = value < threshold
        figure.add_trace(
            go.Indicator(
                mode="number+gauge",
                value=value,
                number={"prefix": prefix, "valueformat": ",.0f"},
                title={"text": str(condition["label"]), "font": {"size": 12}},
                domain={"x": [0.3, 1.0], "y": [top - height * 0.8, top - height * 0.2]},
                gauge={
                    "shape": "bullet",
                    "axis": {"range": [0, axis_end], "tickformat": ",.0f"},
                    "bar": {"color": HIGHLIGHT if passed else "#c62828"},
                    "threshold": {
                        "line": {"color": "#c62828", "width": 3},
                        "value": threshold,
                    },
                },
            )
        )
    figure.update_layout(
        height=max(90 * count, 200), margin={"l": 10, "r": 30, "t": 20, "b": 10}
    )
    return figure


def history_chart(history: pd.DataFrame, early_warning_ratio: float) -> go.Figure:
    """Own funds, requirement and threshold requirement over time.

    ``history`` has columns ``date``, ``own_funds_gbp``,
    ``own_funds_requirement_gbp`` and ``own_funds_threshold_requirement_gbp``
    (empty where the firm had no ICARA figures, which leaves gaps in the band).
    The shaded band runs from the threshold requirement to ``early_warning_ratio``
    times it: own funds inside the band is the early-warning state.
    """
    figure = go.Figure()
    threshold = history["own_funds_threshold_requirement_gbp"].astype(float)
    figure.add_scatter(
        x=history["date"],
        y=threshold,
        mode="lines",
        line={"width": 0},
        showlegend=False,
        hoverinfo="skip",
    )
    figure.add_scatter(
        x=history["date"],
        y=threshold * early_warning_ratio,
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=WARNING_BAND,
        name=f"Early-warning band (up to {early_warning_ratio:.0%} of threshold)",
        hovertemplate="Early-warning level: £%{y:,.2f}<extra></extra>",
    )
    series = [
        ("own_funds_gbp", "Own funds", OWN_FUNDS),
        ("own_funds_requirement_gbp", "Own funds requirement", MUTED),
        ("own_funds_threshold_requirement_gbp", "Threshold requirement", HIGHLIGHT),
    ]
    for column, name, colour in series:
        figure.add_scatter(
            x=history["date"],
            y=history[column],
            mode="lines+markers",
            name=name,
            line={"color": colour},
            hovertemplate=f"{name}: £%{{y:,.2f}}<extra></extra>",
        )
    return _money_layout(figure, "Own funds against requirements over time")


def risk_heat_map(register: pd.DataFrame) -> go.Figure:
    """Count of risks by likelihood and impact score (1 to 5 each)."""
    scores = list(range(1, 6))
    counts = [[0 for _ in scores] for _ in scores]
    names = [["" for _ in scores] for _ in scores]
    for _, row in register.iterrows():
        try:
            likelihood = int(row["likelihood"])
            impact = int(row["impact"])
        except (KeyError, TypeError, ValueError):
            continue
        if likelihood in scores and impact in scores:
            counts[impact - 1][likelihood - 1] += 1
            label = str(row.get("title", row.get("id", "")))
            names[impact - 1][likelihood - 1] += f"{label}<br>"
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=scores,
            y=scores,
            customdata=names,
            colorscale=[[0, "#f2f4f7"], [0.5, "#f9a825"], [1, "#c62828"]],
            hovertemplate=(
                "Likelihood %{x}, impact %{y}: %{z} risk(s)<br>%{customdata}"
                "<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        title="Risk register heat map",
        xaxis={"title": "Likelihood (1 to 5)", "dtick": 1},
        yaxis={"title": "Impact (1 to 5)", "dtick": 1},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def wind_down_profile(profile: pd.DataFrame) -> go.Figure:
    """Monthly wind-down cost bars with the cumulative cost as a line.

    ``profile`` has columns ``month`` and ``cost_gbp``.
    """
    figure = go.Figure()
    figure.add_bar(
        x=profile["month"],
        y=profile["cost_gbp"],
        name="Cost in the month",
        marker_color=MUTED,
        hovertemplate="Month %{x}: £%{y:,.2f}<extra></extra>",
    )
    figure.add_scatter(
        x=profile["month"],
        y=profile["cost_gbp"].cumsum(),
        name="Cumulative cost",
        line={"color": HIGHLIGHT},
        hovertemplate="To month %{x}: £%{y:,.2f}<extra></extra>",
    )
    return _money_layout(figure, "Wind-down cost profile")


def scenario_comparison(scenarios: Mapping[str, Mapping[str, float]]) -> go.Figure:
    """Grouped bars of each figure (own funds, requirement, surplus) per scenario."""
    figure = go.Figure()
    for name, figures in scenarios.items():
        figure.add_bar(
            x=list(figures),
            y=list(figures.values()),
            name=name,
            hovertemplate=f"{name}, %{{x}}: £%{{y:,.2f}}<extra></extra>",
        )
    figure.update_layout(barmode="group")
    return _money_layout(figure, "Scenarios side by side")
