"""Pure delivery rules with fixed clocks: quiet hours and frequency cap (R-43), retry backoff."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from notifier.delivery import rules
from notifier.delivery.rules import backoff

SHANGHAI_2200 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 in Asia/Shanghai
SHANGHAI_0800 = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
QUIET = {"start": time(21), "end": time(8), "default_zone": "Asia/Shanghai"}


def decide(now: datetime, **overrides: object) -> rules.Decision:
    args: dict = dict(
        purpose="care",
        time_zone="Asia/Shanghai",
        recent=[],
        quiet_start=time(21),
        quiet_end=time(8),
        default_zone="Asia/Shanghai",
        caps={"care": (3, 7)},
        cap_policy="defer",
        open_case_exempt=True,
        about_open_case=False,
    )
    return rules.decide(now, **(args | overrides))


def test_quiet_hours_defer_to_the_windows_opening_in_the_recipients_zone() -> None:
    assert rules.quiet_hours_end(SHANGHAI_2200, time_zone="Asia/Shanghai", **QUIET) == SHANGHAI_0800
    # 22:00 in Shanghai is 14:00 in London: not quiet there
    assert rules.quiet_hours_end(SHANGHAI_2200, time_zone="Europe/London", **QUIET) is None
    early = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 06:30 next day in Shanghai
    assert rules.quiet_hours_end(early, time_zone="Asia/Shanghai", **QUIET) == SHANGHAI_0800
    # an unknown zone falls back to the default one
    assert rules.quiet_hours_end(SHANGHAI_2200, time_zone="Mars/Base", **QUIET) == SHANGHAI_0800
    lunch = {"start": time(12), "end": time(14), "default_zone": "UTC"}
    assert rules.quiet_hours_end(datetime(2026, 1, 1, 13, tzinfo=UTC), time_zone=None, **lunch) == datetime(
        2026, 1, 1, 14, tzinfo=UTC
    )


def test_service_message_about_an_open_case_passes_quiet_hours_only_when_configured() -> None:
    assert decide(SHANGHAI_2200, purpose="service", about_open_case=True).outcome == "send"
    held = decide(SHANGHAI_2200, purpose="service", about_open_case=True, open_case_exempt=False)
    assert (held.outcome, held.due_at, held.reason) == ("defer", SHANGHAI_0800, "quiet_hours")
    assert decide(SHANGHAI_2200, purpose="service", about_open_case=False).due_at == SHANGHAI_0800


def test_frequency_cap_defers_until_the_oldest_leaves_the_window() -> None:
    now = datetime(2026, 11, 23, 4, tzinfo=UTC)  # 12:00 in Shanghai
    recent = [now - timedelta(days=6), now - timedelta(days=2), now - timedelta(hours=1)]
    assert decide(now, recent=recent[1:]).outcome == "send"
    deferred = decide(now, recent=recent)
    assert (deferred.outcome, deferred.due_at, deferred.reason) == ("defer", now + timedelta(days=1), "frequency_cap")
    dropped = decide(now, recent=recent, cap_policy="drop")
    assert (dropped.outcome, dropped.reason) == ("drop", "frequency_cap")
    # already deferred messages count too: the next one goes after them
    later = decide(now, recent=[*recent, now + timedelta(days=1)])
    assert later.due_at == now + timedelta(days=5)
    # marketing has no cap configured here
    assert decide(now, purpose="marketing", recent=recent).outcome == "send"


def test_a_deferred_time_that_falls_in_quiet_hours_moves_to_the_opening() -> None:
    now = datetime(2026, 11, 23, 14, tzinfo=UTC) - timedelta(days=1)  # 22:00 Shanghai, a day earlier
    recent = [now - timedelta(days=7) + timedelta(hours=1)] * 3  # the cap frees up in an hour: 23:00, quiet
    decision = decide(now, recent=recent)
    assert decision.outcome == "defer" and decision.due_at == SHANGHAI_0800 - timedelta(days=1)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    assert backoff(1, 2.0, 600, rng=lambda: 1.0) == timedelta(seconds=2)
    assert backoff(4, 2.0, 600, rng=lambda: 0.0) == timedelta(seconds=8)
    assert backoff(30, 2.0, 600, rng=lambda: 1.0) == timedelta(seconds=600)
