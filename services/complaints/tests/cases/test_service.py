"""Every action of the case state machines has its action function, and no function is left without an action."""

from complaints.cases.rules import COMPLAINT_FLOW, SERVICE_REQUEST_FLOW
from complaints.cases.service import LIFECYCLE_ACTIONS


def test_every_lifecycle_action_has_one_function() -> None:
    actions = {action for flow in (COMPLAINT_FLOW, SERVICE_REQUEST_FLOW) for moves in flow.values() for action in moves}
    assert set(LIFECYCLE_ACTIONS) == actions
