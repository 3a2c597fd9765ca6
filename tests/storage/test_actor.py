"""Actor: roles, firm access and the RLS scope string."""

from __future__ import annotations

import pytest

from storage.actor import Actor
from storage.errors import InvalidInput


def test_unknown_role_rejected():
    with pytest.raises(InvalidInput, match="superuser"):
        Actor(1, "x", frozenset({"superuser"}), frozenset())


def test_empty_username_rejected():
    with pytest.raises(InvalidInput, match="username"):
        Actor(1, "", frozenset({"viewer"}), frozenset())


def test_firm_access_and_scope():
    analyst = Actor(1, "a", frozenset({"analyst"}), frozenset({3, 1}))
    assert analyst.can_access_firm(1)
    assert not analyst.can_access_firm(2)
    assert analyst.can_write
    assert analyst.firm_scope() == "1,3"
    viewer = Actor(2, "v", frozenset({"viewer"}), frozenset())
    assert not viewer.can_write
    assert viewer.firm_scope() == ""


def test_system_actor_is_administrator():
    system = Actor.system("nightly import")
    assert system.username == "system:nightly import"
    assert system.user_id is None
    assert system.is_administrator
    assert system.can_access_firm(12345)
    assert system.firm_scope() == "*"
