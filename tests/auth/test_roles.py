"""Role constants and role checks."""

from __future__ import annotations

import pytest

from auth import roles
from storage.actor import Actor


def make_actor(*role_names: str) -> Actor:
    return Actor(user_id=1, username="alice", roles=frozenset(role_names))


def test_role_names_match_storage():
    from storage.actor import ROLES

    assert set(roles.ALL_ROLES) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(roles.ADMINISTRATOR, True), (roles.ANALYST, True), (roles.VIEWER, False)],
)
def test_can_write_by_role(role, expected):
    assert roles.can_write(make_actor(role)) is expected


def test_viewer_is_not_administrator():
    assert not roles.is_administrator(make_actor(roles.VIEWER, roles.ANALYST))


def test_validate_roles_orders_and_deduplicates():
    assert roles.validate_roles([roles.VIEWER, roles.ADMINISTRATOR, roles.VIEWER]) == (
        roles.ADMINISTRATOR,
        roles.VIEWER,
    )


def test_validate_roles_rejects_unknown():
    with pytest.raises(ValueError, match="'superuser'"):
        roles.validate_roles(["superuser"])


def test_validate_roles_rejects_empty():
    with pytest.raises(ValueError, match="at least one role"):
        roles.validate_roles([])
