"""Pure customer rules: which fields a change touches. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

CLASSIFICATION_FIELDS = ("customer_type", "stage", "tier", "service_level")
OWNERSHIP_FIELDS = ("owner", "team")


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
