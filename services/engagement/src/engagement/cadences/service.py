"""Cadence use cases: the policy, re-planning customers' obligations, counting a logged contact against them,
closing windows that ended. Never commits."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from contracts.events.engagement import ObligationMissedV1
from engagement.cadences import metrics, rules
from engagement.cadences.models import CadencePolicyRow, Obligation
from engagement.communications.models import Communication
from engagement.overrides.models import CadenceOverride
from engagement.plans import service as plans
from engagement.segments.models import KnownCustomer
from engagement.settings import engagement_settings
from servicekit import clock
from servicekit.outbox import record_events

_ROW = 1
# batch UPDATEs: the objects in the session are set by hand where still used; no search of the identity map
BULK = {"synchronize_session": False}


async def load_policy(session: AsyncSession, *, for_update: bool = False) -> CadencePolicyRow:
    """The stored policy row, created from the defaults on first use."""
    query = select(CadencePolicyRow).where(CadencePolicyRow.id == _ROW)
    row = (await session.scalars(query.with_for_update() if for_update else query)).one_or_none()
    if row is None:
        row = CadencePolicyRow(
            id=_ROW,
            version=1,
            rules=[rules.rule_data(r) for r in rules.DEFAULT_POLICY.rules],
            crisis_rules=[rules.rule_data(r) for r in rules.DEFAULT_POLICY.crisis_rules],
            crisis_on=False,
            updated_by="defaults",
            updated_at=clock.now(session),
        )
        try:
            async with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another transaction stored the defaults first
            return (await session.scalars(query.with_for_update() if for_update else query)).one()
    return row


def policy_of(row: CadencePolicyRow) -> rules.Policy:
    settings = engagement_settings()
    return rules.Policy(
        rules=tuple(rules.parse_rule(r) for r in row.rules),
        crisis_rules=tuple(rules.parse_rule(r) for r in row.crisis_rules),
        onboarding_days=settings.onboarding_call_days,
        zone=settings.zone,
    )


def facts_of(customer: KnownCustomer) -> rules.CustomerFacts:
    return rules.CustomerFacts(
        customer_type=customer.customer_type,
        stage=customer.stage,
        tier=customer.tier,
        service_level=customer.service_level,
        risk_state=customer.risk_state,
        tags=tuple(customer.tags or ()),
        open_complaint=bool(customer.open_complaints),
        registered_at=customer.registered_at,
    )


def override_of(row: CadenceOverride | None) -> rules.Override | None:
    return None if row is None else rules.Override(row.period, row.contacts, row.until)


async def change_policy(
    session: AsyncSession,
    *,
    by: str,
    rules_data: list[dict[str, object]] | None = None,
    crisis_rules_data: list[dict[str, object]] | None = None,
    crisis_on: bool | None = None,
) -> CadencePolicyRow:
    """A new policy version: every live customer is re-planned by the re-plan pass (`replan_pass`)."""
    row = await load_policy(session, for_update=True)
    if rules_data is not None:
        row.rules = rules_data
    if crisis_rules_data is not None:
        row.crisis_rules = crisis_rules_data
    if crisis_on is not None:
        row.crisis_on = crisis_on
    row.version += 1
    row.updated_by = by
    row.updated_at = clock.now(session)
    metrics.CRISIS_MODE.set(1 if row.crisis_on else 0)
    return row


async def replan(session: AsyncSession, customers: Sequence[KnownCustomer], now: datetime) -> int:
    """Bring the customers' open obligations (and their generated plans) in line with the policy at `now`: keep what
    still applies, cancel what no longer does, open what is missing, counting contacts already logged in the new
    windows. Returns how many obligations were opened. Loads every row the batch needs in a few queries."""
    if not customers:
        return 0
    row = await load_policy(session)
    policy = policy_of(row)
    ids = [c.id for c in customers]
    overrides = {
        o.customer_id: o
        for o in await session.scalars(
            select(CadenceOverride).where(CadenceOverride.customer_id.in_(ids), CadenceOverride.ended_at.is_(None))
        )
    }
    open_rows: dict[str, list[tuple[str, ObligationKey]]] = defaultdict(list)
    columns = (Obligation.rule, Obligation.window_start, Obligation.window_end, Obligation.contacts, Obligation.kinds)
    found = await session.execute(
        select(Obligation.id, Obligation.customer_id, *columns, Obligation.focus).where(
            Obligation.customer_id.in_(ids), Obligation.status == "open"
        )
    )
    for ob_id, customer_id, rule, start, end, contacts, kinds, focus in found.all():
        open_rows[customer_id].append((ob_id, (rule, start, end, contacts, tuple(kinds), focus)))
    wanted: list[tuple[KnownCustomer, rules.PlannedObligation]] = []
    cancelled: list[str] = []
    for customer in customers:
        planned = []
        if not (customer.merged_into or customer.erased_at):
            planned = rules.obligations_for(
                facts_of(customer),
                policy,
                now=now,
                crisis=row.crisis_on,
                override=override_of(overrides.get(customer.id)),
            )
        existing = {key: ob_id for ob_id, key in open_rows[customer.id]}
        keys = {p.key for p in planned}
        cancelled += [ob_id for key, ob_id in existing.items() if key not in keys]
        wanted += [(customer, p) for p in planned if p.key not in existing]
        set_committed_value(customer, "planned_version", row.version)
    # one statement for the batch rather than one UPDATE per customer
    await session.execute(
        update(KnownCustomer).where(KnownCustomer.id.in_(ids)).values(planned_version=row.version),
        execution_options=BULK,
    )
    if cancelled:
        await session.execute(
            update(Obligation)
            .where(Obligation.id.in_(cancelled))
            .values(status="cancelled", due_at=None, closed_at=now),
            execution_options=BULK,
        )
        await plans.cancel_for_obligations(session, cancelled, now)
    if not wanted:
        return 0
    logged = await _logged_channels(session, [c.id for c, _ in wanted], min(p.window_start for _, p in wanted))
    created = []
    for customer, p in wanted:
        channels = [ch for at, ch in logged.get(customer.id, []) if p.window_start <= at < p.window_end]
        met = rules.fulfilled(p.contacts, p.kinds, channels)
        created.append(
            {
                "id": str(uuid.uuid4()),
                "customer_id": customer.id,
                "rule": p.rule,
                "period": p.period,
                "focus": p.focus,
                "window_start": p.window_start,
                "window_end": p.window_end,
                "contacts": p.contacts,
                "kinds": list(p.kinds),
                "channels": channels,
                "status": "met" if met else "open",
                "owner": customer.owner,
                "team": customer.team,
                "due_at": None if met else p.window_end,
                "met_at": now if met else None,
                "closed_at": None,
                "note": None,
                "created_at": now,
            }
        )
    # plain multi-row INSERTs: a re-plan of many customers must not build ORM objects it never reads again
    await session.execute(insert(Obligation.__table__), created)
    await plans.create_for_obligations(
        session, [(ob, p.channel, customer.team) for ob, (customer, p) in zip(created, wanted, strict=True)], now
    )
    return len(created)


ObligationKey = tuple[str, datetime, datetime, int, tuple[str, ...], str]


async def _logged_channels(
    session: AsyncSession, customer_ids: list[str], since: datetime
) -> dict[str, list[tuple[datetime, str]]]:
    query = select(Communication.customer_id, Communication.happened_at, Communication.channel).where(
        Communication.customer_id.in_(set(customer_ids)), Communication.happened_at >= since
    )
    found: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for customer_id, at, channel in (await session.execute(query)).all():
        found[customer_id].append((at, channel))
    return found


async def count_contact(session: AsyncSession, customer_id: str, channel: str, at: datetime) -> list[Obligation]:
    """R-11: a logged contact inside an open obligation's window counts towards it; the ones now met."""
    query = (
        select(Obligation)
        .where(
            Obligation.customer_id == customer_id,
            Obligation.status == "open",
            Obligation.window_start <= at,
            Obligation.window_end > at,
        )
        .with_for_update()
    )
    met = []
    now = clock.now(session)
    for ob in await session.scalars(query):
        ob.channels = [*ob.channels, channel]
        if rules.fulfilled(ob.contacts, ob.kinds, ob.channels):
            ob.status, ob.met_at, ob.due_at = "met", now, None
            metrics.OBLIGATIONS.labels(ob.rule, "met").inc()
            met.append(ob)
    await plans.finish_for_obligations(session, [ob.id for ob in met], "done", now)
    return met


async def close_missed(session: AsyncSession, due: Sequence[Obligation], now: datetime) -> None:
    """Windows that ended without the contacts they required: missed, announced; the plan was not done."""
    ids = [ob.id for ob in due]
    await session.execute(
        update(Obligation).where(Obligation.id.in_(ids)).values(status="missed", due_at=None, closed_at=now),
        execution_options=BULK,
    )
    for ob in due:
        for name, value in (("status", "missed"), ("due_at", None), ("closed_at", now)):
            set_committed_value(ob, name, value)
        metrics.OBLIGATIONS.labels(ob.rule, "missed").inc()
    await plans.finish_for_obligations(session, [ob.id for ob in due], "not_done", now)
    await record_events(
        session,
        [
            (
                ObligationMissedV1(
                    obligation_id=ob.id,
                    customer_id=ob.customer_id,
                    rule=ob.rule,
                    window_start=ob.window_start,
                    window_end=ob.window_end,
                    kinds_required=list(ob.kinds),
                    owner=ob.owner,
                    team=ob.team,
                ),
                ob.id,
                1,
            )
            for ob in due
        ],
    )


async def move_owner(session: AsyncSession, customer_id: str, owner: str | None, team: str | None) -> None:
    await session.execute(
        update(Obligation)
        .where(Obligation.customer_id == customer_id, Obligation.status == "open")
        .values(owner=owner, team=team)
    )


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    """Merge: what the merged customer met or missed counts for the survivor; its open windows end (the survivor
    has its own)."""
    now = clock.now(session)
    await session.execute(
        update(Obligation)
        .where(Obligation.customer_id == merged_id, Obligation.status == "open")
        .values(status="cancelled", due_at=None, closed_at=now)
    )
    await session.execute(update(Obligation).where(Obligation.customer_id == merged_id).values(customer_id=survivor_id))
