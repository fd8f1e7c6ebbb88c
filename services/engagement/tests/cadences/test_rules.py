"""The cadence engine (R-11, R-12, R-13, R-19) driven by fixed clocks: no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engagement.cadences.rules import (
    DEFAULT_POLICY,
    CustomerFacts,
    Override,
    fulfilled,
    obligations_for,
    parse_rule,
    window,
)

ZONE = "Asia/Shanghai"
SHANGHAI_MIDNIGHT = 16  # 00:00 in Shanghai is 16:00 UTC the day before


def facts(**fields: object) -> CustomerFacts:
    defaults: dict[str, object] = {
        "customer_type": "normal",
        "stage": "cooperation",
        "tier": "mid",
        "service_level": "normal",
        "registered_at": datetime(2024, 1, 15, 2, 0, tzinfo=UTC),
    }
    return CustomerFacts(**{**defaults, **fields})  # type: ignore[arg-type]


def by_rule(planned: list) -> dict:
    return {p.rule: p for p in planned}


def test_new_customer_gets_a_phone_call_within_seven_days_then_a_monthly_contact() -> None:
    registered = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    customer = facts(stage="contact", registered_at=registered)
    first_week = by_rule(obligations_for(customer, DEFAULT_POLICY, now=datetime(2026, 3, 4, tzinfo=UTC), crisis=False))
    assert set(first_week) == {"onboarding", "new"}
    onboarding = first_week["onboarding"]
    assert (onboarding.window_start, onboarding.window_end) == (registered, datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    assert (onboarding.kinds, onboarding.channel, onboarding.focus) == (("phone",), "phone", "new")
    monthly = first_week["new"]
    assert monthly.window_start == datetime(2026, 2, 28, SHANGHAI_MIDNIGHT, tzinfo=UTC)  # 1 March, Shanghai
    assert monthly.window_end == datetime(2026, 3, 31, SHANGHAI_MIDNIGHT, tzinfo=UTC)
    assert monthly.contacts == 1
    later = by_rule(obligations_for(customer, DEFAULT_POLICY, now=datetime(2026, 4, 20, tzinfo=UTC), crisis=False))
    assert set(later) == {"new"}  # the onboarding call was a one-off
    assert later["new"].window_end == datetime(2026, 4, 30, SHANGHAI_MIDNIGHT, tzinfo=UTC)


def test_stable_customer_gets_a_quarterly_in_depth_visit_and_an_anniversary_contact() -> None:
    customer = facts(stage="stable", registered_at=datetime(2024, 1, 15, 2, 0, tzinfo=UTC))
    planned = by_rule(obligations_for(customer, DEFAULT_POLICY, now=datetime(2026, 1, 12, tzinfo=UTC), crisis=False))
    assert set(planned) == {"stable", "anniversary"}
    visit = planned["stable"]
    assert (visit.period, visit.contacts, visit.kinds, visit.channel) == ("quarter", 1, ("in_depth",), "visit")
    assert visit.window_end == datetime(2026, 3, 31, SHANGHAI_MIDNIGHT, tzinfo=UTC)
    assert planned["anniversary"].window_start == datetime(2026, 1, 8, 2, 0, tzinfo=UTC)  # a week either side
    assert visit.focus == "old"  # business progress, new services, needs mining
    mid_quarter = by_rule(
        obligations_for(customer, DEFAULT_POLICY, now=datetime(2026, 2, 20, tzinfo=UTC), crisis=False)
    )
    assert set(mid_quarter) == {"stable"}


def test_high_value_customer_owes_two_contacts_a_month_one_by_phone_one_online() -> None:
    customer = facts(tier="high", stage="cooperation")
    planned = by_rule(obligations_for(customer, DEFAULT_POLICY, now=datetime(2026, 5, 6, tzinfo=UTC), crisis=False))
    high = planned["high_value"]
    assert (high.contacts, high.kinds, high.period) == (2, ("phone", "online"), "month")
    assert not fulfilled(high.contacts, high.kinds, ["phone", "phone"])  # two calls but nothing online
    assert fulfilled(high.contacts, high.kinds, ["phone", "im"])
    assert fulfilled(high.contacts, high.kinds, ["video", "phone", "email"])


def test_crisis_mode_tightens_every_cadence_and_off_restores_it() -> None:
    ordinary, key = facts(stage="stable"), facts(customer_type="strategic", stage="stable")
    at = datetime(2026, 5, 6, tzinfo=UTC)  # a Wednesday
    [weekly] = obligations_for(ordinary, DEFAULT_POLICY, now=at, crisis=True)
    assert (weekly.rule, weekly.period, weekly.contacts) == ("crisis", "week", 1)
    assert weekly.window_start == datetime(2026, 5, 3, SHANGHAI_MIDNIGHT, tzinfo=UTC)  # Monday 4 May, Shanghai
    key_planned = by_rule(obligations_for(key, DEFAULT_POLICY, now=at, crisis=True))
    assert key_planned["crisis_key"].contacts == 2  # key customers two or three times a week
    assert {p.rule for p in obligations_for(ordinary, DEFAULT_POLICY, now=at, crisis=False)} == {"stable"}


def test_an_override_lowers_the_cadence_until_its_date() -> None:
    customer = facts(tier="high")
    at = datetime(2026, 5, 6, tzinfo=UTC)
    override = Override(period="quarter", contacts=1, until=date(2026, 6, 30))
    high = by_rule(obligations_for(customer, DEFAULT_POLICY, now=at, crisis=False, override=override))["high_value"]
    assert (high.period, high.contacts, high.kinds) == ("quarter", 1, ("phone",))
    after = datetime(2026, 7, 6, tzinfo=UTC)
    restored = by_rule(obligations_for(customer, DEFAULT_POLICY, now=after, crisis=False, override=override))
    assert (restored["high_value"].period, restored["high_value"].contacts) == ("month", 2)
    # an override never raises a cadence: a longer period than asked stays
    weekly = Override(period="week", contacts=5)
    kept = by_rule(obligations_for(customer, DEFAULT_POLICY, now=at, crisis=False, override=weekly))["high_value"]
    assert (kept.period, kept.contacts) == ("month", 2)


def test_obligations_met_and_missed() -> None:
    assert fulfilled(1, ("any",), ["sms"])
    assert not fulfilled(1, ("any",), [])
    assert fulfilled(1, ("in_depth",), ["visit"])
    assert not fulfilled(1, ("in_depth",), ["phone"])


def test_a_customer_with_an_open_complaint_is_talked_to_about_it_by_video() -> None:
    [planned] = obligations_for(
        facts(open_complaint=True), DEFAULT_POLICY, now=datetime(2026, 5, 6, tzinfo=UTC), crisis=False
    )
    assert (planned.focus, planned.channel) == ("complaining", "video")


def test_windows_are_local_periods() -> None:
    assert window("quarter", datetime(2026, 12, 31, 17, 0, tzinfo=UTC), ZONE)[0] == datetime(
        2026, 12, 31, SHANGHAI_MIDNIGHT, tzinfo=UTC
    )  # 1 January 2027 01:00 in Shanghai is next year's first quarter


def test_rules_from_data_are_checked() -> None:
    assert parse_rule({"name": "vip", "when": {"service_level": ["vip"]}, "period": "week", "contacts": 1}).kinds == (
        "any",
    )
    with pytest.raises(ValueError, match="period"):
        parse_rule({"name": "x", "period": "fortnight", "contacts": 1})
    with pytest.raises(ValueError, match="kinds"):
        parse_rule({"name": "x", "period": "week", "contacts": 1, "kinds": ["fax"]})
