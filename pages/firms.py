"""Firms: the administrator creates each regulated firm before users are given it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import roles
from storage.errors import InvalidInput
from ui.context import page_context

context = page_context(roles.ADMINISTRATOR)

st.title("Firms")
st.caption(
    "Each firm's data is encrypted under its own key and kept apart from every "
    "other firm. After creating a firm, give users access to it on the Users page."
)

with st.form("firms:create", clear_on_submit=False):
    name = st.text_input("Firm name", max_chars=200)
    frn = st.text_input(
        "FCA Firm Reference Number (optional)",
        max_chars=20,
        help="The firm's FRN on the Financial Services Register.",
    )
    submitted = st.form_submit_button("Create firm")
if submitted:
    roles.check_role(context.actor, roles.ADMINISTRATOR)
    if not name.strip():
        st.error("Firm name: enter the firm's name.")
    else:
        try:
            firm = context.store.create_firm(
                context.actor, name.strip(), frn.strip() or None
            )
        except InvalidInput as error:
            st.error(f"Not created. {error}")
        else:
            st.success(f"Created {firm.name} (id {firm.id}).")

firms = context.store.list_firms(context.actor)
if firms:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": firm.id,
                    "name": firm.name,
                    "FRN": firm.frn or "",
                    "created (UTC)": firm.created_at,
                }
                for firm in firms
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No firm exists yet.")
