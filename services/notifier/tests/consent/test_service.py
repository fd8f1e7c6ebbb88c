"""The unsubscribe link (R-42): absolute, signed with the configured secret, carrying who, channel and purpose."""

from __future__ import annotations

import pytest

from notifier.consent import service as consent
from notifier.consent.rules import BadToken, Unsubscription, read_unsubscribe_token
from notifier.settings import notifier_settings


def test_link_is_absolute_signed_and_carries_the_recipient() -> None:
    url = consent.unsubscribe_link("cust-1", "contact-1", "email", "marketing")
    base = notifier_settings().public_base_url.rstrip("/")
    assert url.startswith(f"{base}/unsubscribe/")
    found = consent.read_unsubscribe_link(url.rsplit("/", 1)[1])
    assert found == Unsubscription("cust-1", "contact-1", "email", "marketing")
    with pytest.raises(BadToken):
        read_unsubscribe_token(url.rsplit("/", 1)[1], secret="another-secret")
