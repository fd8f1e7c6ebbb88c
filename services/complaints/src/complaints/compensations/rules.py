"""R-28 approval authority (核决权限): who may approve how much. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# per role, the largest amount its holder may promise or approve alone (configurable)
DEFAULT_APPROVAL_LIMITS: dict[str, Decimal] = {
    "agent": Decimal("500"),
    "complaint_handler": Decimal("500"),
    "sales": Decimal("1000"),
    "supervisor": Decimal("5000"),
    "manager": Decimal("20000"),
    "vice_president": Decimal("200000"),
}


@dataclass(frozen=True)
class ApprovalLimits:
    limits: dict[str, Decimal]

    def limit_for(self, roles: frozenset[str] | set[str]) -> Decimal:
        """The highest limit among the caller's roles; no role with authority means 0."""
        return max((self.limits[role] for role in roles if role in self.limits), default=Decimal("0"))

    def may_approve(self, roles: frozenset[str] | set[str], amount: Decimal) -> bool:
        return amount <= self.limit_for(roles)
