"""Download buttons for tables and charts.

Tables go through ``reports.to_safe_csv``: UTF-8 with a byte order mark so Excel
reads the pound sign, and cells that start with ``=``, ``+``, ``-`` or ``@``
neutralised so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from reports import to_safe_csv


def csv_download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame], file_name: str, key: str
) -> None:
    """Draw a button that downloads a table as a safe CSV file.

    ``frame`` may be a callable, which is called only when the button is
    clicked, for tables too large to build at every rerun.
    """

    def build_csv() -> bytes:
        table = frame() if callable(frame) else frame
        return to_safe_csv(table)

    st.download_button(
        f"Download {file_name}",
        data=build_csv,
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def figure_download(figure: go.Figure, name: str, key: str) -> None:
    """Draw a button that downloads a chart as a standalone HTML file.

    The HTML embeds plotly.js (about 4 MB), so it is built only on click.
    NOTE: PNG export needs the kaleido package, which is not a dependency.
    """

    def build_html() -> bytes:
        return figure.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")

    st.download_button(
        f"Download chart {name}.html",
        data=build_html,
        file_name=f"{name}.html",
        mime="text/html",
        key=key,
        on_click="ignore",
    )
