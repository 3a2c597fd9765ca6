"""Clean error pages: a reference id on screen, the traceback in the log only."""

from __future__ import annotations

import logging
import uuid

import streamlit as st

from calc.errors import CalculationInputError

logger = logging.getLogger(__name__)


def new_reference() -> str:
    """Return a short id that links an on-screen error to its log entry."""
    return uuid.uuid4().hex[:12]


def show_unexpected_error(error: BaseException, page: str) -> str:
    """Log ``error`` with its traceback and show a page without the traceback.

    Returns the reference id shown to the user.
    """
    reference = new_reference()
    logger.error(
        "unhandled error on page %s, reference %s",
        page,
        reference,
        exc_info=(type(error), error, error.__traceback__),
    )
    st.error(
        "Something went wrong on this page and it could not be shown. "
        f"Reference: {reference}. Give this reference to your administrator; "
        "the details are in the application log."
    )
    return reference


def show_database_unavailable(error: BaseException) -> None:
    """Show that the database is down: nothing was saved, and the user may retry."""
    logger.warning("page stopped: database unavailable")
    st.error(f"Nothing was saved or loaded. {error}")


def show_input_error(error: CalculationInputError) -> None:
    """Show a calculator input error naming the field, the value and the fix.

    An input that has not been entered yet (value ``None``) is a prompt, not a
    mistake, so it shows as information rather than as an error.
    """
    if error.value is None:
        st.info(f"Enter **{error.field}** to complete this calculation. {error.fix}")
        return
    st.error(
        f"Invalid input in **{error.field}**: {error.problem} "
        f"(got {error.value!r}). {error.fix}"
    )


def show_migration_required(message: str) -> None:
    """Show the page drawn when the database schema is behind the code."""
    st.title("The database needs its migrations")
    st.error(message)
    st.code("python -m storage migrate", language="sh")
    st.caption(
        "Run it with DATABASE_URL set to the owner's URL, then reload this page. "
        "No data was read or written."
    )


def show_configuration_error(message: str) -> None:
    """Show the page drawn when the configuration is invalid at start."""
    st.title("The dashboard cannot start")
    st.error(f"Configuration error: {message}")
    st.caption("Fix the environment variable named above and restart the app.")
