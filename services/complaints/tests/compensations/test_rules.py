"""Pure rules: approval limits (R-28)."""

from decimal import Decimal

from complaints.compensations.rules import DEFAULT_APPROVAL_LIMITS, ApprovalLimits


def test_approval_limit_is_the_highest_of_the_callers_roles_r28() -> None:
    limits = ApprovalLimits(DEFAULT_APPROVAL_LIMITS)
    assert limits.limit_for({"agent", "supervisor"}) == Decimal("5000")
    assert limits.may_approve({"manager"}, Decimal("20000"))
    assert not limits.may_approve({"supervisor"}, Decimal("5000.01"))
    assert limits.limit_for({"auditor"}) == Decimal("0")
