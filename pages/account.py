"""The logged-in user's own account: roles and a password change (every role)."""

from __future__ import annotations

import streamlit as st

from auth.admin_view import change_password_form
from ui.context import page_context

context = page_context()

st.title("My account")
st.write(f"Logged in as **{context.actor.username}**.")
st.write("Roles: " + ", ".join(sorted(context.actor.roles)))
st.caption(
    "Changing your password ends your sessions in other browsers and keeps this one."
)
change_password_form(context.store, context.actor)
