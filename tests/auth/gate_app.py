"""A minimal app for the login AppTests: the login gate, one line, logout.

It reads the store from the configured data folder, as the real router does.
"""

import streamlit as st

import auth
from storage.registry import get_store

store = get_store()
actor = auth.require_login(store)
auth.logout_button(actor)
st.title("Capital position")
st.write(f"Logged in: {actor.username}; roles: {', '.join(sorted(actor.roles))}")
