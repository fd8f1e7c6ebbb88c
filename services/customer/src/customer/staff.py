"""The acting staff member as the pure rules read it, so they need no web framework.

`servicekit.auth.Principal` fits: its roles are `Role` members, a `StrEnum`, so a role is its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Staff(Protocol):
    @property
    def subject(self) -> str: ...

    @property
    def roles(self) -> frozenset[str]: ...


def has_any_role(staff: Staff, roles: Iterable[str]) -> bool:
    return not staff.roles.isdisjoint(roles)
