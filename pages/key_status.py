"""Database, cache and encryption key status (administrators)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import roles
from runtime.config import load_settings
from ui.context import page_context

context = page_context(roles.ADMINISTRATOR)

st.title("Key and storage status")
settings = load_settings()
status = context.store.status()

rows = [
    ("Database", status.database_kind),
    ("Schema revision", f"{status.current_revision} (newest {status.head_revision})"),
    ("Schema at the newest migration", "yes" if status.migrations_at_head else "no"),
    ("Row-level security enforced", "yes" if status.row_level_security else "no"),
    ("Result cache", status.cache_kind),
    ("Cache healthy", "yes" if status.cache_healthy else "no"),
    (
        "Master key source",
        "ENCRYPTION_KEY variable"
        if settings.encryption_key
        else f"generated key file in {settings.data_dir}",
    ),
    (
        "Session signing key source",
        "AUTH_SIGNING_KEY variable"
        if settings.auth_signing_key
        else f"generated key file in {settings.data_dir}",
    ),
]
st.dataframe(
    pd.DataFrame(rows, columns=["item", "status"]), hide_index=True, width="stretch"
)
if not status.migrations_at_head:
    st.error("The database schema is behind: run the migrations before use.")
if not status.cache_healthy:
    st.warning(f"The result cache is degraded: {status.cache_reason}.")
if not settings.encryption_key:
    st.warning(
        "The master key comes from a generated file next to the database. "
        "Set ENCRYPTION_KEY from a secret store in production, and back the "
        "key up separately from the database."
    )

st.subheader("Firm data keys")
st.caption(
    "Each firm's records are encrypted under its own data key, wrapped by the "
    "master key. Versions and dates only: key material is never shown."
)
data_keys = context.store.list_data_keys(context.actor)
if data_keys:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "firm id": key.firm_id,
                    "version": key.version,
                    "master key id": key.master_key_id,
                    "active": "yes" if key.is_active else "no",
                    "created (UTC)": key.created_at,
                    "retired (UTC)": key.retired_at,
                }
                for key in data_keys
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No firm has a data key yet; one is created with the firm's first save.")
