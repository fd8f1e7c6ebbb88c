"""Case lifecycles as explicit state machines (R-21, R-29, R-30). Pure: no I/O.

Complaints and inquiries:
    received -> acknowledged -> investigating -> resolution_proposed -> accepted -> closed
    acknowledged | investigating -> closed (unfounded, R-30)
    resolution_proposed -> closed (rejected; a linked follow-up case opens, R-29)
Service requests:
    registered -> dispatched -> [approved when remote / out of town] -> in_service -> signed_off -> archived
"""

from __future__ import annotations

from dataclasses import dataclass

COMPLAINT_FLOW: dict[str, dict[str, str]] = {
    # state -> {action: next state}
    "received": {"acknowledge": "acknowledged"},
    "acknowledged": {"investigate": "investigating", "mark_unfounded": "closed"},
    "investigating": {
        "report": "investigating",
        "propose_resolution": "resolution_proposed",
        "mark_unfounded": "closed",
    },
    "resolution_proposed": {"accept": "accepted", "reject": "closed"},
    "accepted": {"close": "closed"},
    "closed": {},
}

SERVICE_REQUEST_FLOW: dict[str, dict[str, str]] = {
    "registered": {"dispatch": "dispatched"},
    "dispatched": {"approve_service": "dispatched", "start_service": "in_service"},
    "in_service": {"sign_off": "signed_off"},
    "signed_off": {"archive": "archived"},
    "archived": {},
}

# a case in a final state is finished: every clock still running stops there
FINISHED_STATES = frozenset({"closed", "archived"})
# cases waiting on us: these states keep their SLA clocks running
OPEN_STATES = frozenset(set(COMPLAINT_FLOW) | set(SERVICE_REQUEST_FLOW)) - FINISHED_STATES
# pausing (waiting on the customer) is allowed only while we are working the case
PAUSABLE_STATES = frozenset({"acknowledged", "investigating", "resolution_proposed", "dispatched", "in_service"})


# how a complaint or inquiry was closed, by the action that closed it (R-29 rejected, R-30 unfounded)
CLOSE_OUTCOMES = {"close": "resolved", "mark_unfounded": "unfounded", "reject": "rejected"}


def initial_state(kind: str) -> str:
    return "registered" if kind == "service_request" else "received"


def flow(kind: str) -> dict[str, dict[str, str]]:
    return SERVICE_REQUEST_FLOW if kind == "service_request" else COMPLAINT_FLOW


def allowed_actions(kind: str, state: str) -> list[str]:
    return sorted(flow(kind).get(state, {}))


@dataclass(frozen=True)
class IllegalTransition(Exception):
    kind: str
    state: str
    action: str

    @property
    def allowed(self) -> list[str]:
        return allowed_actions(self.kind, self.state)

    def __str__(self) -> str:
        allowed = ", ".join(self.allowed) or "none (the case is finished)"
        return f"cannot {self.action} a {self.kind} that is {self.state}; allowed: {allowed}"


def next_state(kind: str, state: str, action: str) -> str:
    try:
        return flow(kind)[state][action]
    except KeyError:
        raise IllegalTransition(kind, state, action) from None


def needs_manager_approval(mode: str) -> bool:
    """R-21: remote or out-of-town service needs the department manager's approval."""
    return mode in ("remote", "out_of_town")
