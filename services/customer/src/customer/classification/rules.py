"""R-02/R-03 value tier and service level from tier rules held as data. Pure: no I/O.

A rule is {"conditions": {"revenue_12m_gte": 1000000, ...}, "sets": {"tier": "high", "service_level": "vip"}}.
Active rules are tried in priority order (lowest first); the first whose conditions all hold wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.events.customer import ServiceLevel, ValueTier

FIGURES = ("revenue_12m", "orders_12m", "complaints_12m", "survey_score")
CONDITION_KEYS = frozenset(f"{figure}_{op}" for figure in FIGURES for op in ("gte", "lte"))
SETTABLE = {"tier": {t.value for t in ValueTier}, "service_level": {s.value for s in ServiceLevel}}

DEFAULT_TIER_RULES: tuple[dict[str, Any], ...] = (
    {
        "name": "high value",
        "priority": 10,
        "conditions": {"revenue_12m_gte": 1_000_000},
        "sets": {"tier": "high", "service_level": "vip"},
    },
    {"name": "frequent buyer", "priority": 20, "conditions": {"orders_12m_gte": 24}, "sets": {"tier": "high"}},
    {"name": "mid value", "priority": 30, "conditions": {"revenue_12m_gte": 100_000}, "sets": {"tier": "mid"}},
    {"name": "regular buyer", "priority": 40, "conditions": {"orders_12m_gte": 6}, "sets": {"tier": "mid"}},
    {"name": "everyone else", "priority": 1000, "conditions": {}, "sets": {"tier": "low"}},
)


class RuleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_rule(conditions: Mapping[str, Any], sets: Mapping[str, Any]) -> None:
    """RuleError naming the first unknown condition key, non-number bound or unknown target value."""
    for key, bound in conditions.items():
        if key not in CONDITION_KEYS:
            raise RuleError(
                f"conditions.{key}", f"unknown condition {key!r}; known: {', '.join(sorted(CONDITION_KEYS))}"
            )
        if isinstance(bound, bool) or not isinstance(bound, int | float | Decimal):
            raise RuleError(f"conditions.{key}", "a condition bound is a number")
    if not sets:
        raise RuleError("sets", "a rule sets tier and/or service_level")
    for key, value in sets.items():
        if key not in SETTABLE:
            raise RuleError(f"sets.{key}", f"unknown target {key!r}; known: tier, service_level")
        if value not in SETTABLE[key]:
            raise RuleError(f"sets.{key}", f"{value!r} is not one of {', '.join(sorted(SETTABLE[key]))}")


@dataclass(frozen=True)
class Rule:
    id: str
    priority: int
    conditions: Mapping[str, Any]
    sets: Mapping[str, str]
    active: bool = True


def holds(conditions: Mapping[str, Any], figures: Mapping[str, Any]) -> bool:
    for key, bound in conditions.items():
        figure, _, op = key.rpartition("_")
        value = figures.get(figure)
        if value is None:  # no survey yet: a survey condition cannot hold
            return False
        if op == "gte" and not Decimal(str(value)) >= Decimal(str(bound)):
            return False
        if op == "lte" and not Decimal(str(value)) <= Decimal(str(bound)):
            return False
    return True


def first_match(rules: Iterable[Rule], figures: Mapping[str, Any]) -> Rule | None:
    for rule in sorted((r for r in rules if r.active), key=lambda r: (r.priority, r.id)):
        if holds(rule.conditions, figures):
            return rule
    return None


def changes(current: Mapping[str, str], rule: Rule | None) -> dict[str, tuple[str, str]]:
    """{"tier": (old, new)} for what the matching rule would change; empty when nothing changes."""
    if rule is None:
        return {}
    return {k: (current[k], v) for k, v in rule.sets.items() if current.get(k) != v}
