"""R-05 second confirmation of key information (contact position, core needs). Pure: no I/O."""

from __future__ import annotations

from customer.staff import Staff, has_any_role

KEY_CONTACT_FIELDS = ("position",)
KEY_CUSTOMER_FIELDS = ("key_needs",)
CONFIRMING_ROLES = ("supervisor", "manager", "admin")


def refusal(principal: Staff, *, requested_by: str, owner: str | None, owner_may_reconfirm: bool) -> str | None:
    """Why `principal` may not confirm (or reject) the change; None when they may."""
    is_owner = owner is not None and principal.subject == owner
    if principal.subject == requested_by and not (is_owner and owner_may_reconfirm):
        return "a key-information change is confirmed by someone other than the person who entered it"
    if is_owner or has_any_role(principal, CONFIRMING_ROLES):
        return None
    return "only the owner, a supervisor, a manager or an admin confirms key information"
