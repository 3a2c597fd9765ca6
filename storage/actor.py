"""The identity on whose behalf a storage call runs."""

from __future__ import annotations

from dataclasses import dataclass

from storage.errors import AccessDenied, InvalidInput

ROLES = frozenset({"administrator", "analyst", "viewer"})
WRITE_ROLES = frozenset({"administrator", "analyst"})


@dataclass(frozen=True)
class Actor:
    """A user, or the system itself, acting through the storage API.

    Attributes
    ----------
    user_id : int or None
        Id in the ``users`` table, or ``None`` for the system actor.
    username : str
        Name recorded in the audit log and on saved records.
    roles : frozenset of str
        A subset of ``{"administrator", "analyst", "viewer"}``.
    firm_ids : frozenset of int
        Firms an analyst or viewer may access. Administrators access every firm
        whatever this contains.
    """

    user_id: int | None
    username: str
    roles: frozenset[str]
    firm_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        unknown = set(self.roles) - ROLES
        if unknown:
            raise InvalidInput(
                f"Actor roles must be among {sorted(ROLES)}, got {sorted(unknown)}."
            )
        if not self.username:
            raise InvalidInput("Actor username must not be empty.")

    @classmethod
    def system(cls, reason: str) -> Actor:
        """Build an administrator actor for command-line and background work.

        ``reason`` is recorded as the username (``system:<reason>``) so that the
        audit log shows why the system acted.
        """
        return cls(
            user_id=None,
            username=f"system:{reason}",
            roles=frozenset({"administrator"}),
            firm_ids=frozenset(),
        )

    @property
    def is_administrator(self) -> bool:
        return "administrator" in self.roles

    @property
    def can_write(self) -> bool:
        return bool(self.roles & WRITE_ROLES)

    def can_access_firm(self, firm_id: int) -> bool:
        """Return whether this actor may read the firm's records."""
        return self.is_administrator or firm_id in self.firm_ids

    def firm_scope(self) -> str:
        """Return the ``app.firm_ids`` value for row-level security.

        ``"*"`` grants every firm (administrators); otherwise a comma-separated
        list of firm ids, empty when the actor has no firm.
        """
        if self.is_administrator:
            return "*"
        return ",".join(str(firm_id) for firm_id in sorted(self.firm_ids))


def describe_denial(actor: Actor, operation: str) -> AccessDenied:
    """Build the ``AccessDenied`` error for ``actor`` attempting ``operation``."""
    return AccessDenied(f"User {actor.username!r} is not allowed to {operation}.")
