"""R-05 second confirmation of key information (contact position, core needs). Pure: no I/O."""

from __future__ import annotations

from servicekit.auth import Principal, Role

KEY_CONTACT_FIELDS = ("position",)
KEY_CUSTOMER_FIELDS = ("key_needs",)
CONFIRMING_ROLES = (Role.supervisor, Role.manager, Role.admin)


def refusal(principal: Principal, *, requested_by: str, owner: str | None, owner_may_reconfirm: bool) -> str | None:
    """Why `principal` may not confirm (or reject) the change; None when they may."""
    is_owner = owner is not None and principal.subject == owner
    if principal.subject == requested_by and not (is_owner and owner_may_reconfirm):
        return "a key-information change is confirmed by someone other than the person who entered it"
    if is_owner or principal.has_any(*CONFIRMING_ROLES):
        return None
    return "only the owner, a supervisor, a manager or an admin confirms key information"
