"""The context every page starts from: the store, the logged-in actor and the firm.

Every page file calls ``page_context`` first. It runs ``auth.require_login`` again
even though the router already did, so a page is unreachable without a login
however it is opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import streamlit as st

import auth
from auth import roles
from storage import get_store
from storage.errors import DatabaseUnavailable
from ui.errors import show_database_unavailable

logger = logging.getLogger(__name__)

FIRM_KEY = "selected_firm_id"
# A firm to select at the next run, set by a page after the sidebar selector
# is drawn (a widget's value cannot change once it is drawn in a run).
PENDING_FIRM_KEY = "pending_firm_id"
WRITE_ROLES = (roles.ADMINISTRATOR, roles.ANALYST)


@dataclass(frozen=True)
class PageContext:
    """The store, the actor, the selected firm and whether the actor may save."""

    store: Any
    actor: Any
    firm_id: Any
    firm_name: str
    can_write: bool


def firm_id_of(firm: Any) -> Any:
    """Return the id of a firm record, whether a mapping or an object."""
    return firm["id"] if isinstance(firm, dict) else firm.id


def firm_name_of(firm: Any) -> str:
    """Return the display name of a firm record."""
    return str(firm["name"] if isinstance(firm, dict) else firm.name)


def visible_firms(store: Any, actor: Any) -> list[Any]:
    """Return the firms the actor may see, as the store lists them."""
    return list(store.list_firms(actor))


def page_context(*required_roles: str) -> PageContext:
    """Log the user in (or stop the page), check roles and return the context."""
    store = get_store()
    try:
        actor = auth.require_login(store)
        if required_roles:
            auth.require_role(actor, *required_roles)
        firms = visible_firms(store, actor)
    except DatabaseUnavailable as error:
        show_database_unavailable(error)
        st.stop()
    names = {firm_id_of(firm): firm_name_of(firm) for firm in firms}
    firm_id = st.session_state.get(FIRM_KEY)
    if firm_id not in names:
        firm_id = next(iter(names), None)
        st.session_state[FIRM_KEY] = firm_id
    return PageContext(
        store=store,
        actor=actor,
        firm_id=firm_id,
        firm_name=names.get(firm_id, ""),
        can_write=roles.can_write(actor),
    )


def require_firm(context: PageContext) -> None:
    """Stop the page with a hint when no firm is selected."""
    if context.firm_id is None:
        st.info(
            "No firm is selected. Load the sample firm from the overview, "
            "or ask an administrator to give you access to a firm."
        )
        st.stop()


def require_write(context: PageContext) -> None:
    """Check again, at the write path, that the actor may save."""
    auth.require_role(context.actor, *WRITE_ROLES)
