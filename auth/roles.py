"""Role names and the checks built on them.

Three roles exist. An administrator manages users and may change every firm's
data. An analyst (a finance team member or a consultant serving several firms)
changes the data of the firms assigned to them. A viewer (a manager) reads and
never changes anything.
"""

from __future__ import annotations

from typing import Protocol

from storage.errors import AccessDenied

ADMINISTRATOR = "administrator"
ANALYST = "analyst"
VIEWER = "viewer"

ALL_ROLES: tuple[str, ...] = (ADMINISTRATOR, ANALYST, VIEWER)
WRITE_ROLES: frozenset[str] = frozenset({ADMINISTRATOR, ANALYST})

ROLE_DESCRIPTIONS: dict[str, str] = {
    ADMINISTRATOR: "Manages users and changes the data of every firm.",
    ANALYST: "Changes the data of the firms assigned to them.",
    VIEWER: "Reads the figures of the firms assigned to them; changes nothing.",
}


class HasRoles(Protocol):
    """Anything with a ``roles`` collection, such as ``storage.actor.Actor``."""

    roles: tuple[str, ...] | list[str] | frozenset[str]


def has_any_role(actor: HasRoles, *roles: str) -> bool:
    """Return whether ``actor`` has at least one of ``roles``."""
    return any(role in actor.roles for role in roles)


def can_write(actor: HasRoles) -> bool:
    """Return whether ``actor`` may change firm data (administrator or analyst)."""
    return has_any_role(actor, *WRITE_ROLES)


def is_administrator(actor: HasRoles) -> bool:
    """Return whether ``actor`` may manage users."""
    return has_any_role(actor, ADMINISTRATOR)


def validate_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Return ``roles`` without duplicates in the order of ``ALL_ROLES``.

    Raises ``ValueError`` naming the unknown role when one is not in ``ALL_ROLES``,
    and when ``roles`` is empty, because a user without a role could see nothing.
    """
    unknown = [role for role in roles if role not in ALL_ROLES]
    if unknown:
        raise ValueError(
            f"Invalid role {unknown[0]!r}; choose from {', '.join(ALL_ROLES)}."
        )
    if not roles:
        raise ValueError(f"Choose at least one role from {', '.join(ALL_ROLES)}.")
    return tuple(role for role in ALL_ROLES if role in roles)


def check_role(actor: HasRoles, *roles: str) -> None:
    """Raise ``storage.errors.AccessDenied`` unless ``actor`` has one of ``roles``.

    For write paths outside Streamlit; pages use ``auth.require_role`` instead.
    """
    if has_any_role(actor, *roles):
        return
    username = getattr(actor, "username", "(unknown)")
    raise AccessDenied(
        f"User {username!r} needs the role {' or '.join(roles)} for this action."
    )
