"""Campaign rules, pure: who a campaign invites (R-34 segments, R-42 consent)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def has_tags(customer_tags: Iterable[str], wanted: Sequence[str]) -> bool:
    return set(wanted) <= set(customer_tags)


def contacts_to_invite(consents: Mapping[str, Sequence[str]], channels: Sequence[str] | None) -> dict[str, list[str]]:
    """Contact -> channels to use: those it consented to for surveys (R-42), within the campaign's channels."""
    chosen: dict[str, list[str]] = {}
    for contact_id, granted in sorted(consents.items()):
        usable = [c for c in granted if channels is None or c in channels]
        if usable:
            chosen[contact_id] = sorted(usable)
    return chosen
