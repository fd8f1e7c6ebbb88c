"""Pure customer-record rules: which fields a change touches, numbers (R-01), tags (R-04). No I/O."""

from __future__ import annotations

from dataclasses import dataclass

from customer.search.rules import search_key

NUMBER_PREFIX = "KH"  # 客户 numbers, KH-2026-000123
CLASSIFICATION_FIELDS = ("customer_type", "stage", "tier", "service_level")
OWNERSHIP_FIELDS = ("owner", "team")
NEEDS_FIELDS = ("key_needs", "pain_points", "service_preferences")  # R-06 "needs" changes


@dataclass(frozen=True)
class Change:
    changed: dict[str, object]
    previous: dict[str, object]

    @property
    def profile_fields(self) -> list[str]:
        return [f for f in self.changed if f not in CLASSIFICATION_FIELDS and f not in OWNERSHIP_FIELDS]

    @property
    def classification_changed(self) -> bool:
        return any(f in self.changed for f in CLASSIFICATION_FIELDS)

    @property
    def ownership_changed(self) -> bool:
        return any(f in self.changed for f in OWNERSHIP_FIELDS)


def diff(current: dict[str, object], requested: dict[str, object]) -> Change:
    """Fields whose requested value differs from the current one."""
    changed = {k: v for k, v in requested.items() if current.get(k) != v}
    return Change(changed=changed, previous={k: current.get(k) for k in changed})


def normalise_tags(tags: list[str]) -> list[str]:
    """R-04: width-folded, lower-cased, single-spaced, de-duplicated in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        key = search_key(tag)
        if key:
            seen.setdefault(key, None)
    return list(seen)
