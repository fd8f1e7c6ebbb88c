"""Pure rules: the case state machines (R-21, R-29, R-30)."""

import pytest

from complaints.cases.rules import IllegalTransition, allowed_actions, needs_manager_approval, next_state


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
