"""R-09 who may see a customer's personal contact data unmasked, and what erasure leaves behind. Pure: no I/O."""

from __future__ import annotations

from servicekit import access
from servicekit.access import Staff

ERASED = "erased"
ERASURE_SOURCE = "erasure"  # the source of the consent withdrawals erasure records
CLEARED_PROFILE_FIELDS = ("address", "key_needs", "pain_points", "service_preferences", "import_key")


def sees_contact_data(principal: Staff, *, owner: str | None) -> bool:
    """The kit's rule: the owner and the roles entitled to it (servicekit.access.UNMASKED)."""
    return access.sees_unmasked(principal, owner=owner)


def erased_name(number: str) -> str:
    """An erased company is named by its number: a small company's name is often a person's name."""
    return f"{ERASED} {number}"
