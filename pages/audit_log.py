"""The append-only audit log and its hash-chain check (administrators)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import roles
from ui.context import page_context
from ui.exports import csv_download

AUDIT_ROWS_SHOWN = 500

context = page_context(roles.ADMINISTRATOR)

st.title("Audit log")
only_firm = st.toggle(
    f"Only the selected firm ({context.firm_name or 'none'})",
    value=False,
    disabled=context.firm_id is None,
    key="audit:only_firm",
)
entries = context.store.list_audit(
    context.actor,
    firm_id=context.firm_id if only_firm else None,
    limit=AUDIT_ROWS_SHOWN,
)
frame = pd.DataFrame(
    [
        {
            "id": entry.id,
            "time (UTC)": entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "user": entry.actor_username,
            "action": entry.action,
            "firm id": entry.firm_id,
            "detail": str(entry.detail),
        }
        for entry in entries
    ],
    columns=["id", "time (UTC)", "user", "action", "firm id", "detail"],
)
st.caption(f"The newest {len(frame):,} entries (at most {AUDIT_ROWS_SHOWN}).")
st.dataframe(frame, hide_index=True, width="stretch")
csv_download(frame, "audit_log.csv", key="audit:csv")

if st.button("Verify the hash chain"):
    with st.spinner("Checking every audit row's hash and link"):
        outcome = context.store.verify_audit_chain()
    if outcome.ok:
        st.success(f"The chain is intact: {outcome.rows_checked:,} rows checked.")
    else:
        st.error(
            f"The chain is broken at audit row {outcome.first_bad_id}: "
            f"{outcome.reason}. Restore the audit table from a backup and "
            "investigate who changed it."
        )
