"""R-09: who may see a customer's personal contact data unmasked. Pure; no I/O."""

from __future__ import annotations

from servicekit.auth import Principal, Role

# roles that work every account's contact data; everyone else sees it only for customers they own
UNMASKED_ROLES = (Role.manager, Role.supervisor, Role.admin, Role.auditor)


def sees_contact_data(principal: Principal, *, owner: str | None) -> bool:
    return principal.subject == owner or principal.has_any(*UNMASKED_ROLES)
