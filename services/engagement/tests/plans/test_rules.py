"""R-10 plan rules, pure."""

from __future__ import annotations

from datetime import date

import pytest

from engagement.plans.rules import PlanRuleError, check_outcome, check_postponement

TODAY = date(2024, 5, 10)


def test_a_postponement_needs_a_reason_and_a_date_not_in_the_past() -> None:
    check_postponement("planned", date(2024, 5, 10), date(2024, 5, 12), "客户出差", today=TODAY)
    with pytest.raises(PlanRuleError) as no_reason:
        check_postponement("planned", date(2024, 5, 10), date(2024, 5, 12), "  ", today=TODAY)
    assert (no_reason.value.status, no_reason.value.field) == (422, "reason")
    with pytest.raises(PlanRuleError) as past:
        check_postponement("planned", date(2024, 5, 10), date(2024, 5, 9), "客户出差", today=TODAY)
    assert past.value.field == "new_date"


def test_a_done_plan_is_not_postponed_nor_done_again() -> None:
    with pytest.raises(PlanRuleError) as done:
        check_postponement("done", date(2024, 5, 10), date(2024, 5, 12), "x", today=TODAY)
    assert done.value.status == 409
    with pytest.raises(PlanRuleError):
        check_outcome("done", "done")
    check_outcome("not_done", "done")
