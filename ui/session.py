"""Widget values that survive switching pages, namespaced by page and firm.

Streamlit removes a widget's value from ``st.session_state`` when a run does not
draw that widget. Widgets whose value should survive a visit to another page
get a key from ``widget_key`` and ``persist_state="session"`` (Streamlit 1.67).

The firm id is part of every key, so two firms never share a value. Data editors,
file uploaders and buttons have no ``persist_state``; their results are kept with
``remember`` under ``value_key`` instead.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import streamlit as st

from calc.result import to_json_safe

WIDGET_PREFIX = "keep:"
VALUE_PREFIX = "value:"


def widget_key(page: str, firm_id: Any, name: str) -> str:
    """Return the session-state key of a page widget whose value should persist."""
    return f"{WIDGET_PREFIX}{page}:{firm_id}:{name}"


def value_key(page: str, firm_id: Any, name: str) -> str:
    """Return the session-state key of a remembered non-widget value."""
    return f"{VALUE_PREFIX}{page}:{firm_id}:{name}"


def default_value(key: str, value: Any) -> None:
    """Set a widget's starting value unless the session already contains one."""
    if key not in st.session_state:
        st.session_state[key] = value


def remember(key: str, value: Any) -> None:
    """Store a non-widget value (an accepted upload, a result) for the session."""
    st.session_state[key] = value


def recall(key: str, default: Any = None) -> Any:
    """Return a value stored with ``remember``, or ``default``."""
    return st.session_state.get(key, default)


def forget_firm(firm_id: Any) -> None:
    """Remove every persisted value of one firm, e.g. after its data is replaced."""
    marker = f":{firm_id}:"
    for key in list(st.session_state.keys()):
        if not isinstance(key, str):
            continue
        if key.startswith((WIDGET_PREFIX, VALUE_PREFIX)) and marker in key:
            del st.session_state[key]


MEMO_PREFIX = "memo:"
MEMO_SIZE = 64


def memoized(firm_id: Any, name: str, inputs: Any, compute: Callable[[], Any]) -> Any:
    """Return ``compute()``, reusing the result of an earlier identical request.

    Results are kept in this session's state only, keyed by the firm id, the
    calculation name and a SHA-256 hash of the canonical JSON of ``inputs``, so
    two sessions or two firms never share one. At most ``MEMO_SIZE`` results
    are kept; the oldest is dropped first. Exceptions are not kept.
    """
    digest = hashlib.sha256(
        json.dumps(to_json_safe(inputs), sort_keys=True).encode("utf-8")
    ).hexdigest()
    store: OrderedDict[str, Any] = st.session_state.setdefault(
        MEMO_PREFIX + "results", OrderedDict()
    )
    key = f"{firm_id}:{name}:{digest}"
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > MEMO_SIZE:
        store.popitem(last=False)
    return value
