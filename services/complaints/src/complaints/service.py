"""Case use cases: open, act on, pause, reassign, compensate, correct. Never commits (the boundary does)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from complaints import lifecycle, metrics, tracking
from complaints.compensation import ApprovalLimits
from complaints.lifecycle import IllegalTransition
from complaints.models import Case, Compensation, CorrectiveAction, CustomerView, SlaTargetRow, TimelineEntry
from complaints.routing import Router
from complaints.schemas import CaseCreate, CompensationCreate, CorrectiveActionCreate
from complaints.settings import complaints_settings
from contracts import Event
from contracts.events import cases as ev
from servicekit.auth import Principal, Role, account_filter, sees_account
from servicekit.db import after_commit, utcnow
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
    return sees_account(principal, owner=case.owner, team=case.team)


async def get(session: AsyncSession, principal: Principal, case_id: str, *, lock: bool = False) -> Case:
    case = await session.get(Case, case_id, with_for_update=lock)
    # another team's case is reported as missing, so ids cannot be probed
    if case is None or not can_see(principal, case):
        raise not_found("case", case_id)
    return case


async def get_all(session: AsyncSession, principal: Principal, *, department: str | None, state: str | None,
                  customer_id: str | None, limit: int) -> list[Case]:
    query = select(Case).order_by(Case.received_at.desc(), Case.id).limit(limit)
    for column, value in ((Case.department, department), (Case.state, state), (Case.customer_id, customer_id)):
        if value is not None:
            query = query.where(column == value)
    departments = [dept for role, dept in DEPARTMENT_ROLES.items() if principal.has_any(role)]
    clause = account_filter(principal, Case.owner, Case.team, Case.department.in_(departments))
    if clause is not None:
        query = query.where(clause)
    return list((await session.scalars(query)).all())


# -- opening --------------------------------------------------------------------------


async def open_case(session: AsyncSession, principal: Principal, data: CaseCreate, *, reopened_from: Case | None = None) -> Case:
    now = utcnow()
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
        state=lifecycle.initial_state(data.kind),
        department=routed.department,
        owner=routed.owner or (customer.owner if customer else None),
        team=(customer.team if customer else None) or principal.team,
        approval_needed=False,
        reopened_from=reopened_from.id if reopened_from else None,
        version=1,
        created_by=principal.subject,
    )
    session.add(case)
    await session.flush()
    session.add(tracking.clock_entry(case, "received", received_at, severity=case.severity, tier=tier))
    _timeline(session, case, principal.subject, "open", None, case.state,
              f"reopened from {reopened_from.number} (R-29)" if reopened_from else None)
    common = _common(case)
    await record_event(session, ev.CaseReceivedV1(
        **common, kind=case.kind, channel=case.channel, severity=case.severity, cause_category=case.cause_category,
        department=case.department, owner=case.owner, team=case.team, received_at=received_at,
    ), aggregate_id=case.id, aggregate_version=case.version)
    if case.kind == "complaint" and case.severity == "serious":
        await _escalate_serious(session, case, principal.subject)
    await session.flush()
    await tracking.refresh_case(session, case, now)
    return case


async def _escalate_serious(session: AsyncSession, case: Case, actor: str) -> None:
    """R-26: a serious complaint goes to the vice-president at once; the manager handles it personally."""
    await record_event(session, ev.CaseEscalatedV1(
        **_common(case), to_roles=["vice_president", "manager"], reason="serious_complaint", severity=case.severity,
        department=case.department, owner=case.owner,
    ), aggregate_id=case.id, aggregate_version=case.version)
    _timeline(session, case, actor, "escalate", case.state, case.state, "serious complaint: vice-president and manager notified (R-26)")
    after_commit(session, lambda: metrics.ESCALATIONS.labels("serious_complaint").inc())


# -- lifecycle actions ----------------------------------------------------------------------


async def act(session: AsyncSession, principal: Principal, case_id: str, action: str, *, note: str | None = None,
              **details: str | None) -> Case:
    """One lifecycle transition (R-21, R-29, R-30); 409 with the allowed actions when illegal."""
    case = await get(session, principal, case_id, lock=True)
    now = utcnow()
    try:
        new_state = lifecycle.next_state(case.kind, case.state, action)
    except IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", str(exc), field="action") from None
    previous = case.state
    events: list[Event] = []
    common = _common(case)
    if action in ("dispatch", "approve_service") and not principal.has_any(*MANAGERS, Role.supervisor):
        raise ApiError(403, "forbidden", f"{action} is for the department manager (R-21)")
    if action == "acknowledge":
        case.acknowledged_at = now
        _met(session, case, "first_response", now)
    elif action == "report":
        case.root_cause = details.get("root_cause") or case.root_cause
        _met(session, case, "investigation_report", now)
        events.append(ev.CaseInvestigationReportedV1(**common, reported_at=now, root_cause=case.root_cause))
    elif action == "propose_resolution":
        events.append(ev.CaseResolutionProposedV1(**common, proposed_at=now))
    elif action in ("accept", "sign_off"):
        case.resolved_at = now
        _met(session, case, "resolution", now)
    elif action == "dispatch":
        case.technician, case.service_mode = details["technician"], details.get("mode") or "on_site"
        case.approval_needed = lifecycle.needs_manager_approval(case.service_mode)
        events.append(ev.ServiceRequestDispatchedV1(**common, at=now, by=principal.subject, technician=case.technician,
                                                    mode=case.service_mode, needs_approval=case.approval_needed))
    elif action == "approve_service":
        if not case.approval_needed:
            raise ApiError(409, "illegal_transition", "on-site service needs no approval; allowed: start_service", field="action")
        case.approved_by = principal.subject
        events.append(ev.ServiceRequestApprovedV1(**common, at=now, by=principal.subject))
    elif action == "start_service":
        if case.approval_needed and not case.approved_by:
            raise ApiError(409, "approval_required", f"{case.service_mode} service needs the manager's approval first (R-21); allowed: approve_service", field="action")
        events.append(ev.ServiceRequestStartedV1(**common, at=now, by=principal.subject))
    elif action == "archive":
        events.append(ev.ServiceRequestArchivedV1(**common, at=now, by=principal.subject))
    if action == "sign_off":
        events.append(ev.ServiceRequestSignedOffV1(**common, at=now, by=principal.subject))
    if case.paused_since and new_state in ("closed", "archived"):
        case.paused_since = None
        session.add(tracking.clock_entry(case, "resumed", now))
    case.state = new_state
    case.version += 1
    _timeline(session, case, principal.subject, action, previous, new_state, note)
    if new_state == "closed":
        events.extend(await _close(session, principal, case, action, now))
    await session.flush()
    transitions = await tracking.refresh_case(session, case, now)
    if action == "acknowledge":
        events.append(ev.CaseAcknowledgedV1(**common, acknowledged_at=now, acknowledged_by=principal.subject,
                                            within_sla=_within(transitions, "first_response")))
    if action == "accept":
        events.append(ev.CaseResolvedV1(**common, resolved_at=now, within_sla=_within(transitions, "resolution")))
    for event in events:
        await record_event(session, event, aggregate_id=case.id, aggregate_version=case.version)
    return case


async def _close(session: AsyncSession, principal: Principal, case: Case, action: str, now: datetime) -> list[Event]:
    outcome = {"close": "resolved", "mark_unfounded": "unfounded", "reject": "rejected"}[action]
    case.close_outcome = outcome
    case.closed_at = now
    # closing ends every clock still running: unfounded and refused cases stop counting against us here
    open_targets = (await session.scalars(select(SlaTargetRow.target).where(
        SlaTargetRow.case_id == case.id, SlaTargetRow.met_at.is_(None)))).all()
    for target in open_targets:
        _met(session, case, target, now)
    events: list[Event] = [ev.CaseClosedV1(**_common(case), outcome=outcome, closed_at=now)]
    if outcome == "rejected":  # a linked follow-up case with the original attached
        follow_up = await open_case(session, principal, CaseCreate(
            kind=case.kind, customer_id=case.customer_id, channel=case.channel,
            content=f"[{case.number}] {case.content}", requested_outcome=case.requested_outcome,
            cause_category=case.cause_category, product=case.product, severity=case.severity,
        ), reopened_from=case)
        case.reopened_as = follow_up.id
        events.append(ev.CaseReopenedV1(**_common(case), new_case_id=follow_up.id, new_number=follow_up.number,
                                        reason="the customer did not accept the resolution (R-29)"))
    return events


def _within(transitions: list[tracking.Transition], target: str) -> bool:
    return any(t.status.name == target and t.status.state == "met" for t in transitions)


def _met(session: AsyncSession, case: Case, target: str, now: datetime) -> None:
    session.add(tracking.clock_entry(case, "met", now, target=target))


async def set_waiting(session: AsyncSession, principal: Principal, case_id: str, waiting: bool, note: str | None) -> Case:
    """Waiting on the customer pauses the SLA clock; resuming pushes the deadlines back by the pause."""
    case = await get(session, principal, case_id, lock=True)
    now = utcnow()
    if case.state not in lifecycle.PAUSABLE_STATES:
        raise ApiError(409, "illegal_transition", f"a {case.state} case cannot wait on the customer", field="action")
    if waiting == (case.paused_since is not None):
        raise ApiError(409, "illegal_transition", "already waiting on the customer" if waiting else "not waiting on the customer", field="action")
    case.paused_since = now if waiting else None
    case.version += 1
    session.add(tracking.clock_entry(case, "paused" if waiting else "resumed", now))
    _timeline(session, case, principal.subject, "wait_on_customer" if waiting else "resume", case.state, case.state, note)
    await session.flush()
    await tracking.refresh_case(session, case, now)
    return case


async def change_severity(session: AsyncSession, principal: Principal, case_id: str, severity: str, note: str | None) -> Case:
    case = await get(session, principal, case_id, lock=True)
    if case.state not in lifecycle.OPEN_STATES:
        raise ApiError(409, "illegal_transition", "the case is finished", field="severity")
    if severity == case.severity:
        return case
    now = utcnow()
    case.severity = severity
    case.version += 1
    session.add(tracking.clock_entry(case, "policy_changed", now, severity=severity))
    _timeline(session, case, principal.subject, "change_severity", case.state, case.state, note or f"severity -> {severity}")
    if severity == "serious" and case.kind == "complaint":
        await _escalate_serious(session, case, principal.subject)
    await session.flush()
    await tracking.refresh_case(session, case, now)
    return case


async def apply_customer_tier(session: AsyncSession, customer_id: str, tier: str) -> None:
    """A tier change recomputes the deadlines of the customer's open cases from their history (R-03)."""
    now = utcnow()
    cases = (await session.scalars(select(Case).where(
        Case.customer_id == customer_id, Case.state.in_(lifecycle.OPEN_STATES)).with_for_update())).all()
    for case in cases:
        if case.tier == tier:
            continue
        case.tier = tier
        case.version += 1
        session.add(tracking.clock_entry(case, "policy_changed", now, tier=tier))
        _timeline(session, case, "system", "tier_changed", case.state, case.state, f"customer tier -> {tier}")
        await session.flush()
        await tracking.refresh_case(session, case, now)


async def link_waiting_cases(session: AsyncSession, customer_id: str, tier: str) -> None:
    """Cases opened before we heard of the customer get its tier, owner and team once the event arrives."""
    view = await session.get(CustomerView, customer_id)
    cases = (await session.scalars(select(Case).where(Case.customer_id == customer_id))).all()
    for case in cases:
        case.owner = case.owner or (view.owner if view else None)
        case.team = case.team or (view.team if view else None)
    await apply_customer_tier(session, customer_id, tier)


async def reassign(session: AsyncSession, principal: Principal, case_id: str, department: str, owner: str | None, note: str | None) -> Case:
    """R-27: reassignment is recorded and announced."""
    case = await get(session, principal, case_id, lock=True)
    previous_department, previous_owner = case.department, case.owner
    case.department, case.owner = department, owner
    case.version += 1
    _timeline(session, case, principal.subject, "reassign", case.state, case.state,
              note or f"{previous_department}/{previous_owner or '-'} -> {department}/{owner or '-'}")
    await record_event(session, ev.CaseAssignedV1(
        **_common(case), department=department, owner=owner, previous_department=previous_department,
        previous_owner=previous_owner, reason=note or "reassigned by hand",
    ), aggregate_id=case.id, aggregate_version=case.version)
    return case


# -- compensation (R-28) -----------------------------------------------------------------------


def approval_limits() -> ApprovalLimits:
    return ApprovalLimits(complaints_settings().approval_limits)


async def propose_compensation(session: AsyncSession, principal: Principal, case_id: str, data: CompensationCreate) -> Compensation:
    case = await get(session, principal, case_id, lock=True)
    if case.state not in lifecycle.OPEN_STATES:
        raise ApiError(409, "illegal_transition", "compensation is proposed on an open case", field="case_id")
    now = utcnow()
    compensation = Compensation(
        id=str(uuid.uuid4()), case_id=case.id, kind=data.kind, amount=data.amount.quantize(Decimal("0.01")),
        currency=data.currency or complaints_settings().currency, reason=data.reason, state="pending",
        proposed_by=principal.subject, proposed_at=now,
    )
    session.add(compensation)
    _timeline(session, case, principal.subject, "propose_compensation", case.state, case.state,
              f"{data.kind} {compensation.amount} {compensation.currency}")
    # within the proposer's own authority it is approved at once; above it waits for the next level
    if approval_limits().may_approve(principal.roles, data.amount):
        await _approve(session, principal, case, compensation, now)
    return compensation


async def decide_compensation(session: AsyncSession, principal: Principal, compensation_id: str, approve: bool) -> Compensation:
    compensation = await session.get(Compensation, compensation_id, with_for_update=True)
    if compensation is None:
        raise not_found("compensation", compensation_id)
    case = await get(session, principal, compensation.case_id)
    if compensation.state != "pending":
        raise ApiError(409, "illegal_transition", f"the compensation is already {compensation.state}", field="state")
    limit = approval_limits().limit_for(principal.roles)
    if approve and compensation.amount > limit:
        raise ApiError(403, "over_approval_limit",
                       f"amount {compensation.amount} {compensation.currency} exceeds your approval limit of {limit} (R-28)",
                       field="amount")
    if compensation.proposed_by == principal.subject:
        raise ApiError(403, "forbidden", "the proposer cannot decide their own compensation")
    now = utcnow()
    if approve:
        await _approve(session, principal, case, compensation, now)
    else:
        compensation.state, compensation.decided_by, compensation.decided_at = "rejected", principal.subject, now
        _timeline(session, case, principal.subject, "reject_compensation", case.state, case.state, None)
    return compensation


async def _approve(session: AsyncSession, principal: Principal, case: Case, compensation: Compensation, now: datetime) -> None:
    compensation.state, compensation.decided_by, compensation.decided_at = "approved", principal.subject, now
    _timeline(session, case, principal.subject, "approve_compensation", case.state, case.state,
              f"{compensation.kind} {compensation.amount} {compensation.currency}")
    await record_event(session, ev.CompensationApprovedV1(
        compensation_id=compensation.id, case_id=case.id, case_number=case.number, customer_id=case.customer_id,
        kind=compensation.kind, amount=Decimal(compensation.amount), currency=compensation.currency,
        approved_by=principal.subject, approved_at=now,
    ), aggregate_id=compensation.id, aggregate_version=1)


async def compensations_of(session: AsyncSession, principal: Principal, case_id: str) -> list[Compensation]:
    await get(session, principal, case_id)
    return list((await session.scalars(select(Compensation).where(Compensation.case_id == case_id).order_by(Compensation.proposed_at))).all())


# -- corrective actions (R-31) ------------------------------------------------------------------


async def add_corrective_action(session: AsyncSession, principal: Principal, case_id: str, data: CorrectiveActionCreate) -> CorrectiveAction:
    case = await get(session, principal, case_id)
    action = CorrectiveAction(id=str(uuid.uuid4()), case_id=case.id, description=data.description, owner=data.owner,
                              due_date=data.due_date, status="open", created_at=utcnow())
    session.add(action)
    _timeline(session, case, principal.subject, "add_corrective_action", case.state, case.state, data.description[:200])
    return action


async def complete_corrective_action(session: AsyncSession, principal: Principal, action_id: str) -> CorrectiveAction:
    action = await session.get(CorrectiveAction, action_id, with_for_update=True)
    if action is None:
        raise not_found("corrective action", action_id)
    case = await get(session, principal, action.case_id)
    if action.status == "done":
        raise ApiError(409, "illegal_transition", "the corrective action is already done", field="status")
    action.status, action.done_at = "done", utcnow()
    _timeline(session, case, principal.subject, "complete_corrective_action", case.state, case.state, action.description[:200])
    return action


async def corrective_actions(session: AsyncSession, *, status: str | None, overdue_only: bool) -> list[CorrectiveAction]:
    query = select(CorrectiveAction).order_by(CorrectiveAction.due_date)
    if status:
        query = query.where(CorrectiveAction.status == status)
    if overdue_only:
        query = query.where(CorrectiveAction.status == "open", CorrectiveAction.due_date < utcnow().date())
    return list((await session.scalars(query)).all())


# -- reading ---------------------------------------------------------------------------------


async def detail(session: AsyncSession, case: Case) -> dict[str, object]:
    timeline = (await session.scalars(select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id))).all()
    sla = (await session.scalars(select(SlaTargetRow).where(SlaTargetRow.case_id == case.id))).all()
    chain = await _chain(session, case)
    customer = await session.get(CustomerView, case.customer_id)
    return {**read(case, sla), "customer_name": customer.name if customer else None, "timeline": timeline, "chain": chain}


def read(case: Case, sla: list[SlaTargetRow] | tuple[SlaTargetRow, ...] = ()) -> dict[str, object]:
    values = {column: getattr(case, column) for column in Case.__table__.columns.keys()}
    return {**values, "paused": case.paused_since is not None, "allowed_actions": lifecycle.allowed_actions(case.kind, case.state), "sla": list(sla)}


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


def _timeline(session: AsyncSession, case: Case, actor: str, action: str, from_state: str | None, to_state: str | None, note: str | None) -> None:
    session.add(TimelineEntry(case_id=case.id, at=utcnow(), actor=actor, action=action, from_state=from_state, to_state=to_state, note=note))

