"""Where a message goes (R-40), pure: which of a customer's contacts and address a channel uses, and the staff
addresses from settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Profile(Protocol):
    language: str | None
    time_zone: str | None


class ContactPoint(Protocol):
    contact_id: str
    email: str | None
    phone: str | None
    is_primary: bool


@dataclass(frozen=True)
class Address:
    """Where one customer message goes; None address = the contact has none for that channel."""

    contact_id: str | None
    address: str | None
    language: str | None
    time_zone: str | None


def choose(
    recipient: Profile, contacts: Sequence[ContactPoint], contact_id: str | None, channels: list[str]
) -> dict[str, Address]:
    """The named contact, else the primary, else the first; per channel its address (None if it has none)."""
    if contact_id is not None:
        chosen = next((c for c in contacts if c.contact_id == contact_id), None)
    else:
        chosen = next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)
    by_channel = {"email": chosen.email, "sms": chosen.phone} if chosen is not None else {}
    return {
        channel: Address(
            chosen.contact_id if chosen else contact_id,
            by_channel.get(channel),
            recipient.language,
            recipient.time_zone,
        )
        for channel in channels
    }


def staff_address(contacts: dict[str, dict[str, str]], staff: str, channel: str) -> str | None:
    """Staff addresses from settings, by subject or `team:<name>`; the in-app inbox always reaches staff."""
    if channel == "in_app":
        return staff
    return (contacts.get(staff) or {}).get(channel)
