"""Case use cases: open, one function per lifecycle action, pause, reassign, change severity, read, and the local
customer read model. Never commits (the boundary does)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.cases import rules
from complaints.cases.models import Case, CustomerView, TimelineEntry
from complaints.cases.rules import IllegalTransition
from complaints.cases.schemas import CaseCreate
from complaints.routing.rules import Router
from complaints.settings import complaints_settings
from complaints.sla import metrics
from complaints.sla import service as sla
from complaints.sla.models import SlaTargetRow
from contracts import Event
from contracts.events import cases as ev
from contracts.events.surveys import SurveyComplaintRequestedV1
from servicekit import access, clock
from servicekit.auth import Principal, Role
from servicekit.db import after_commit
from servicekit.errors import ApiError, not_found
from servicekit.numbering import next_number
from servicekit.outbox import record_event

NUMBER_PREFIX = {"complaint": "TS", "service_request": "FW", "inquiry": "ZX"}  # 投诉 / 服务 / 咨询
DEPARTMENT_ROLES = {Role.marketing: "marketing", Role.rnd: "rnd"}  # department staff work their queue
MANAGERS = (Role.manager, Role.admin)


# -- access -------------------------------------------------------------------------


def can_see(principal: Principal, case: Case) -> bool:
    if any(case.department == dept for role, dept in DEPARTMENT_ROLES.items() if principal.has_any(role)):
        return True
    return access.sees_record(principal, owner=case.owner, team=case.team)


async def get(session: AsyncSession, principal: Principal, case_id: str, *, lock: bool = False) -> Case:
    case = await session.get(Case, case_id, with_for_update=lock)
    # another team's case is reported as missing, so ids cannot be probed
    if case is None or not can_see(principal, case):
        raise not_found("case", case_id)
    return case


async def get_all(
    session: AsyncSession,
    principal: Principal,
    *,
    department: str | None,
    state: str | None,
    customer_id: str | None,
    limit: int,
) -> list[Case]:
    query = select(Case).order_by(Case.received_at.desc(), Case.id).limit(limit)
    for column, value in ((Case.department, department), (Case.state, state), (Case.customer_id, customer_id)):
        if value is not None:
            query = query.where(column == value)
    departments = [dept for role, dept in DEPARTMENT_ROLES.items() if principal.has_any(role)]
    clause = access.visible_filter(principal, Case.owner, Case.team, Case.department.in_(departments))
    if clause is not None:
        query = query.where(clause)
    return list((await session.scalars(query)).all())


# -- opening --------------------------------------------------------------------------


async def open_case(
    session: AsyncSession,
    principal: Principal,
    data: CaseCreate,
    *,
    reopened_from: Case | None = None,
    origin: tuple[str, str] | None = None,
) -> Case:
    now = clock.now(session)
    received_at = data.received_at or now
    if received_at > now:
        raise ApiError(422, "validation_error", "received_at: may not be in the future", field="received_at")
    customer = await session.get(CustomerView, data.customer_id)
    tier = (customer.tier if customer else None) or "unknown"  # unknown customers are linked when their event arrives
    routed = Router.from_config(complaints_settings().routing).route(
        {"cause_category": data.cause_category, "product": data.product, "tier": tier, "kind": data.kind}
    )
    case = Case(
        id=str(uuid.uuid4()),
        number=await next_number(session, NUMBER_PREFIX[data.kind]),
        kind=data.kind,
        channel=data.channel,
        customer_id=data.customer_id,
        received_at=received_at,
        content=data.content,
        requested_outcome=data.requested_outcome,
        cause_category=data.cause_category,
        product=data.product,
        severity=data.severity,
        tier=tier,
        state=rules.initial_state(data.kind),
        department=routed.department,
        owner=routed.owner or (customer.owner if customer else None),
        team=(customer.team if customer else None) or principal.team,
        approval_needed=False,
        reopened_from=reopened_from.id if reopened_from else None,
        version=1,
        created_by=principal.subject,
        origin=origin[0] if origin else None,
        origin_id=origin[1] if origin else None,
    )
    session.add(case)
    await session.flush()
    session.add(sla.clock_entry(case, "received", received_at, severity=case.severity, tier=tier))
    add_timeline_entry(
        session,
        case,
        principal.subject,
        "open",
        None,
        case.state,
        f"reopened from {reopened_from.number} (R-29)" if reopened_from else None,
    )
    common = _common(case)
    await record_event(
        session,
        ev.CaseReceivedV1(
            **common,
            kind=case.kind,
            channel=case.channel,
            severity=case.severity,
            cause_category=case.cause_category,
            department=case.department,
            owner=case.owner,
            team=case.team,
            received_at=received_at,
            origin=case.origin,
            origin_id=case.origin_id,
        ),
        aggregate_id=case.id,
        aggregate_version=case.version,
    )
    if case.kind == "complaint" and case.severity == "serious":
        await _escalate_serious(session, case, principal.subject)
    await session.flush()
    await sla.refresh_case(session, case, now)
    return case


# the surveys service acts for the customer who asked to complain in a survey
SURVEY_PRINCIPAL = Principal(subject="surveys", roles=frozenset({Role.agent}))


async def open_from_survey(session: AsyncSession, event: SurveyComplaintRequestedV1) -> Case | None:
    """R-35: a complaint asked for in a survey opens one case (origin survey, linked to the response)."""
    if await session.scalar(select(Case.id).where(Case.origin_id == event.response_id)):
        return None
    about = f" ({event.case_id})" if event.case_id else ""
    content = event.text.strip() or f"Complaint requested in a service evaluation{about}"
    data = CaseCreate(kind="complaint", customer_id=event.customer_id, channel="web_form", content=content[:8000])
    return await open_case(session, SURVEY_PRINCIPAL, data, origin=("survey", event.response_id))


async def _escalate_serious(session: AsyncSession, case: Case, actor: str) -> None:
    """R-26: a serious complaint goes to the vice-president at once; the manager handles it personally."""
    await record_event(
        session,
        ev.CaseEscalatedV1(
            **_common(case),
            to_roles=["vice_president", "manager"],
            reason="serious_complaint",
            severity=case.severity,
            department=case.department,
            owner=case.owner,
        ),
        aggregate_id=case.id,
        aggregate_version=case.version,
    )
    add_timeline_entry(
        session,
        case,
        actor,
        "escalate",
        case.state,
        case.state,
        "serious complaint: vice-president and manager notified (R-26)",
    )
    after_commit(session, lambda: metrics.ESCALATIONS.labels("serious_complaint").inc())


# -- lifecycle actions ----------------------------------------------------------------------


@dataclass
class ActionStep:
    """One lifecycle action under way: the action functions read it and add their effects and events to it."""

    session: AsyncSession
    principal: Principal
    case: Case
    now: datetime
    details: dict[str, str | None]
    events: list[Event] = field(default_factory=list)
    # an event that says whether a target was met in time, built once the SLA rows are refreshed
    after_sla: Callable[[list[sla.Transition]], Event] | None = None

    @property
    def common(self) -> dict[str, str]:
        return _common(self.case)

    def met(self, target: str) -> None:
        _met(self.session, self.case, target, self.now)


def _acknowledge(step: ActionStep) -> None:
    """R-23: the first response to the customer."""
    step.case.acknowledged_at = step.now
    step.met("first_response")
    step.after_sla = lambda transitions: ev.CaseAcknowledgedV1(
        **step.common,
        acknowledged_at=step.now,
        acknowledged_by=step.principal.subject,
        within_sla=_within(transitions, "first_response"),
    )


def _report_investigation(step: ActionStep) -> None:
    """R-24: the investigation report to the vice-president."""
    case = step.case
    case.root_cause = step.details.get("root_cause") or case.root_cause
    step.met("investigation_report")
    step.events.append(ev.CaseInvestigationReportedV1(**step.common, reported_at=step.now, root_cause=case.root_cause))


def _propose_resolution(step: ActionStep) -> None:
    step.events.append(ev.CaseResolutionProposedV1(**step.common, proposed_at=step.now))


def _accept_resolution(step: ActionStep) -> None:
    """R-25: the customer accepted, so the case is resolved."""
    step.case.resolved_at = step.now
    step.met("resolution")
    step.after_sla = lambda transitions: ev.CaseResolvedV1(
        **step.common, resolved_at=step.now, within_sla=_within(transitions, "resolution")
    )


def _only_change_state(step: ActionStep) -> None:
    """Nothing beyond the state change; closing is done for every action that ends in `closed`."""


def _require_manager(step: ActionStep, action: str) -> None:
    if not step.principal.has_any(*MANAGERS, Role.supervisor):
        raise ApiError(403, "forbidden", f"{action} is for the department manager (R-21)")


def _dispatch_service(step: ActionStep) -> None:
    """R-21: the department manager dispatches; remote and out-of-town service need approval."""
    _require_manager(step, "dispatch")
    case = step.case
    case.technician, case.service_mode = step.details["technician"], step.details.get("mode") or "on_site"
    case.approval_needed = rules.needs_manager_approval(case.service_mode)
    step.events.append(
        ev.ServiceRequestDispatchedV1(
            **step.common,
            at=step.now,
            by=step.principal.subject,
            technician=case.technician,
            mode=case.service_mode,
            needs_approval=case.approval_needed,
        )
    )


def _approve_service(step: ActionStep) -> None:
    _require_manager(step, "approve_service")
    if not step.case.approval_needed:
        raise ApiError(
            409, "illegal_transition", "on-site service needs no approval; allowed: start_service", field="action"
        )
    step.case.approved_by = step.principal.subject
    step.events.append(ev.ServiceRequestApprovedV1(**step.common, at=step.now, by=step.principal.subject))


def _start_service(step: ActionStep) -> None:
    case = step.case
    if case.approval_needed and not case.approved_by:
        raise ApiError(
            409,
            "approval_required",
            f"{case.service_mode} service needs the manager's approval first (R-21); allowed: approve_service",
            field="action",
        )
    step.events.append(ev.ServiceRequestStartedV1(**step.common, at=step.now, by=step.principal.subject))


def _sign_off_service(step: ActionStep) -> None:
    """The customer signed off: the service request is resolved."""
    step.case.resolved_at = step.now
    step.met("resolution")
    step.events.append(ev.ServiceRequestSignedOffV1(**step.common, at=step.now, by=step.principal.subject))


def _archive_service(step: ActionStep) -> None:
    step.events.append(ev.ServiceRequestArchivedV1(**step.common, at=step.now, by=step.principal.subject))


# every action of the case state machines (rules.COMPLAINT_FLOW, rules.SERVICE_REQUEST_FLOW) and what it does
LIFECYCLE_ACTIONS: dict[str, Callable[[ActionStep], None]] = {
    "acknowledge": _acknowledge,
    "investigate": _only_change_state,
    "report": _report_investigation,
    "propose_resolution": _propose_resolution,
    "accept": _accept_resolution,
    "reject": _only_change_state,  # the closing opens the linked follow-up case
    "close": _only_change_state,
    "mark_unfounded": _only_change_state,
    "dispatch": _dispatch_service,
    "approve_service": _approve_service,
    "start_service": _start_service,
    "sign_off": _sign_off_service,
    "archive": _archive_service,
}


async def act(
    session: AsyncSession,
    principal: Principal,
    case_id: str,
    action: str,
    *,
    note: str | None = None,
    **details: str | None,
) -> Case:
    """One lifecycle transition (R-21, R-29, R-30); 409 with the allowed actions when illegal."""
    case = await get(session, principal, case_id, lock=True)
    now = clock.now(session)
    try:
        new_state = rules.next_state(case.kind, case.state, action)
    except IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", str(exc), field="action") from None
    step = ActionStep(session, principal, case, now, details)
    LIFECYCLE_ACTIONS[action](step)
    previous = case.state
    if case.paused_since and new_state in rules.FINISHED_STATES:
        case.paused_since = None
        session.add(sla.clock_entry(case, "resumed", now))
    case.state = new_state
    case.version += 1
    add_timeline_entry(session, case, principal.subject, action, previous, new_state, note)
    if new_state == "closed":
        step.events.extend(await _close(session, principal, case, action, now))
    await session.flush()
    transitions = await sla.refresh_case(session, case, now)
    if step.after_sla is not None:
        step.events.append(step.after_sla(transitions))
    for event in step.events:
        await record_event(session, event, aggregate_id=case.id, aggregate_version=case.version)
    return case


async def _close(session: AsyncSession, principal: Principal, case: Case, action: str, now: datetime) -> list[Event]:
    outcome = rules.CLOSE_OUTCOMES[action]
    case.close_outcome = outcome
    case.closed_at = now
    # closing ends every clock still running: unfounded and refused cases stop counting against us here
    open_targets = (
        await session.scalars(
            select(SlaTargetRow.target).where(SlaTargetRow.case_id == case.id, SlaTargetRow.met_at.is_(None))
        )
    ).all()
    for target in open_targets:
        _met(session, case, target, now)
    events: list[Event] = [ev.CaseClosedV1(**_common(case), outcome=outcome, closed_at=now)]
    if outcome == "rejected":  # a linked follow-up case with the original attached
        follow_up = await open_case(
            session,
            principal,
            CaseCreate(
                kind=case.kind,
                customer_id=case.customer_id,
                channel=case.channel,
                content=f"[{case.number}] {case.content}",
                requested_outcome=case.requested_outcome,
                cause_category=case.cause_category,
                product=case.product,
                severity=case.severity,
            ),
            reopened_from=case,
        )
        case.reopened_as = follow_up.id
        events.append(
            ev.CaseReopenedV1(
                **_common(case),
                new_case_id=follow_up.id,
                new_number=follow_up.number,
                reason="the customer did not accept the resolution (R-29)",
            )
        )
    return events


def _within(transitions: list[sla.Transition], target: str) -> bool:
    return any(t.status.name == target and t.status.state == "met" for t in transitions)


def _met(session: AsyncSession, case: Case, target: str, now: datetime) -> None:
    session.add(sla.clock_entry(case, "met", now, target=target))


async def set_waiting(
    session: AsyncSession, principal: Principal, case_id: str, waiting: bool, note: str | None
) -> Case:
    """Waiting on the customer pauses the SLA clock; resuming pushes the deadlines back by the pause."""
    case = await get(session, principal, case_id, lock=True)
    now = clock.now(session)
    if case.state not in rules.PAUSABLE_STATES:
        raise ApiError(409, "illegal_transition", f"a {case.state} case cannot wait on the customer", field="action")
    if waiting == (case.paused_since is not None):
        raise ApiError(
            409,
            "illegal_transition",
            "already waiting on the customer" if waiting else "not waiting on the customer",
            field="action",
        )
    case.paused_since = now if waiting else None
    case.version += 1
    session.add(sla.clock_entry(case, "paused" if waiting else "resumed", now))
    add_timeline_entry(
        session, case, principal.subject, "wait_on_customer" if waiting else "resume", case.state, case.state, note
    )
    await session.flush()
    await sla.refresh_case(session, case, now)
    return case


async def change_severity(
    session: AsyncSession, principal: Principal, case_id: str, severity: str, note: str | None
) -> Case:
    case = await get(session, principal, case_id, lock=True)
    if case.state not in rules.OPEN_STATES:
        raise ApiError(409, "illegal_transition", "the case is finished", field="severity")
    if severity == case.severity:
        return case
    now = clock.now(session)
    case.severity = severity
    case.version += 1
    session.add(sla.clock_entry(case, "policy_changed", now, severity=severity))
    add_timeline_entry(
        session, case, principal.subject, "change_severity", case.state, case.state, note or f"severity -> {severity}"
    )
    if severity == "serious" and case.kind == "complaint":
        await _escalate_serious(session, case, principal.subject)
    await session.flush()
    await sla.refresh_case(session, case, now)
    return case


async def apply_customer_tier(session: AsyncSession, customer_id: str, tier: str) -> None:
    """A tier change recomputes the deadlines of the customer's open cases from their history (R-03)."""
    now = clock.now(session)
    cases = (
        await session.scalars(
            select(Case).where(Case.customer_id == customer_id, Case.state.in_(rules.OPEN_STATES)).with_for_update()
        )
    ).all()
    for case in cases:
        if case.tier == tier:
            continue
        case.tier = tier
        case.version += 1
        session.add(sla.clock_entry(case, "policy_changed", now, tier=tier))
        add_timeline_entry(session, case, "system", "tier_changed", case.state, case.state, f"customer tier -> {tier}")
        await session.flush()
        await sla.refresh_case(session, case, now)


async def follow_customer_owner(
    session: AsyncSession, customer_id: str, *, owner: str | None, team: str | None, previous_owner: str | None
) -> None:
    """R-09: a customer's cases belong to its team; a case its previous owner held (not a routed handler) moves
    with the customer to the new owner, so visibility follows customer.owner_assigned.v1."""
    await session.execute(update(Case).where(Case.customer_id == customer_id).values(team=team))
    if previous_owner is not None:
        await session.execute(
            update(Case).where(Case.customer_id == customer_id, Case.owner == previous_owner).values(owner=owner)
        )


async def link_waiting_cases(session: AsyncSession, customer_id: str, tier: str) -> None:
    """Cases opened before we heard of the customer get its tier, owner and team once the event arrives: the
    customer's team replaces the opener's (R-09, the account's team reads its cases); a routed handler stays."""
    view = await session.get(CustomerView, customer_id)
    cases = (await session.scalars(select(Case).where(Case.customer_id == customer_id))).all()
    for case in cases:
        case.owner = case.owner or (view.owner if view else None)
        case.team = (view.team if view else None) or case.team
    await apply_customer_tier(session, customer_id, tier)


async def reassign(
    session: AsyncSession, principal: Principal, case_id: str, department: str, owner: str | None, note: str | None
) -> Case:
    """R-27: reassignment is recorded and announced."""
    case = await get(session, principal, case_id, lock=True)
    previous_department, previous_owner = case.department, case.owner
    case.department, case.owner = department, owner
    case.version += 1
    add_timeline_entry(
        session,
        case,
        principal.subject,
        "reassign",
        case.state,
        case.state,
        note or f"{previous_department}/{previous_owner or '-'} -> {department}/{owner or '-'}",
    )
    await record_event(
        session,
        ev.CaseAssignedV1(
            **_common(case),
            department=department,
            owner=owner,
            previous_department=previous_department,
            previous_owner=previous_owner,
            reason=note or "reassigned by hand",
        ),
        aggregate_id=case.id,
        aggregate_version=case.version,
    )
    return case


# -- the local customer read model -------------------------------------------------------------

ERASED = "erased"


async def save_customer_view(session: AsyncSession, customer_id: str, version: int, **values: object) -> None:
    view = await session.get(CustomerView, customer_id)
    if view is None:
        session.add(CustomerView(customer_id=customer_id, version=version, erased=False, **values))
    else:
        for key, value in values.items():
            setattr(view, key, value)
        view.version = version
    await session.flush()


async def merge_customer(session: AsyncSession, merged_id: str, survivor_id: str, version: int) -> None:
    """The merged customer's cases move to the survivor."""
    await session.execute(update(Case).where(Case.customer_id == merged_id).values(customer_id=survivor_id))
    await save_customer_view(session, merged_id, version, merged_into=survivor_id)


def case_ids_of(customer_id: str) -> Select[tuple[str]]:
    """The ids of a customer's cases, as a subquery for rows attached to them."""
    return select(Case.id).where(Case.customer_id == customer_id)


async def forget_case_texts(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42 erasure: free text the customer or staff wrote may name people or hold numbers, so it goes;
    kinds, severities, times, states and amounts stay for the statistics (R-32 monthly review). Idempotent."""
    await session.execute(
        update(Case).where(Case.customer_id == customer_id).values(content=ERASED, requested_outcome=None)
    )
    await session.execute(
        update(TimelineEntry).where(TimelineEntry.case_id.in_(case_ids_of(customer_id))).values(note=None)
    )


# -- reading ---------------------------------------------------------------------------------


async def detail(session: AsyncSession, case: Case) -> dict[str, object]:
    timeline = (
        await session.scalars(select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id))
    ).all()
    targets = (await session.scalars(select(SlaTargetRow).where(SlaTargetRow.case_id == case.id))).all()
    chain = await _chain(session, case)
    customer = await session.get(CustomerView, case.customer_id)
    return {
        **read(case, targets),
        "customer_name": customer.name if customer else None,
        "timeline": timeline,
        "chain": chain,
    }


def read(case: Case, targets: list[SlaTargetRow] | tuple[SlaTargetRow, ...] = ()) -> dict[str, object]:
    values = {column: getattr(case, column) for column in Case.__table__.columns.keys()}  # noqa: SIM118 - a column collection, not a dict
    return {
        **values,
        "paused": case.paused_since is not None,
        "allowed_actions": rules.allowed_actions(case.kind, case.state),
        "sla": list(targets),
    }


async def _chain(session: AsyncSession, case: Case) -> list[str]:
    """R-29: the linked cases from the first to the last, by number."""
    first = case
    while first.reopened_from:
        first = await session.get(Case, first.reopened_from) or first
        if first.reopened_from is None:
            break
    numbers, current = [first.number], first
    while current.reopened_as:
        nxt = await session.get(Case, current.reopened_as)
        if nxt is None:
            break
        numbers.append(nxt.number)
        current = nxt
    return numbers if len(numbers) > 1 else []


def _common(case: Case) -> dict[str, str]:
    return {"case_id": case.id, "number": case.number, "customer_id": case.customer_id}


def add_timeline_entry(
    session: AsyncSession,
    case: Case,
    actor: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    note: str | None,
) -> None:
    """Who did what when (R-21, R-29): every change to a case or its compensation and corrective actions."""
    session.add(
        TimelineEntry(
            case_id=case.id,
            at=clock.now(session),
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
    )
