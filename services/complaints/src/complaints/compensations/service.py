"""Compensation use cases (R-28): propose, decide within the approval authority, list. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.cases import rules
from complaints.cases import service as cases
from complaints.cases.models import Case
from complaints.compensations.models import Compensation
from complaints.compensations.rules import ApprovalLimits
from complaints.compensations.schemas import CompensationCreate
from complaints.settings import complaints_settings
from contracts.events import cases as ev
from servicekit import clock
from servicekit.auth import Principal
from servicekit.errors import ApiError, not_found
from servicekit.outbox import record_event


def approval_limits() -> ApprovalLimits:
    return ApprovalLimits(complaints_settings().approval_limits)


async def propose_compensation(
    session: AsyncSession, principal: Principal, case_id: str, data: CompensationCreate
) -> Compensation:
    case = await cases.get(session, principal, case_id, lock=True)
    if case.state not in rules.OPEN_STATES:
        raise ApiError(409, "illegal_transition", "compensation is proposed on an open case", field="case_id")
    now = clock.now(session)
    compensation = Compensation(
        id=str(uuid.uuid4()),
        case_id=case.id,
        kind=data.kind,
        amount=data.amount.quantize(Decimal("0.01")),
        currency=data.currency or complaints_settings().currency,
        reason=data.reason,
        state="pending",
        proposed_by=principal.subject,
        proposed_at=now,
    )
    session.add(compensation)
    cases.add_timeline_entry(
        session,
        case,
        principal.subject,
        "propose_compensation",
        case.state,
        case.state,
        f"{data.kind} {compensation.amount} {compensation.currency}",
    )
    # within the proposer's own authority it is approved at once; above it waits for the next level
    if approval_limits().may_approve(principal.roles, data.amount):
        await _approve(session, principal, case, compensation, now)
    return compensation


async def decide_compensation(
    session: AsyncSession, principal: Principal, compensation_id: str, approve: bool
) -> Compensation:
    compensation = await session.get(Compensation, compensation_id, with_for_update=True)
    if compensation is None:
        raise not_found("compensation", compensation_id)
    case = await cases.get(session, principal, compensation.case_id)
    if compensation.state != "pending":
        raise ApiError(409, "illegal_transition", f"the compensation is already {compensation.state}", field="state")
    limit = approval_limits().limit_for(principal.roles)
    if approve and compensation.amount > limit:
        raise ApiError(
            403,
            "over_approval_limit",
            f"amount {compensation.amount} {compensation.currency} exceeds your approval limit of {limit} (R-28)",
            field="amount",
        )
    if compensation.proposed_by == principal.subject:
        raise ApiError(403, "forbidden", "the proposer cannot decide their own compensation")
    now = clock.now(session)
    if approve:
        await _approve(session, principal, case, compensation, now)
    else:
        compensation.state, compensation.decided_by, compensation.decided_at = "rejected", principal.subject, now
        cases.add_timeline_entry(session, case, principal.subject, "reject_compensation", case.state, case.state, None)
    return compensation


async def _approve(
    session: AsyncSession, principal: Principal, case: Case, compensation: Compensation, now: datetime
) -> None:
    compensation.state, compensation.decided_by, compensation.decided_at = "approved", principal.subject, now
    cases.add_timeline_entry(
        session,
        case,
        principal.subject,
        "approve_compensation",
        case.state,
        case.state,
        f"{compensation.kind} {compensation.amount} {compensation.currency}",
    )
    await record_event(
        session,
        ev.CompensationApprovedV1(
            compensation_id=compensation.id,
            case_id=case.id,
            case_number=case.number,
            customer_id=case.customer_id,
            kind=compensation.kind,
            amount=Decimal(compensation.amount),
            currency=compensation.currency,
            approved_by=principal.subject,
            approved_at=now,
        ),
        aggregate_id=compensation.id,
        aggregate_version=1,
    )


async def compensations_of(session: AsyncSession, principal: Principal, case_id: str) -> list[Compensation]:
    await cases.get(session, principal, case_id)
    return list(
        (
            await session.scalars(
                select(Compensation).where(Compensation.case_id == case_id).order_by(Compensation.proposed_at)
            )
        ).all()
    )


async def forget_reasons(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42 erasure: a reason may name people; kinds and amounts stay for the monthly review (R-32)."""
    await session.execute(
        update(Compensation).where(Compensation.case_id.in_(cases.case_ids_of(customer_id))).values(reason=None)
    )
