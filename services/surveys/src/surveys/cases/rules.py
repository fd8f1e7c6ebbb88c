"""Which closed cases are evaluated and who is rated (R-33). Pure."""

from __future__ import annotations

# after each service or complaint case; an inquiry is not a case handled for the customer
EVALUATED_KINDS = frozenset({"complaint", "service_request"})


def evaluated(kind: str | None, outcome: str | None) -> bool:
    """A case refused by the customer continues in its linked case (R-29): that one is evaluated instead."""
    return (kind is None or kind in EVALUATED_KINDS) and outcome != "rejected"


def rated_staff(
    kind: str | None, owner: str | None, technician: str | None, acknowledged_by: str | None = None
) -> str | None:
    """The technician who did a service request, else the case owner, else who answered the customer first;
    fixed at the moment of the invitation."""
    if technician and kind in (None, "service_request"):
        return technician
    return owner or acknowledged_by
