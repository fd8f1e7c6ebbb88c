"""R-09 who may see a customer's personal contact data unmasked, and what erasure leaves behind. Pure: no I/O."""

from __future__ import annotations

from customer.staff import Staff, has_any_role

# roles that work every account's contact data; everyone else sees it only for customers they own
UNMASKED_ROLES = ("manager", "supervisor", "admin", "auditor")

ERASED = "erased"
ERASURE_SOURCE = "erasure"  # the source of the consent withdrawals erasure records
CLEARED_PROFILE_FIELDS = ("address", "key_needs", "pain_points", "service_preferences", "import_key")


def sees_contact_data(principal: Staff, *, owner: str | None) -> bool:
    return principal.subject == owner or has_any_role(principal, UNMASKED_ROLES)


def erased_name(number: str) -> str:
    """An erased company is named by its number: a small company's name is often a person's name."""
    return f"{ERASED} {number}"
