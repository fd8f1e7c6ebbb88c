"""Throttling rules with a fixed clock: free attempts, doubling waits, the account's cap, the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.sessions.rules import LockPolicy, Throttle, after_failure, just_locked, wait_seconds

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
POLICY = LockPolicy(free_attempts=3, base_seconds=2, max_seconds=300, window_seconds=900)


def _fail(times: int, at: datetime = NOON) -> Throttle:
    throttle = Throttle()
    for _ in range(times):
        throttle = after_failure(throttle, at, POLICY)
    return throttle


def test_free_attempts_then_doubling_waits() -> None:
    assert wait_seconds(_fail(3), NOON) == 0
    assert wait_seconds(_fail(4), NOON) == 2
    assert wait_seconds(_fail(5), NOON) == 4
    assert wait_seconds(_fail(8), NOON) == 32


def test_the_wait_is_capped_so_a_stranger_cannot_lock_a_user_out_for_long() -> None:
    assert wait_seconds(_fail(500), NOON) == POLICY.max_seconds


def test_failures_older_than_the_window_are_forgotten() -> None:
    old = _fail(10)
    later = NOON + timedelta(seconds=POLICY.window_seconds + 1)
    assert wait_seconds(old, later) == 0
    assert after_failure(old, later, POLICY).failures == 1


def test_just_locked_is_true_once() -> None:
    before = _fail(3)
    after = after_failure(before, NOON, POLICY)
    assert just_locked(before, after, NOON)
    assert not just_locked(after, after_failure(after, NOON, POLICY), NOON)
