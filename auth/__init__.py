"""Access control: login, server-side sessions, roles and user administration.

Pages and the router use these names; the modules behind them are internal.
"""

from auth import roles
from auth.gate import current_session_token, logout_button, require_login, require_role
from auth.roles import ADMINISTRATOR, ANALYST, VIEWER, can_write, check_role

__all__ = [
    "ADMINISTRATOR",
    "ANALYST",
    "VIEWER",
    "can_write",
    "check_role",
    "current_session_token",
    "logout_button",
    "require_login",
    "require_role",
    "roles",
]
