"""R-08 owner rules: industry or service type -> owner (and team). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnerRuleView:
    id: str
    priority: int
    industry: str | None
    service_type: str | None
    owner: str
    team: str | None
    active: bool = True


def matches(rule: OwnerRuleView, *, industry: str | None, service_type: str | None) -> bool:
    # a rule names an industry, a service type or both; every named one must match (case-insensitive)
    if rule.industry is None and rule.service_type is None:
        return False
    if rule.industry is not None and (industry or "").casefold() != rule.industry.casefold():
        return False
    return rule.service_type is None or (service_type or "").casefold() == rule.service_type.casefold()


def pick_owner(
    rules: Iterable[OwnerRuleView], *, industry: str | None, service_type: str | None
) -> OwnerRuleView | None:
    """The lowest-priority-number active rule that matches; None when no rule does."""
    for rule in sorted((r for r in rules if r.active), key=lambda r: (r.priority, r.id)):
        if matches(rule, industry=industry, service_type=service_type):
            return rule
    return None
