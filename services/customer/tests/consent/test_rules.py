"""R-42 consent rules: the newest row per channel and purpose is in force; stale unsubscribes change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from customer.consent import rules as consent


def test_the_newest_row_per_channel_and_purpose_is_in_force() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        SimpleNamespace(id=2, channel="sms", purpose="care", granted=False, recorded_at=t0 + timedelta(days=1)),
        SimpleNamespace(id=1, channel="sms", purpose="care", granted=True, recorded_at=t0),
        SimpleNamespace(id=3, channel="email", purpose="care", granted=True, recorded_at=t0),
    ]
    state = consent.current_state(rows)  # type: ignore[arg-type]
    assert state[("sms", "care")].granted is False
    assert state[("email", "care")].granted is True
    assert consent.is_stale(rows[0], t0) is True  # type: ignore[arg-type]
    assert consent.is_stale(rows[0], t0 + timedelta(days=2)) is False  # type: ignore[arg-type]
    assert consent.is_stale(None, t0) is False
