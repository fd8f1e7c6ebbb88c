"""To-do rules (R-15), pure: the closed loop as a state machine, the due time in working time, the overdue steps.
The calendar and the time are passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from servicekit.calendar.rules import BusinessCalendar

# action -> (from states, to state): open -> resolved -> informed (the customer was told) -> closed
TRANSITIONS = {
    "resolve": (("open",), "resolved"),
    "inform": (("resolved",), "informed"),
    "close": (("informed",), "closed"),
}
UNFINISHED = ("open", "resolved")  # the customer has not been told yet: these can be overdue


class IllegalTransition(ValueError):
    def __init__(self, action: str, status: str) -> None:
        self.allowed = [a for a, (sources, _) in TRANSITIONS.items() if status in sources]
        hint = " (the customer must be informed first)" if action == "close" else ""
        super().__init__(f"cannot {action} a {status} to-do{hint}; allowed: {', '.join(self.allowed) or 'none'}")


def transition(status: str, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalTransition(action, status)
    return target


def due_at(
    calendar: BusinessCalendar,
    start: datetime,
    *,
    working_days: float | None = None,
    working_hours: float | None = None,
    at: datetime | None = None,
) -> datetime:
    """'a solution within 3 working days' -> the moment 3 working days of the calendar after `start`."""
    if at is not None:
        return at
    if working_days is not None:
        return calendar.add_working_days(start, working_days)
    if working_hours is not None:
        return calendar.add_working_time(start, timedelta(hours=working_hours))
    raise ValueError("a to-do needs a due: working_days, working_hours or due_at")


@dataclass(frozen=True)
class Step:
    kind: str  # "overdue" (remind the owner) or "escalate" (to the supervisor)
    next_check_at: datetime | None


def overdue_step(calendar: BusinessCalendar, *, due: datetime, reminded: bool, escalate_after: timedelta) -> Step:
    """The step a due to-do takes now: first the reminder (then wait `escalate_after` of working time), then the one
    escalation (nothing after it)."""
    if not reminded:
        return Step("overdue", calendar.add_working_time(due, escalate_after))
    return Step("escalate", None)
