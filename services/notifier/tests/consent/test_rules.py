"""Pure consent rules (R-42): who may receive which purpose; the one-click unsubscribe headers (RFC 8058)."""

from __future__ import annotations

import pytest

from notifier.consent import rules


@pytest.mark.parametrize(
    ("purpose", "granted", "expected"),
    [
        ("service", None, (True, None)),
        ("service", False, (True, None)),  # service messages about a case need no consent
        ("care", True, (True, None)),
        ("care", None, (False, "no_consent")),
        ("marketing", False, (False, "consent_withdrawn")),
    ],
)
def test_consent_r42(purpose: str, granted: bool | None, expected: tuple) -> None:
    assert rules.allowed(purpose, "email", granted) == expected


def test_one_click_headers() -> None:
    assert rules.unsubscribe_headers("https://crm.example/unsubscribe/t") == {
        "List-Unsubscribe": "<https://crm.example/unsubscribe/t>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
