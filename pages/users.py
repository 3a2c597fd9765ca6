"""User administration (administrators): add, disable, reset, roles and firms."""

from __future__ import annotations

import streamlit as st

from auth import accounts, roles
from auth.admin_view import (
    add_user_form,
    change_password_form,
    edit_user_forms,
    show_flash,
    users_table,
)
from ui.context import firm_id_of, firm_name_of, page_context, visible_firms

context = page_context(roles.ADMINISTRATOR)
store, actor = context.store, context.actor

st.title("Users")
show_flash()
firm_names = {
    firm_id_of(firm): firm_name_of(firm) for firm in visible_firms(store, actor)
}
users = accounts.list_users(store)
st.dataframe(users_table(users, firm_names), hide_index=True, width="stretch")

add_user_form(store, actor, firm_names)

st.divider()
by_username = {user.username: user for user in users}
chosen = st.selectbox("Change a user", list(by_username), key="users:chosen")
if chosen is not None:
    edit_user_forms(store, actor, by_username[chosen], firm_names)

st.divider()
change_password_form(store, actor)
