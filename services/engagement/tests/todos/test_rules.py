"""R-15 to-do rules on the business calendar, with fixed times: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.todos.rules import IllegalTransition, due_at, overdue_step, transition
from servicekit.calendar.book import CalendarBook

OFFICE = CalendarBook().calendar("office")


def test_three_working_days_from_the_seed_record_fall_on_23_february_2024() -> None:
    happened = datetime(2024, 2, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Tuesday
    due = due_at(OFFICE, happened, working_days=3)
    assert due.astimezone(OFFICE.week_zone).date().isoformat() == "2024-02-23"


def test_working_days_skip_the_weekend_but_not_an_adjusted_working_saturday() -> None:
    friday = datetime(2026, 6, 12, 2, 0, tzinfo=UTC)
    assert due_at(OFFICE, friday, working_days=1).astimezone(OFFICE.week_zone).date().isoformat() == "2026-06-15"
    before_makeup_day = datetime(2026, 5, 8, 2, 0, tzinfo=UTC)  # Saturday 9 May 2026 is worked (Labour Day swap)
    assert due_at(OFFICE, before_makeup_day, working_days=1).astimezone(OFFICE.week_zone).weekday() == 5


def test_a_to_do_closes_only_after_the_customer_was_informed() -> None:
    with pytest.raises(IllegalTransition) as refused:
        transition("resolved", "close")
    assert refused.value.allowed == ["inform"]
    assert transition(transition(transition("open", "resolve"), "inform"), "close") == "closed"


def test_overdue_reminds_first_then_escalates_once() -> None:
    due = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
    first = overdue_step(OFFICE, due=due, reminded=False, escalate_after=timedelta(hours=8))
    assert first.kind == "overdue"
    assert first.next_check_at == datetime(2026, 5, 7, 2, 0, tzinfo=UTC)  # one working day later
    second = overdue_step(OFFICE, due=due, reminded=True, escalate_after=timedelta(hours=8))
    assert (second.kind, second.next_check_at) == ("escalate", None)


def test_a_to_do_needs_a_due() -> None:
    with pytest.raises(ValueError, match="due"):
        due_at(OFFICE, datetime(2026, 5, 6, tzinfo=UTC))
