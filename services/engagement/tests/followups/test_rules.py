"""R-11 cadence rules, no I/O."""

from datetime import UTC, datetime

from engagement.followups.rules import onboarding_call


def test_onboarding_call_is_a_phone_call_due_a_week_after_first_cooperation() -> None:
    planned = onboarding_call(datetime(2026, 1, 30, 9, 0, tzinfo=UTC))
    assert planned.channel == "phone"
    assert planned.due_at == datetime(2026, 2, 6, 9, 0, tzinfo=UTC)
    assert planned.rule == "R-11"


def test_the_week_is_configurable() -> None:
    planned = onboarding_call(datetime(2026, 1, 30, tzinfo=UTC), within_days=3)
    assert planned.due_at == datetime(2026, 2, 2, tzinfo=UTC)
