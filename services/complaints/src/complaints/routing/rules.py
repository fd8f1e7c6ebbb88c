"""R-27 assignment: routing rules as data pick the department and owner for a new case. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RoutingRule:
    """Matches when every given criterion matches; None matches anything. More criteria = more specific."""

    department: str
    owner: str | None = None
    cause_category: str | None = None
    product: str | None = None
    tier: str | None = None
    kind: str | None = None

    def matches(self, case: dict[str, Any]) -> bool:
        return all(
            expected is None or _matches(expected, case.get(key))
            for key, expected in (
                ("cause_category", self.cause_category),
                ("product", self.product),
                ("tier", self.tier),
                ("kind", self.kind),
            )
        )

    @property
    def specificity(self) -> int:
        return sum(v is not None for v in (self.cause_category, self.product, self.tier, self.kind))


def _matches(expected: str, actual: object) -> bool:
    # "quality" matches "quality" and its sub-categories such as "quality/packaging"
    return isinstance(actual, str) and (actual == expected or actual.startswith(expected + "/"))


@dataclass(frozen=True)
class Router:
    rules: tuple[RoutingRule, ...] = field(default_factory=tuple)
    default_department: str = "customer_service"

    @classmethod
    def from_config(cls, config: list[dict[str, Any]]) -> Router:
        return cls(tuple(RoutingRule(**rule) for rule in config))

    def route(self, case: dict[str, Any]) -> RoutingRule:
        candidates = [rule for rule in self.rules if rule.matches(case)]
        if not candidates:
            return RoutingRule(department=self.default_department)
        return max(candidates, key=lambda rule: rule.specificity)


# R-27 defaults: quality problems go to R&D for cause and corrective action; order, spec, quantity
# and shipping questions to marketing; everything else stays with customer service.
DEFAULT_ROUTING: list[dict[str, Any]] = [
    {"cause_category": "quality", "department": "rnd"},
    {"cause_category": "non_quality/order", "department": "marketing"},
    {"cause_category": "non_quality/transport", "department": "marketing"},
    {"cause_category": "non_quality/service", "department": "customer_service"},
]
