"""Health checks of the database, cache, keys and calculators (administrators)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from auth import roles
from runtime.health import run_checks
from ui.context import page_context

context = page_context(roles.ADMINISTRATOR)

st.title("Health")
with st.spinner("Running the health checks"):
    checks = run_checks()
rows = [dataclasses.asdict(check) for check in checks]
frame = pd.DataFrame(rows)
failed = [row for row in rows if not row.get("ok", True)]
if failed:
    st.error(f"{len(failed)} of {len(rows)} checks failed.")
else:
    st.success(f"All {len(rows)} checks passed.")
st.dataframe(frame, hide_index=True, width="stretch")
