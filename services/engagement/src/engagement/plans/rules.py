"""Plan rules (R-10), pure: which status changes are allowed, what a postponement needs. `today` is passed in."""

from __future__ import annotations

from datetime import date

STATUSES = ("planned", "done", "not_done", "postponed", "cancelled")
OPEN = ("planned", "postponed")
# a plan not done on its date may still be postponed ("not done: customer travelling, moved to 12 May")
POSTPONABLE = ("planned", "postponed", "not_done")


class PlanRuleError(ValueError):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.field = status, code, field


def check_postponement(status: str, current: date, new_date: date, reason: str, *, today: date) -> None:
    if status not in POSTPONABLE:
        raise PlanRuleError(
            409, "illegal_transition", f"a {status} plan cannot be postponed; allowed from {POSTPONABLE}"
        )
    if not reason.strip():
        raise PlanRuleError(422, "validation_error", "a postponement states its reason", "reason")
    if new_date < today:
        raise PlanRuleError(422, "validation_error", "the new date is in the past", "new_date")
    if new_date == current:
        raise PlanRuleError(422, "validation_error", "the new date is the current date", "new_date")


def check_outcome(status: str, outcome: str) -> None:
    """Done or not done: from an open plan (or a not-done one later done)."""
    allowed = (*OPEN, "not_done") if outcome == "done" else OPEN
    if status not in allowed:
        raise PlanRuleError(
            409, "illegal_transition", f"a {status} plan cannot become {outcome}; allowed from {allowed}"
        )
