"""The delivery loop (R-40): the due-row worker that claims message rows and sends them, and the backlog gauges.

A batch is claimed with the kit's due-row claim (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite)
and marked `sending` with a lease, so several replicas never hold the same row; a row whose lease ran out (the
process died mid-send) is claimed again and re-sent with the same idempotency key (at-least-once to the provider,
which deduplicates on it).
Care and marketing rows are re-checked for consent at claim time, so an unsubscribe works at once (R-42).
Outcomes are written per batch, each with its notification.* event in the same transaction (outbox).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from notifier.consent import service as consent
from notifier.delivery import metrics, service
from notifier.delivery.channels import Channel, Outgoing, Permanent, with_retries
from notifier.delivery.channels.email import EmailChannel
from notifier.delivery.channels.im import ImChannel
from notifier.delivery.channels.in_app import InAppChannel
from notifier.delivery.channels.sms import SmsChannel
from notifier.delivery.metrics import count_after_commit
from notifier.delivery.models import Message
from notifier.delivery.rules import WAITING, backoff
from notifier.delivery.service import outcome_event
from notifier.settings import NotifierSettings
from servicekit.clock import Clock
from servicekit.db import Database, after_commit
from servicekit.due import claim_due
from servicekit.outbox import record_events

log = logging.getLogger("notifier.dispatcher")


@dataclass(frozen=True)
class Result:
    message: Outgoing
    purpose: str
    requested_at: datetime
    attempts: int
    provider_id: str | None = None
    error: str | None = None
    permanent: bool = False


class Dispatcher:
    def __init__(
        self,
        db: Database,
        channels: dict[str, Channel] | Callable[[], dict[str, Channel]],
        settings: NotifierSettings,
        *,
        clock: Clock | Callable[[], datetime] | None = None,
    ) -> None:
        self.db = db
        # a factory is called on first use, inside the running event loop (HTTP clients bind to it)
        self._channels = channels
        self.settings = settings
        self.clock = clock or db.clock  # the service's clock unless a test fixes one
        self._limit = asyncio.Semaphore(settings.dispatcher_concurrency)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def channels(self) -> dict[str, Channel]:
        if callable(self._channels):
            self._channels = self._channels()
        return self._channels

    async def drain(self) -> int:
        """Passes until no full batch is due (the periodic job); returns how many rows were handled.
        Several workers overlap one batch's database work with another's sending; the due-row claim keeps their
        batches apart (on SQLite a claim waits until the one before it has marked its rows)."""
        workers = self.settings.dispatcher_workers
        return sum(await asyncio.gather(*(self._drain() for _ in range(workers))))

    async def _drain(self) -> int:
        handled = 0
        while (claimed := await self.run_once()) > 0:
            handled += claimed
            if claimed < self.settings.dispatcher_batch_size:
                break
        return handled

    # -- lifecycle -------------------------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="notifier-dispatcher")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if not callable(self._channels):
            for channel in self._channels.values():
                await channel.close()

    async def run(self) -> None:
        while True:
            try:
                handled = await self.run_once()
            except Exception as exc:  # the database may be away: keep the rows, try again
                log.warning("dispatcher pass failed", extra={"error": repr(exc)[:300]})
                handled = 0
            if handled < self.settings.dispatcher_batch_size:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.dispatcher_interval_seconds)
                except TimeoutError:
                    pass
                self._wake.clear()

    # -- one pass --------------------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim one batch, send it, record the outcomes; returns how many rows were claimed."""
        now = self.clock()
        claimed, total = await self._claim(now)
        if claimed:
            await self._record(list(await asyncio.gather(*(self._send(item) for item in claimed))))
        return total

    async def _claim(self, now: datetime) -> tuple[list[tuple[Outgoing, str, datetime, int]], int]:
        """(rows to send, rows claimed); rows suppressed at claim time are finished here."""
        s = self.settings
        async with self.db.session() as session:
            due = select(Message).where(
                or_(
                    and_(Message.status.in_(("pending", "deferred")), Message.due_at <= now),
                    and_(Message.status == "sending", Message.lease_until < now),
                )
            )
            claim = await claim_due(session, due.order_by(Message.due_at), limit=s.dispatcher_batch_size)
            rows = claim.scalars().all()
            if not rows:
                return [], 0
            withdrawn = await consent.lacking_consent(session, rows)
            claimed, suppressed = [], []
            for row in rows:
                # erased meanwhile (no address left), or consent withdrawn since the request
                reason = "erased" if row.address is None else "consent_withdrawn" if row.id in withdrawn else None
                if reason is not None:
                    row.status, row.reason, row.finished_at, row.address = "suppressed", reason, now, None
                    suppressed.append(row)
                    count_after_commit(session, row.channel, row.purpose, "suppressed")
                    continue
                row.status, row.lease_until, row.attempts = (
                    "sending",
                    now + timedelta(seconds=s.lease_seconds),
                    row.attempts + 1,
                )
                claimed.append((_outgoing(row), row.purpose, row.requested_at, row.attempts))
            await record_events(session, [outcome_event(r, "suppressed", now, reason=r.reason) for r in suppressed])
        return claimed, len(rows)

    async def _send(self, item: tuple[Outgoing, str, datetime, int]) -> Result:
        message, purpose, requested_at, attempts = item
        channel = self.channels.get(message.channel)
        async with self._limit:
            try:
                if channel is None:
                    raise Permanent(f"channel {message.channel} is not configured")
                provider_id = await with_retries(self.settings.in_call_retries, lambda: channel.send(message))
            except Permanent as exc:
                return Result(message, purpose, requested_at, attempts, error=str(exc), permanent=True)
            except Exception as exc:  # Transient, or anything unexpected: the row waits and is tried again
                return Result(message, purpose, requested_at, attempts, error=str(exc) or type(exc).__name__)
        return Result(message, purpose, requested_at, attempts, provider_id=provider_id)

    async def _record(self, results: list[Result]) -> None:
        s = self.settings
        now = self.clock()
        updates: list[dict[str, Any]] = []
        events = []
        async with self.db.session() as session:
            for r in results:
                m = r.message
                if r.error is None:
                    updates.append(
                        {
                            "id": m.id,
                            "status": "sent",
                            "finished_at": now,
                            "lease_until": None,
                            "provider_message_id": r.provider_id,
                            "reason": None,
                        }
                    )
                    events.append(("sent", m, {"provider_message_id": r.provider_id}))
                    latency = max(0.0, (now - r.requested_at).total_seconds())
                    after_commit(
                        session, lambda ch=m.channel, v=latency: metrics.DELIVERY_LATENCY.labels(ch).observe(v)
                    )
                    count_after_commit(session, m.channel, r.purpose, "sent")
                elif r.permanent or r.attempts >= s.max_attempts:
                    updates.append(
                        {
                            "id": m.id,
                            "status": "failed",
                            "finished_at": now,
                            "lease_until": None,
                            "reason": r.error[:300],
                        }
                    )
                    events.append(("failed", m, {"reason": r.error[:300]}))
                    count_after_commit(session, m.channel, r.purpose, "failed")
                else:
                    due = now + backoff(r.attempts, s.backoff_base_seconds, s.backoff_max_seconds)
                    updates.append(
                        {"id": m.id, "status": "deferred", "due_at": due, "lease_until": None, "reason": r.error[:300]}
                    )
                    count_after_commit(session, m.channel, r.purpose, "retried")
                    log.info(
                        "delivery will be retried",
                        extra={"message_id": m.id, "channel": m.channel, "attempt": r.attempts, "error": r.error[:200]},
                    )
            # one statement per shape of row (bulk UPDATE by primary key)
            for keys in {tuple(sorted(u)) for u in updates}:
                await session.execute(update(Message), [u for u in updates if tuple(sorted(u)) == keys])
            rows = (
                {
                    row.id: row
                    for row in (
                        await session.scalars(select(Message).where(Message.id.in_([m.id for _, m, _ in events])))
                    ).all()
                }
                if events
                else {}
            )
            await record_events(session, [outcome_event(rows[m.id], kind, now, **extra) for kind, m, extra in events])


def _outgoing(row: Message) -> Outgoing:
    return Outgoing(
        id=row.id,
        idempotency_key=row.idempotency_key,
        channel=row.channel,
        purpose=row.purpose,
        address=row.address or "",
        subject=row.subject,
        text=row.body or "",
        html=row.html,
        unsubscribe_url=row.unsubscribe_url,
        staff=row.staff,
    )


async def refresh_gauges(db: Database, *, now: datetime | None = None) -> None:
    """Deferred backlog size and the oldest waiting message's age past its due time (a job, not per send)."""
    now = now or db.clock()
    async with db.session() as session:
        count, oldest = (
            await session.execute(
                select(func.count(), func.min(Message.due_at)).where(Message.status.in_(WAITING), Message.due_at <= now)
            )
        ).one()
        deferred = await session.scalar(select(func.count()).select_from(Message).where(Message.status == "deferred"))
    metrics.BACKLOG.set(max(count or 0, deferred or 0))
    metrics.BACKLOG_OLDEST.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0)


async def close_expired_waits(db: Database, settings: NotifierSettings, *, now: datetime | None = None) -> int:
    """Requests that waited for their customer in vain end as suppressed messages (customer_not_known)."""
    closed = 0
    while True:
        async with db.session() as session:
            batch = await service.close_expired_waits(
                session, settings=settings, now=now or db.clock(), limit=settings.dispatcher_batch_size
            )
        closed += batch
        if batch < settings.dispatcher_batch_size:
            return closed


def build_channels(db: Database, settings: NotifierSettings) -> dict[str, Channel]:
    return {
        "email": EmailChannel(settings),
        "sms": SmsChannel(settings),
        "im": ImChannel(settings),
        "in_app": InAppChannel(db),
    }


def build_dispatcher(db: Database, settings: NotifierSettings) -> Dispatcher:
    return Dispatcher(db, lambda: build_channels(db, settings), settings, clock=db.clock)
