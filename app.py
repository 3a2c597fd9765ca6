"""Router of the ICARA and MIFIDPRU capital dashboard.

Run with ``streamlit run app.py``. The router configures logging, validates the
configuration, opens the store, logs the user in, and then offers only the pages
the user's roles allow. Every page also checks the login itself, so a page file
opened by its URL is never shown to a logged-out visitor. This matters because,
until a session has called ``st.navigation`` after a server start, Streamlit
1.67 runs a requested file in ``pages/`` on its own, without this router.
"""

from __future__ import annotations

import logging
import time
from functools import partial

import streamlit as st

import auth
from auth import roles
from auth.gate import SESSION_TOKEN_KEY
from calc.rules import RULES_VERSION
from runtime.config import ConfigurationError, load_settings
from runtime.logs import configure_logging
from storage import get_store
from storage.errors import DatabaseUnavailable, MigrationRequired, StorageError
from ui.context import (
    FIRM_KEY,
    PENDING_FIRM_KEY,
    firm_id_of,
    firm_name_of,
    visible_firms,
)
from ui.errors import (
    show_configuration_error,
    show_database_unavailable,
    show_migration_required,
    show_unexpected_error,
)

logger = logging.getLogger("app")

PAGE_TITLE = "ICARA capital dashboard"
STATUS_KEY = "router:store_status"
# The status query checks the migrations and pings the cache. Running it once
# every 30 seconds per session keeps reruns fast and a degraded cache visible.
STATUS_SECONDS = 30.0


def store_status(store):
    """Return ``store.status()``, checked at most every ``STATUS_SECONDS``."""
    kept = st.session_state.get(STATUS_KEY)
    now = time.monotonic()
    if kept is None or now - kept[0] > STATUS_SECONDS:
        kept = (now, store.status())
        st.session_state[STATUS_KEY] = kept
    return kept[1]


def backend_note(store) -> None:
    """Show the database and cache in use, and warn when the cache is degraded."""
    status = store_status(store)
    if status.database_kind == "sqlite" and status.cache_kind == "in-process":
        st.sidebar.caption("Embedded mode: local SQLite file and in-process cache")
    else:
        st.sidebar.caption(
            f"Database: {status.database_kind}. Cache: {status.cache_kind}."
        )
    if not status.cache_healthy:
        reason = status.cache_reason or "no reason given"
        st.sidebar.warning(
            f"The result cache is degraded ({reason}). Figures are computed "
            "without the cache, so pages may be slower."
        )


def firm_selector(store, actor) -> None:
    """Draw the sidebar firm selector over the firms the actor may see."""
    firms = visible_firms(store, actor)
    if not firms:
        st.sidebar.info("No firm yet. Load the sample firm from the overview.")
        st.session_state[FIRM_KEY] = None
        return
    names = {firm_id_of(firm): firm_name_of(firm) for firm in firms}
    pending = st.session_state.pop(PENDING_FIRM_KEY, None)
    if pending in names:
        st.session_state[FIRM_KEY] = pending
    if st.session_state.get(FIRM_KEY) not in names:
        st.session_state[FIRM_KEY] = next(iter(names))
    st.sidebar.selectbox(
        "Firm", options=list(names), format_func=names.get, key=FIRM_KEY
    )


def stop_with_page(draw) -> None:
    """Run ``draw`` as the only, hidden page and stop the script.

    Streamlit lists the file names in ``pages/`` in the sidebar until the script
    calls ``st.navigation``, so every early stop goes through one hidden page.
    """
    st.navigation([st.Page(draw, title="ICARA", default=True)], position="hidden").run()
    st.stop()


def show_login_only(store) -> None:
    """Draw the login form as the only, hidden page, so no page name shows.

    Without this, a logged-out visitor would see the file names of ``pages/``
    in the sidebar, because Streamlit lists that folder until the script calls
    ``st.navigation``.
    """

    stop_with_page(lambda: auth.require_login(store))


def build_pages(actor) -> dict[str, list[st.Page]]:
    """Return the navigation sections the actor's roles allow."""
    sections: dict[str, list[st.Page]] = {
        "Overview": [
            st.Page("pages/overview.py", title="Overview", default=True),
            st.Page("pages/history.py", title="History and reports"),
            st.Page("pages/account.py", title="My account"),
        ],
        "Calculators": [
            st.Page("pages/fixed_overheads.py", title="Fixed overheads"),
            st.Page("pages/k_factors.py", title="K-factors"),
            st.Page("pages/k_tcd.py", title="K-TCD trades"),
            st.Page("pages/sni.py", title="SNI classification"),
            st.Page("pages/own_funds.py", title="Own funds"),
            st.Page("pages/liquidity.py", title="Liquidity"),
            st.Page("pages/icara.py", title="ICARA and wind-down"),
            st.Page("pages/risk_assessment.py", title="Risk assessment"),
        ],
    }
    if roles.can_write(actor):
        sections["Planning"] = [
            st.Page("pages/scenarios.py", title="Scenario explorer"),
        ]
    if roles.is_administrator(actor):
        sections["Administration"] = [
            st.Page("pages/firms.py", title="Firms"),
            st.Page("pages/users.py", title="Users"),
            st.Page("pages/health.py", title="Health"),
            st.Page("pages/audit_log.py", title="Audit log"),
            st.Page("pages/key_status.py", title="Key status"),
        ]
    return sections


def main() -> None:
    """Run the router for one script run."""
    st.set_page_config(page_title=PAGE_TITLE, layout="wide")
    try:
        settings = load_settings()
    except ConfigurationError as error:
        logging.basicConfig(level="INFO")
        logger.error("configuration error at start: %s", error)
        stop_with_page(partial(show_configuration_error, str(error)))
    configure_logging(settings)
    try:
        store = get_store()
    except MigrationRequired as error:
        logger.error("database schema behind at start: %s", error)
        stop_with_page(partial(show_migration_required, str(error)))
    except DatabaseUnavailable as error:
        stop_with_page(partial(show_database_unavailable, error))
    except StorageError as error:
        stop_with_page(partial(show_unexpected_error, error, "start"))

    if not st.session_state.get(SESSION_TOKEN_KEY):
        show_login_only(store)
    try:
        actor = auth.require_login(store)
        st.sidebar.caption(f"Rules version: {RULES_VERSION}")
        backend_note(store)
        firm_selector(store, actor)
    except DatabaseUnavailable as error:
        show_database_unavailable(error)
        st.stop()
    auth.logout_button(actor)

    page = st.navigation(build_pages(actor))
    try:
        page.run()
    except DatabaseUnavailable as error:
        show_database_unavailable(error)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        show_unexpected_error(error, page.title)


main()
