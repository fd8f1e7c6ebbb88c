"""SLA tracking: turn a case's clock history into stored target rows, and each state change into
exactly one event, escalation and metric. Used by case actions and by the evaluator alike.

Exactly once: transitions are computed against the row's state read under a row lock (the action
path locks with FOR UPDATE, the evaluator claims due rows with the kit's claim_due), so two writers
never both see the old state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.calendar.service import current_book
from complaints.cases.models import Case
from complaints.settings import complaints_settings
from complaints.sla import metrics
from complaints.sla.models import ClockEntry, SlaTargetRow
from complaints.sla.rules import ClockEvent, PolicyMatrix, TargetStatus, default_policy_matrix, evaluate
from contracts import Event
from contracts.events.cases import CaseEscalatedV1, CaseSlaAtRiskV1, CaseSlaBreachedV1
from servicekit.calendar.book import CalendarBook
from servicekit.calendar.metrics import note_provisional
from servicekit.db import after_commit
from servicekit.outbox import record_events

BREACH_ESCALATES_TO = ["supervisor", "manager"]  # a breach goes to the supervisor and the manager


@cache
def policy_matrix() -> PolicyMatrix:
    config = complaints_settings().sla_policy
    return PolicyMatrix.from_config(config) if config else default_policy_matrix()


def calendars() -> CalendarBook:
    """The company's business calendars as this process knows them now (reloaded when they change)."""
    return current_book()


def history_of(case: Case, entries: Iterable[ClockEntry]) -> list[ClockEvent]:
    history: list[ClockEvent] = []
    for e in entries:
        if e.kind == "received":
            history.append(
                ClockEvent.received(e.at, case.kind, e.severity or "normal", e.tier or "unknown", case.channel)
            )
        elif e.kind == "policy_changed":
            history.append(ClockEvent.policy_changed(e.at, severity=e.severity, tier=e.tier))
        elif e.kind == "met":
            history.append(ClockEvent.met(e.at, e.target or ""))
        else:
            history.append(ClockEvent(e.at, e.kind))  # type: ignore[arg-type]
    return history


def clock_entry(
    case: Case,
    kind: str,
    at: datetime,
    *,
    target: str | None = None,
    severity: str | None = None,
    tier: str | None = None,
) -> ClockEntry:
    return ClockEntry(case_id=case.id, at=at, kind=kind, target=target, severity=severity, tier=tier)


@dataclass(frozen=True)
class Transition:
    case: Case
    status: TargetStatus
    state_changed: bool
    newly_met: bool


def _next_check(status: TargetStatus) -> datetime | None:
    if status.paused or status.state not in ("on_track", "at_risk"):
        return None
    return status.at_risk_at if status.state == "on_track" else status.deadline


def _budget_seconds(case: Case, target: str) -> float:
    spec = policy_matrix().policy_for(case.kind, case.severity, case.tier, case.channel).target(target)
    return spec.budget(calendars().calendar(spec.calendar)).total_seconds() if spec else 0.0


async def refresh(
    session: AsyncSession,
    cases: list[Case],
    histories: dict[str, list[ClockEvent]],
    current: dict[tuple[str, str], SlaTargetRow],
    now: datetime,
    *,
    only_current: bool = False,
) -> list[Transition]:
    """Evaluate every case at `now`, store the target rows, and act on the state changes.

    `current` holds the rows the caller has locked; with `only_current` (the evaluator, which
    claimed single rows) nothing else is touched, so another evaluator's rows stay its own.
    """
    inserts: list[SlaTargetRow] = []
    updates: list[dict[str, object]] = []
    transitions: list[Transition] = []
    claimed: dict[str, set[str]] = defaultdict(set)
    for case_id, target in current:
        claimed[case_id].add(target)
    provisional: list[TargetStatus] = []
    book = calendars()
    for case in cases:
        only = claimed[case.id] if only_current else None
        statuses = evaluate(histories[case.id], policy_matrix(), book, now, only)
        for name, status in statuses.items():
            row = current.get((case.id, name))
            if row is None and only_current:
                continue
            values = {
                "deadline": status.deadline,
                "state": status.state,
                "met_at": status.met_at,
                "breached_at": status.breached_at,
                "next_check_at": _next_check(status),
                "severity": case.severity,
                "tier": case.tier,
                "provisional": status.provisional,
            }
            if status.provisional and (row is None or not row.provisional):
                provisional.append(status)
            if row is None:
                inserts.append(
                    SlaTargetRow(case_id=case.id, target=name, kind=case.kind, channel=case.channel, **values)
                )
            elif any(getattr(row, k) != v for k, v in values.items()):
                updates.append({"case_id": case.id, "target": name, **values})
            state_changed = row is None or row.state != status.state
            newly_met = status.met_at is not None and (row is None or row.met_at is None)
            if state_changed or newly_met:
                transitions.append(Transition(case, status, state_changed, newly_met))
        gone = [] if only_current else [t for t in claimed[case.id] if t not in statuses]
        if gone:  # a policy change removed a target
            await session.execute(
                delete(SlaTargetRow).where(SlaTargetRow.case_id == case.id, SlaTargetRow.target.in_(gone))
            )
    session.add_all(inserts)
    if updates:
        await session.execute(update(SlaTargetRow), updates)
    await _announce(session, transitions)
    if provisional:
        after_commit(session, lambda: _count_provisional(provisional))
    return transitions


def _count_provisional(statuses: list[TargetStatus]) -> None:
    for status in statuses:
        note_provisional(status.calendar, list(status.unknown_years))


async def _announce(session: AsyncSession, transitions: list[Transition]) -> None:
    """Events, escalations and metrics for targets that became at risk, breached or met."""
    events: list[tuple[Event, str, int]] = []
    # built from our own stored rows, so validating them again only costs time in a pass of thousands
    at_risk, breached, escalated = (m.model_construct for m in (CaseSlaAtRiskV1, CaseSlaBreachedV1, CaseEscalatedV1))
    counted: list[tuple[str, ...]] = []
    observed: list[tuple[object, tuple[str, ...], float]] = []
    for t in transitions:
        case, status = t.case, t.status
        labels = (case.kind, case.severity, case.tier, case.channel)
        common = {"case_id": case.id, "number": case.number, "customer_id": case.customer_id}
        if t.state_changed and status.state == "at_risk":  # reminds the owner
            events.append(
                (
                    at_risk(
                        **common,
                        target=status.name,
                        deadline=status.deadline,
                        provisional=status.provisional,
                        owner=case.owner,
                        department=case.department,
                    ),
                    case.id,
                    case.version,
                )
            )
        elif t.state_changed and status.state == "breached" and status.breached_at is not None:
            events.append(
                (
                    breached(
                        **common,
                        target=status.name,
                        deadline=status.deadline,
                        provisional=status.provisional,
                        owner=case.owner,
                        department=case.department,
                    ),
                    case.id,
                    case.version,
                )
            )
            events.append(
                (
                    escalated(
                        **common,
                        to_roles=BREACH_ESCALATES_TO,
                        reason="sla_breached",
                        target=status.name,
                        severity=case.severity,
                        department=case.department,
                        owner=case.owner,
                    ),
                    case.id,
                    case.version,
                )
            )
            counted.append((status.name, *labels, "breached"))
        elif t.state_changed and status.state == "met":
            counted.append((status.name, *labels, "met"))
        if t.newly_met and status.name in ("first_response", "resolution"):
            histogram = metrics.FIRST_RESPONSE if status.name == "first_response" else metrics.RESOLUTION
            observed.append((histogram, labels, status.used_ratio * _budget_seconds(case, status.name)))
    await record_events(session, events)

    def count() -> None:
        for labels in counted:
            metrics.TARGETS.labels(*labels).inc()
            if labels[-1] == "breached":
                metrics.ESCALATIONS.labels("sla_breached").inc()
        for histogram, labels, seconds in observed:
            histogram.labels(*labels).observe(seconds)  # type: ignore[attr-defined]

    after_commit(session, count)


async def refresh_case(session: AsyncSession, case: Case, now: datetime) -> list[Transition]:
    """The action path: lock this case's target rows, then refresh them."""
    rows = (await session.scalars(select(SlaTargetRow).where(SlaTargetRow.case_id == case.id).with_for_update())).all()
    entries = (
        await session.scalars(
            select(ClockEntry).where(ClockEntry.case_id == case.id).order_by(ClockEntry.at, ClockEntry.id)
        )
    ).all()
    return await refresh(
        session, [case], {case.id: history_of(case, entries)}, {(r.case_id, r.target): r for r in rows}, now
    )
