"""Recompute open SLA deadlines after a calendar change: a due row worked in batches, each its own transaction.

So a change with 100,000 open cases never holds a long transaction or blocks the API, several replicas share the
work (the job row is claimed with SKIP LOCKED), and a restart resumes after the last finished batch.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.calendar import metrics
from complaints.calendar.models import CalendarRecompute
from complaints.calendar.service import refresh as refresh_calendar
from complaints.cases.models import Case
from complaints.settings import complaints_settings
from complaints.sla import service as sla
from complaints.sla.models import ClockEntry, SlaTargetRow
from contracts.events.cases import CaseSlaDeadlinesChangedV1, MovedDeadline
from servicekit.clock import now
from servicekit.db import Database
from servicekit.due import claim_due
from servicekit.outbox import record_events

log = logging.getLogger("complaints.calendar")


async def recompute_due(db: Database, *, batch_size: int | None = None) -> int:
    """Work every due recomputation to its end; returns the cases recomputed."""
    batch_size = batch_size or complaints_settings().calendar_recompute_batch_size
    handled = 0
    while (count := await _recompute_batch(db, batch_size)) is not None:
        handled += count
    return handled


def _open_cases():  # type: ignore[no-untyped-def]
    # a case with a target not yet met may have a deadline the calendar decides
    return select(SlaTargetRow.case_id).where(SlaTargetRow.met_at.is_(None)).distinct()


async def _recompute_batch(db: Database, batch_size: int) -> int | None:
    await refresh_calendar()  # this replica computes on the newest version
    async with db.session() as session:
        at = now(session)
        job = (
            (
                await claim_due(
                    session,
                    select(CalendarRecompute)
                    .where(CalendarRecompute.next_run_at <= at)
                    .order_by(CalendarRecompute.next_run_at),
                    limit=1,
                )
            )
            .scalars()
            .first()
        )
        if job is None:
            return None
        if job.state == "pending":
            job.state = "running"
            job.total = await session.scalar(select(func.count()).select_from(_open_cases().subquery())) or 0
            log.info(
                "recomputing open deadlines after a calendar change",
                extra={"version": job.version, "cases": job.total, "reason": job.reason},
            )
        query = _open_cases().order_by(SlaTargetRow.case_id).limit(batch_size)
        if job.after_case_id is not None:
            query = query.where(SlaTargetRow.case_id > job.after_case_id)
        case_ids = list((await session.scalars(query)).all())
        if not case_ids:
            job.state, job.finished_at, job.next_run_at = "done", at, None
            metrics.RECOMPUTE_REMAINING.set(0)
            log.info("open deadlines recomputed", extra={"version": job.version, "cases": job.done, "moved": job.moved})
            return 0
        moved = await recompute_cases(session, case_ids, at)
        job.after_case_id, job.done, job.moved = case_ids[-1], job.done + len(case_ids), job.moved + moved
        job.next_run_at = at
        metrics.RECOMPUTE_REMAINING.set(max(job.total - job.done, 0))
        metrics.RECOMPUTED.labels("moved").inc(moved)
        metrics.RECOMPUTED.labels("unchanged").inc(len(case_ids) - moved)
        log.info("recompute progress", extra={"version": job.version, "done": job.done, "total": job.total})
        return len(case_ids)


_TARGET_COLUMNS = (
    SlaTargetRow.case_id,
    SlaTargetRow.target,
    SlaTargetRow.deadline,
    SlaTargetRow.state,
    SlaTargetRow.met_at,
    SlaTargetRow.breached_at,
    SlaTargetRow.next_check_at,
    SlaTargetRow.severity,
    SlaTargetRow.tier,
    SlaTargetRow.provisional,
)
_CLOCK_COLUMNS = (
    ClockEntry.case_id,
    ClockEntry.at,
    ClockEntry.kind,
    ClockEntry.target,
    ClockEntry.severity,
    ClockEntry.tier,
)


async def recompute_cases(session: AsyncSession, case_ids: list[str], at) -> int:  # type: ignore[no-untyped-def]
    """Re-evaluate these cases on the current calendar, as a policy change does; each case whose deadlines moved
    announces them once (case.sla_deadlines_changed.v1). Returns how many moved."""
    # plain rows, not ORM objects: a recompute reads tens of thousands of them and only the cases are written
    rows = (
        await session.execute(select(*_TARGET_COLUMNS).where(SlaTargetRow.case_id.in_(case_ids)).with_for_update())
    ).all()
    before = {(r.case_id, r.target): (r.deadline, r.provisional) for r in rows}
    # a case stamped after this replica's now (clock skew between replicas) is left to its next action
    cases = (await session.scalars(select(Case).where(Case.id.in_(case_ids), Case.received_at <= at))).all()
    kept = {case.id for case in cases}
    rows = [r for r in rows if r.case_id in kept]
    entries = (
        await session.execute(
            select(*_CLOCK_COLUMNS).where(ClockEntry.case_id.in_(case_ids)).order_by(ClockEntry.at, ClockEntry.id)
        )
    ).all()
    by_case: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for entry in entries:
        by_case[entry.case_id].append(entry)
    histories = {case.id: sla.history_of(case, by_case[case.id]) for case in cases}
    await sla.refresh(session, list(cases), histories, {(r.case_id, r.target): r for r in rows}, at)  # type: ignore[misc]
    await session.flush()
    after = (
        await session.execute(
            select(SlaTargetRow.case_id, SlaTargetRow.target, SlaTargetRow.deadline, SlaTargetRow.provisional).where(
                SlaTargetRow.case_id.in_(case_ids), SlaTargetRow.met_at.is_(None)
            )
        )
    ).all()
    moves: dict[str, list[MovedDeadline]] = defaultdict(list)
    for case_id, target, deadline, provisional in after:
        old = before.get((case_id, target))
        if old is not None and (old[0] != deadline or old[1] != provisional):
            moves[case_id].append(
                MovedDeadline(target=target, deadline=deadline, previous_deadline=old[0], provisional=provisional)
            )
    by_id = {case.id: case for case in cases}
    changed = CaseSlaDeadlinesChangedV1.model_construct
    await record_events(
        session,
        [
            (
                changed(
                    case_id=case_id,
                    number=by_id[case_id].number,
                    customer_id=by_id[case_id].customer_id,
                    reason="calendar_changed",
                    targets=targets,
                ),
                case_id,
                by_id[case_id].version,
            )
            for case_id, targets in moves.items()
        ],
    )
    return len(moves)
