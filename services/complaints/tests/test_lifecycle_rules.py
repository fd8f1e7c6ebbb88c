"""Pure rules: the case state machines (R-21, R-29, R-30), routing (R-27), approval limits (R-28)."""

from decimal import Decimal

import pytest

from complaints.compensation import DEFAULT_APPROVAL_LIMITS, ApprovalLimits
from complaints.lifecycle import IllegalTransition, allowed_actions, needs_manager_approval, next_state
from complaints.routing import DEFAULT_ROUTING, Router


def test_complaint_happy_path() -> None:
    state = "received"
    for action in ("acknowledge", "investigate", "report", "propose_resolution", "accept", "close"):
        state = next_state("complaint", state, action)
    assert state == "closed"


def test_service_request_path() -> None:
    state = "registered"
    for action in ("dispatch", "approve_service", "start_service", "sign_off", "archive"):
        state = next_state("service_request", state, action)
    assert state == "archived"


def test_illegal_transition_names_the_allowed_ones() -> None:
    with pytest.raises(IllegalTransition) as refused:
        next_state("complaint", "received", "close")
    assert refused.value.allowed == ["acknowledge"]
    assert "allowed: acknowledge" in str(refused.value)
    assert allowed_actions("complaint", "closed") == []


def test_unfounded_and_rejected_close_r29_r30() -> None:
    assert next_state("complaint", "investigating", "mark_unfounded") == "closed"
    assert next_state("complaint", "resolution_proposed", "reject") == "closed"


def test_remote_and_out_of_town_service_need_approval_r21() -> None:
    assert needs_manager_approval("remote") and needs_manager_approval("out_of_town")
    assert not needs_manager_approval("on_site")


def test_routing_picks_the_most_specific_rule_r27() -> None:
    router = Router.from_config([*DEFAULT_ROUTING, {"cause_category": "quality", "tier": "high", "department": "rnd", "owner": "chief-engineer"}])
    assert router.route({"cause_category": "quality/packaging", "tier": "low"}).department == "rnd"
    assert router.route({"cause_category": "quality/packaging", "tier": "high"}).owner == "chief-engineer"
    assert router.route({"cause_category": "non_quality/transport"}).department == "marketing"
    assert router.route({"cause_category": None}).department == "customer_service"


def test_approval_limit_is_the_highest_of_the_callers_roles_r28() -> None:
    limits = ApprovalLimits(DEFAULT_APPROVAL_LIMITS)
    assert limits.limit_for({"agent", "supervisor"}) == Decimal("5000")
    assert limits.may_approve({"manager"}, Decimal("20000"))
    assert not limits.may_approve({"supervisor"}, Decimal("5000.01"))
    assert limits.limit_for({"auditor"}) == Decimal("0")
