"""Invitation rules with fixed clocks: the signed link token, reminder and window times (R-33)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from surveys.invitations import rules

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
SECRET = "test-secret"


def test_a_token_carries_its_invitation_and_expiry_and_signs_the_same_every_time():
    expires = rules.expiry(NOW, 14)
    token = rules.make_token(SECRET, "inv-1", expires)
    assert rules.make_token(SECRET, "inv-1", expires) == token  # the reminder repeats the first link
    assert rules.read_token(SECRET, token) == rules.TokenClaims("inv-1", expires)
    assert len(rules.token_hash(token)) == 64 and rules.token_hash(token) != token


def test_an_altered_or_foreign_token_reads_as_nothing():
    token = rules.make_token(SECRET, "inv-1", rules.expiry(NOW, 14))
    assert rules.read_token("another-secret", token) is None
    assert rules.read_token(SECRET, token[:-2] + ("xy" if not token.endswith("xy") else "zz")) is None
    assert rules.read_token(SECRET, "garbage") is None


def test_expiry_is_exclusive_of_the_expiry_instant():
    expires = rules.expiry(NOW, 14)
    assert not rules.expired(expires, expires - timedelta(seconds=1))
    assert rules.expired(expires, expires)


def test_one_reminder_after_n_days_only_while_the_link_is_valid():
    assert rules.reminder_due(NOW, 3, NOW + timedelta(days=14)) == NOW + timedelta(days=3)
    assert rules.reminder_due(NOW, 3, NOW + timedelta(days=2)) is None


def test_the_window_starts_n_days_back():
    assert rules.window_start(NOW, 30) == NOW - timedelta(days=30)
