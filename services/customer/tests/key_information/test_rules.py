"""R-05 who may confirm a key-information change. Pure."""

from __future__ import annotations

import pytest

from customer.key_information.rules import refusal
from servicekit.auth import Principal, Role


def who(subject: str, *roles: Role) -> Principal:
    return Principal(subject=subject, roles=frozenset(roles or (Role.agent,)))


@pytest.mark.parametrize(
    ("principal", "requested_by", "owner", "reconfirm", "allowed"),
    [
        (who("sue", Role.supervisor), "alice", "sam", False, True),
        (who("sam", Role.sales), "alice", "sam", False, True),  # the owner confirms someone else's change
        (who("andy"), "alice", "sam", False, False),  # an agent who is not the owner
        (who("sue", Role.supervisor), "sue", "sam", False, False),  # never one's own change
        (who("sam", Role.sales), "sam", "sam", False, False),
        (who("sam", Role.sales), "sam", "sam", True, True),  # CRM_CUSTOMER_OWNER_MAY_RECONFIRM
        (who("sue", Role.supervisor), "sue", "sam", True, False),  # the setting is for the owner only
    ],
)
def test_who_may_confirm(principal: Principal, requested_by: str, owner: str, reconfirm: bool, allowed: bool) -> None:
    reason = refusal(principal, requested_by=requested_by, owner=owner, owner_may_reconfirm=reconfirm)
    assert (reason is None) == allowed
