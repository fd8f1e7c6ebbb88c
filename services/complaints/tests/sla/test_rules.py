"""SLA policy matrix and case clocks (R-23, R-24, R-25, R-26). Fixed clocks only.

2026-03-06 is an ordinary Friday; 2026-03-09 an ordinary Monday.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.sla.rules import (
    DEFAULT_POLICY_CONFIG,
    ClockEvent,
    PolicyMatrix,
    TargetSpec,
    default_policy_matrix,
    evaluate,
    first_response_seconds,
    next_due_at,
    resolution_seconds,
)
from contracts.events.calendar import CalendarDay
from servicekit.calendar.book import CalendarBook

SH = ZoneInfo("Asia/Shanghai")
H, M = timedelta(hours=1), timedelta(minutes=1)
BOOK = CalendarBook()
CAL = BOOK.calendar("office")
MATRIX = default_policy_matrix()


def sh(m: int, d: int, h: int = 0, mi: int = 0, y: int = 2026) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SH)


def received(at: datetime, severity: str = "normal", kind: str = "complaint", channel: str = "hotline"):
    return ClockEvent.received(at, kind, severity=severity, tier="mid", channel=channel)


def run(history, now, matrix=MATRIX, cal=CAL):
    return evaluate(history, matrix, cal, now)


# --- policy matrix ------------------------------------------------------------------------------


def test_default_complaint_targets():
    p = MATRIX.policy_for("complaint", "normal", "mid", "hotline")
    assert p.target("first_response") == TargetSpec("first_response", H, "wall")
    assert p.target("investigation_report").working_days == 3
    assert p.target("resolution").working_days == 6 and p.target("resolution").clock == "business"


def test_default_serious_complaint_is_tighter():
    p = MATRIX.policy_for("complaint", "serious", "low", "email")
    assert p.target("resolution").working_days == 3
    assert p.target("investigation_report").working_days == 1
    assert p.target("first_response").duration == H  # the complaint hour beats the email day


def test_default_channel_standards():
    assert MATRIX.policy_for("inquiry", channel="email").target("first_response").duration == 24 * H
    assert MATRIX.policy_for("inquiry", channel="online_chat").target("first_response").duration == 5 * M
    assert MATRIX.policy_for("complaint", channel="online_chat").target("first_response").duration == 5 * M
    assert MATRIX.policy_for("service_request", channel="web_form").target("investigation_report") is None


def test_most_specific_rule_wins_regardless_of_order():
    matrix = PolicyMatrix.from_config(
        {
            "rules": [
                {
                    "id": "complaint-high",
                    "match": {"kind": "complaint", "tier": "high"},
                    "targets": {"resolution": {"working_days": 2}},
                },
                {
                    "id": "all",
                    "match": {"kind": "*"},
                    "targets": {"resolution": {"working_days": 9}, "first_response": {"hours": 4}},
                },
                {"id": "complaint", "match": {"kind": "complaint"}, "targets": {"resolution": {"working_days": 5}}},
                {
                    "id": "high-serious-chat",
                    "match": {"kind": "complaint", "tier": "high", "severity": "serious", "channel": "online_chat"},
                    "targets": {"first_response": None},
                },
            ]
        }
    )
    high = matrix.policy_for("complaint", "normal", "high", "email")
    assert high.target("resolution").working_days == 2
    assert high.target("first_response").duration == 4 * H  # inherited from the wildcard rule
    assert high.rules == ("all", "complaint", "complaint-high")
    assert matrix.policy_for("complaint", "normal", "low", "email").target("resolution").working_days == 5
    assert matrix.policy_for("inquiry").target("resolution").working_days == 9
    assert (
        matrix.policy_for("complaint", "serious", "high", "online_chat").target("first_response") is None
    )  # null removes


def test_equal_specificity_later_rule_wins():
    matrix = PolicyMatrix.from_config(
        {
            "rules": [
                {"id": "a", "match": {"kind": "complaint"}, "targets": {"resolution": {"working_days": 5}}},
                {"id": "b", "match": {"channel": "email"}, "targets": {"resolution": {"working_days": 4}}},
            ]
        }
    )
    assert matrix.policy_for("complaint", channel="email").target("resolution").working_days == 4


def test_config_validation():
    with pytest.raises(ValueError, match="severity"):
        PolicyMatrix.from_config({"rules": [{"match": {"severity": "urgent"}, "targets": {}}]})
    with pytest.raises(ValueError, match="exactly one"):
        PolicyMatrix.from_config({"rules": [{"targets": {"resolution": {"hours": 1, "working_days": 1}}}]})
    with pytest.raises(ValueError, match="target name"):
        PolicyMatrix.from_config({"rules": [{"targets": {"lunch": {"hours": 1}}}]})
    with pytest.raises(ValueError, match="kind"):
        MATRIX.policy_for("praise")


def test_default_config_is_plain_json_data():
    import json

    assert PolicyMatrix.from_config(json.loads(json.dumps(DEFAULT_POLICY_CONFIG))) == MATRIX


# --- deadlines ----------------------------------------------------------------------------------


def test_friday_evening_complaint_crosses_the_weekend():
    st = run([received(sh(3, 6, 17, 30))], now=sh(3, 6, 17, 40))
    assert st["first_response"].deadline == sh(3, 6, 18, 30)  # wall clock, R-23
    assert st["investigation_report"].deadline == sh(3, 11, 17, 30)  # 3 working days, R-24
    assert st["resolution"].deadline == sh(3, 16, 17, 30)  # 6 working days, R-25
    assert all(s.deadline.tzinfo is UTC for s in st.values())
    assert {s.state for s in st.values()} == {"on_track"}


def test_golden_week_pushes_business_deadlines():
    st = run([received(sh(9, 30, 17))], now=sh(9, 30, 17, 5))
    # 1 h on Sep 30, Oct 1-7 off (chinesecalendar), then Oct 8, Oct 9 and Saturday Oct 10 (调休) work
    assert st["investigation_report"].deadline == sh(10, 10, 17)
    assert st["first_response"].deadline == sh(9, 30, 18)


def test_wall_pause_of_two_hours_pushes_deadline_by_two_hours():
    t0 = sh(3, 10, 10)
    base = run([received(t0)], now=t0)["first_response"].deadline
    paused = run([received(t0), ClockEvent.paused(t0 + 10 * M), ClockEvent.resumed(t0 + 130 * M)], now=t0 + 140 * M)
    assert paused["first_response"].deadline == base + 2 * H


def test_overnight_pause_pushes_business_deadline_by_paused_working_time_only():
    t0 = sh(3, 9, 10)
    base = run([received(t0)], now=t0)["investigation_report"].deadline
    history = [
        received(t0),
        ClockEvent.met(t0 + 30 * M, "first_response"),
        ClockEvent.paused(sh(3, 10, 17)),
        ClockEvent.resumed(sh(3, 11, 10)),
    ]  # 1 h + 1 h working time
    st = run(history, now=sh(3, 11, 11))
    assert st["investigation_report"].deadline == CAL.add_working_time(base, 2 * H) == sh(3, 12, 12)
    assert CAL.working_time_between(sh(3, 10, 17), sh(3, 11, 10)) == 2 * H


def test_open_pause_freezes_the_clock_and_has_no_due_time():
    t0 = sh(3, 9, 10)
    history = [received(t0), ClockEvent.met(t0 + 5 * M, "first_response"), ClockEvent.paused(sh(3, 9, 11))]
    st = run(history, now=sh(3, 9, 15))
    inv = st["investigation_report"]
    assert inv.paused and inv.state == "on_track"
    assert inv.deadline == CAL.add_working_time(sh(3, 9, 15), 23 * H)  # as if resumed now
    assert inv.used_ratio == pytest.approx(1 / 24)
    assert next_due_at(st) is None


def test_severity_change_recomputes_tighter_deadlines_from_received_time():
    t0 = sh(3, 9, 10)  # Monday
    history = [
        received(t0),
        ClockEvent.met(t0 + 20 * M, "first_response"),
        ClockEvent.paused(sh(3, 9, 14)),
        ClockEvent.resumed(sh(3, 9, 15)),
    ]
    before = run(history, now=sh(3, 10, 9, 30))
    assert before["resolution"].deadline == sh(3, 17, 11)  # 6 working days + 1 h paused
    changed = history + [ClockEvent.policy_changed(sh(3, 10, 9, 30), severity="serious")]
    after = run(changed, now=sh(3, 10, 9, 30))
    assert after["resolution"].deadline == sh(3, 12, 11)  # 3 working days from t0, the pause kept
    assert after["investigation_report"].deadline == sh(3, 10, 11)  # 1 working day
    assert after["investigation_report"].state == "at_risk"
    assert after["first_response"].state == "met"


def test_severity_change_can_date_a_breach_before_the_change():
    t0 = sh(3, 9, 10)
    history = [
        received(t0),
        ClockEvent.met(t0 + 20 * M, "first_response"),
        ClockEvent.policy_changed(sh(3, 10, 15), severity="serious"),
    ]
    inv = run(history, now=sh(3, 10, 15))["investigation_report"]
    assert inv.state == "breached" and inv.breached_at == inv.deadline == sh(3, 10, 10)


def test_met_before_deadline_is_met_and_stays_met():
    t0 = sh(3, 9, 10)
    history = [
        received(t0),
        ClockEvent.met(t0 + 40 * M, "first_response"),
        ClockEvent.met(t0 + 90 * M, "first_response"),
    ]
    fr = run(history, now=sh(4, 30, 10))["first_response"]
    assert fr.state == "met" and fr.met_at == t0 + 40 * M and fr.breached_at is None
    assert fr.used_ratio == pytest.approx(40 / 60)


def test_met_after_deadline_is_breached_dated_at_deadline():
    t0 = sh(3, 9, 10)
    fr = run([received(t0), ClockEvent.met(t0 + 80 * M, "first_response")], now=t0 + 3 * H)["first_response"]
    assert fr.state == "breached" and fr.met_at == t0 + 80 * M
    assert fr.breached_at == fr.deadline == t0 + H


def test_unmet_past_deadline_is_breached_at_deadline_not_when_observed():
    t0 = sh(3, 9, 10)
    fr = run([received(t0)], now=t0 + 5 * H)["first_response"]
    assert fr.state == "breached" and fr.breached_at == t0 + H and fr.met_at is None
    assert fr.used_ratio == pytest.approx(5.0)
    met_at_deadline = run([received(t0), ClockEvent.met(t0 + H, "first_response")], now=t0 + 2 * H)
    assert met_at_deadline["first_response"].state == "met"


def test_at_risk_at_75_percent():
    t0 = sh(3, 9, 10)
    assert run([received(t0)], now=t0 + 44 * M)["first_response"].state == "on_track"
    fr = run([received(t0)], now=t0 + 45 * M)["first_response"]
    assert fr.state == "at_risk" and fr.used_ratio == pytest.approx(0.75) and fr.at_risk_at == t0 + 45 * M


def test_at_risk_ratio_is_configurable_per_target():
    matrix = PolicyMatrix.from_config(
        {
            "at_risk_ratio": 0.9,
            "rules": [
                {"targets": {"first_response": {"hours": 1, "at_risk_ratio": 0.5}, "resolution": {"working_hours": 10}}}
            ],
        }
    )
    st = run([received(sh(3, 9, 10))], now=sh(3, 9, 10, 30), matrix=matrix)
    assert st["first_response"].state == "at_risk"
    assert st["resolution"].at_risk_at == sh(3, 10, 11)  # 9 of 10 working hours: 7 on Monday, 2 on Tuesday


def test_next_due_at_returns_at_risk_moment_then_deadline():
    t0 = sh(3, 9, 10)
    history = [received(t0)]
    assert next_due_at(run(history, now=t0 + 10 * M)) == t0 + 45 * M
    assert next_due_at(run(history, now=t0 + 45 * M)) == t0 + H
    history.append(ClockEvent.met(t0 + 50 * M, "first_response"))
    # next: the investigation report's at-risk moment, 18 of its 24 working hours
    st = run(history, now=t0 + 50 * M)
    assert next_due_at(st) == st["investigation_report"].at_risk_at == CAL.add_working_time(t0, 18 * H)
    assert next_due_at({}) is None


def test_company_holiday_moves_sla_deadline():
    company = BOOK.with_day(CalendarDay(date=date(2026, 3, 9), working=False, name="company outing"))
    st = run([received(sh(3, 6, 17, 30))], now=sh(3, 6, 17, 40), cal=company)
    assert st["investigation_report"].deadline == sh(3, 12, 17, 30)


def test_naive_datetimes_and_bad_history_raise():
    t0 = sh(3, 9, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        run([received(t0)], now=datetime(2026, 3, 9, 11))
    with pytest.raises(ValueError, match="timezone-aware"):
        run([received(datetime(2026, 3, 9, 10))], now=t0)
    with pytest.raises(ValueError, match="received"):
        run([ClockEvent.paused(t0)], now=t0 + H)
    with pytest.raises(ValueError, match="target"):
        run([received(t0), ClockEvent.met(t0, "lunch")], now=t0 + H)


def test_events_after_now_are_ignored():
    t0 = sh(3, 9, 10)
    fr = run([received(t0), ClockEvent.met(t0 + 2 * H, "first_response")], now=t0 + 30 * M)["first_response"]
    assert fr.state == "on_track" and fr.met_at is None


def test_elapsed_seconds_helpers_exclude_pauses():
    t0 = sh(3, 9, 10)
    history = [
        received(t0),
        ClockEvent.met(t0 + 15 * M, "first_response"),
        ClockEvent.paused(t0 + H),
        ClockEvent.resumed(t0 + 3 * H),
        ClockEvent.met(t0 + 5 * H, "resolution"),
    ]
    assert first_response_seconds(history) == 15 * 60
    assert resolution_seconds(history) == 3 * 3600
    assert resolution_seconds(history[:2]) is None


def test_deadline_in_an_unknown_year_is_provisional_until_the_year_is_entered():
    # 2026-12-31 17:30, a complaint: its 3-working-day report runs into 2027, which no source covers yet
    t0 = sh(12, 31, 17, 30)
    st = run([received(t0)], now=t0)
    report = st["investigation_report"]
    assert report.provisional and report.unknown_years == (2027,) and report.calendar == "office"
    assert report.deadline == sh(1, 5, 17, 30, y=2027)  # plain weekdays: Jan 1 counted as a working Friday
    assert not st["first_response"].provisional  # wall clock: no calendar involved
    schedule = [
        CalendarDay(date=date(2027, 1, 1), working=False, name="元旦"),
        CalendarDay(date=date(2027, 1, 4), working=False, name="元旦"),
    ]
    entered = BOOK.with_year_schedule(2027, schedule, entered_by="admin", entered_at=t0)
    report = run([received(t0)], now=t0, cal=entered)["investigation_report"]
    assert not report.provisional and report.deadline == sh(1, 7, 17, 30, y=2027)


def test_a_policy_rule_names_the_calendar_its_business_targets_run_on():
    matrix = PolicyMatrix.from_config(
        {
            "rules": [
                {
                    "id": "base",
                    "match": {},
                    "targets": {"first_response": {"hours": 24}, "resolution": {"working_days": 6}},
                },
                {
                    "id": "hotline",
                    "match": {"channel": "hotline"},
                    "calendar": "hotline",
                    "targets": {"resolution": {"working_hours": 4}},
                },
            ]
        }
    )
    assert matrix.calendars() == {"office", "hotline"}
    t0 = sh(10, 1, 22)  # National Day, at night
    st = run([ClockEvent.received(t0, "complaint", channel="hotline")], now=t0, matrix=matrix, cal=BOOK)
    assert st["resolution"].calendar == "hotline" and st["resolution"].deadline == sh(10, 2, 2)
    st = run([ClockEvent.received(t0, "complaint", channel="email")], now=t0, matrix=matrix, cal=BOOK)
    assert st["resolution"].calendar == "office" and st["resolution"].deadline == sh(10, 14, 18)
    with pytest.raises(KeyError, match="unknown calendar"):
        run(
            [ClockEvent.received(t0, "complaint", channel="hotline")],
            now=t0,
            matrix=PolicyMatrix.from_config(
                {"rules": [{"match": {}, "calendar": "night-desk", "targets": {"resolution": {"working_days": 1}}}]}
            ),
            cal=BOOK,
        )
