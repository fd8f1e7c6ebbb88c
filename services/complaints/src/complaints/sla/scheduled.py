"""Due-row workers: the SLA evaluator and the SLA gauges (reliability rule 6).

A pass claims only target rows whose `next_check_at` has come, with the kit's due-row claim (FOR UPDATE
SKIP LOCKED on PostgreSQL), so its cost follows the due rows, not the open cases, and replicas never act
twice. "Now" is the service's clock (`db.clock()`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select

from complaints.cases.models import Case
from complaints.settings import complaints_settings
from complaints.sla import metrics
from complaints.sla import service as tracking
from complaints.sla.models import ClockEntry, SlaTargetRow
from servicekit.db import Database
from servicekit.due import claim_due


async def evaluate_due(db: Database, *, now: datetime | None = None, batch_size: int | None = None) -> int:
    """One pass over due SLA targets; returns how many rows it handled."""
    started = time.perf_counter()
    now = now or db.clock()
    batch_size = batch_size or complaints_settings().evaluator_batch_size
    handled = 0
    while True:
        claimed = await _evaluate_batch(db, now, batch_size)
        handled += claimed
        if claimed < batch_size:
            break
    metrics.EVALUATOR_PASS.observe(time.perf_counter() - started)
    metrics.EVALUATOR_HEARTBEAT.set(time.time())
    return handled


async def _evaluate_batch(db: Database, now: datetime, batch_size: int) -> int:
    async with db.session() as session:
        due = select(SlaTargetRow).where(SlaTargetRow.next_check_at <= now).order_by(SlaTargetRow.next_check_at)
        rows = (await claim_due(session, due, limit=batch_size)).scalars().all()
        if not rows:
            return 0
        case_ids = {row.case_id for row in rows}
        cases = (await session.scalars(select(Case).where(Case.id.in_(case_ids)))).all()
        entries = (
            await session.scalars(
                select(ClockEntry).where(ClockEntry.case_id.in_(case_ids)).order_by(ClockEntry.at, ClockEntry.id)
            )
        ).all()
        by_case: dict[str, list[ClockEntry]] = defaultdict(list)
        for entry in entries:
            by_case[entry.case_id].append(entry)
        histories = {case.id: tracking.history_of(case, by_case[case.id]) for case in cases}
        current = {(row.case_id, row.target): row for row in rows}
        transitions = await tracking.refresh(session, list(cases), histories, current, now, only_current=True)
        for t in transitions:
            if t.state_changed:
                metrics.EVALUATOR_TRANSITIONS.labels(t.status.name, t.status.state).inc()
        return len(rows)


async def refresh_gauges(db: Database) -> None:
    """Open targets by state and the oldest unanswered case: aggregate queries on a timer, never per scrape."""
    async with db.session() as session:
        counts = (
            await session.execute(
                select(SlaTargetRow.target, SlaTargetRow.state, func.count())
                .where(SlaTargetRow.met_at.is_(None))
                .group_by(SlaTargetRow.target, SlaTargetRow.state)
            )
        ).all()
        # one min() per state: each is a single lookup on ix_cases_state_received_at, an IN list is a scan
        firsts = [
            (await session.execute(select(func.min(Case.received_at)).where(Case.state == state))).scalar_one_or_none()
            for state in ("received", "registered")
        ]
        oldest = min((t for t in firsts if t is not None), default=None)
    seen = {(target, state): count for target, state, count in counts}
    for target in ("first_response", "investigation_report", "resolution"):
        for state in ("on_track", "at_risk", "breached"):
            metrics.OPEN_TARGETS.labels(target, state).set(seen.get((target, state), 0))
    metrics.OLDEST_UNANSWERED.set((db.clock() - oldest).total_seconds() if oldest else 0)
