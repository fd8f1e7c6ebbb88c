"""Request -> message rows (R-40 .. R-43): validate, resolve the recipient, apply consent and restraint,
render once, and write one due row per channel. Outcomes decided here (suppressed) are emitted in the same
transaction; the dispatcher sends the rest. Also the message history staff read, and what an erasure or a
merge does to it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events.notification import (
    NotificationFailedV1,
    NotificationSentV1,
    NotificationSuppressedV1,
)
from contracts.events.notification import (
    Recipient as RecipientRef,
)
from notifier.consent import service as consent
from notifier.consent.rules import NEEDS_CONSENT
from notifier.delivery.metrics import WAITING_REQUESTS, count_after_commit
from notifier.delivery.models import Message, WaitingRequest
from notifier.delivery.rules import COUNTED, Decision, decide, suppression
from notifier.recipients import service as recipients
from notifier.recipients.models import Recipient, RecipientContact
from notifier.recipients.rules import Address, choose, staff_address
from notifier.settings import NotifierSettings
from notifier.templates import service as templates
from notifier.templates.rules import MissingParameter, TemplateError, UnknownTemplate
from servicekit import access
from servicekit.broker import PermanentError
from servicekit.db import after_commit
from servicekit.due import claim_due
from servicekit.outbox import record_events


class Rejected(PermanentError):
    """The request can never be sent (unknown template or purpose, a bad request): dead-lettered with `reason`.
    A customer not known yet is not one of these: its request waits (`accept`)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class Request:
    idempotency_key: str
    recipient: RecipientRef
    purpose: str
    template: str
    requested_at: datetime
    parameters: dict[str, Any] = field(default_factory=dict)
    channels: list[str] | None = None
    about_open_case: bool = False


def outcome_event(message: Message, status: str, at: datetime, **extra: Any) -> tuple[Any, str, int]:
    """The notification.* event for a finished message, as (event, aggregate id, version) for record_events."""
    common = dict(
        notification_id=message.id,
        idempotency_key=message.idempotency_key,
        recipient=RecipientRef(customer_id=message.customer_id, contact_id=message.contact_id, staff=message.staff),
        purpose=message.purpose,
        template=message.template,
        channel=message.channel,
    )
    if status == "sent":
        event = NotificationSentV1(**common, sent_at=at, provider_message_id=extra.get("provider_message_id"))
    elif status == "failed":
        event = NotificationFailedV1(**common, reason=extra["reason"], failed_at=at)
    else:
        event = NotificationSuppressedV1(**common, reason=extra["reason"], suppressed_at=at)
    return event, message.id, 1


# -- per-batch look-ups ------------------------------------------------------------------------------------
# One query per kind for a whole batch of requests (known keys, recipients and contacts, consents, recent
# messages for the cap) instead of several per request. The cache lives in the batch's session and is kept
# current as the batch writes (keys seen, cap counts).

_BATCH_KEY = "notifier_batch"


@dataclass
class BatchCache:
    keys: set[str] = field(default_factory=set)
    recipients: dict[str, tuple[Recipient, list[RecipientContact]]] = field(default_factory=dict)
    consents: dict[tuple[str, str, str], dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    recent: dict[tuple[str, str], list[datetime]] = field(default_factory=lambda: defaultdict(list))


def batch_cache(session: AsyncSession) -> BatchCache | None:
    return session.info.get(_BATCH_KEY)


async def prefetch_batch(
    session: AsyncSession, *, keys: Sequence[str], customer_ids: Sequence[str], since: datetime | None
) -> BatchCache:
    """Load everything the batch's requests will look up; `since`: the oldest cap window start (None = no cap)."""
    found = BatchCache()
    if keys:
        found.keys.update(
            await session.scalars(select(Message.idempotency_key).where(Message.idempotency_key.in_(set(keys))))
        )
    ids = set(customer_ids)
    if ids:
        found.recipients = await recipients.get_many(session, ids)
        found.consents = await consent.granted_for_customers(session, ids)
        if since is not None:
            rows = await session.execute(
                select(Message.customer_id, Message.purpose, func.min(Message.due_at))
                .where(Message.customer_id.in_(ids), Message.status.in_(COUNTED), Message.due_at > since)
                .group_by(Message.customer_id, Message.purpose, Message.idempotency_key)
            )
            for customer_id, purpose, due_at in rows:
                found.recent[(customer_id, purpose)].append(due_at)
    session.info[_BATCH_KEY] = found
    return found


# -- accepting a request -----------------------------------------------------------------------------------


async def _recent(session: AsyncSession, customer_id: str, purpose: str, since: datetime) -> list[datetime]:
    """One time per earlier request (all its channels count once) for the frequency cap."""
    rows = await session.scalars(
        select(func.min(Message.due_at))
        .where(
            Message.customer_id == customer_id,
            Message.purpose == purpose,
            Message.status.in_(COUNTED),
            Message.due_at > since,
        )
        .group_by(Message.idempotency_key)
    )
    return list(rows)


async def accept(
    session: AsyncSession,
    request: Request,
    *,
    settings: NotifierSettings,
    now: datetime | None = None,
    wait_for_customer: bool = True,
) -> list[Message]:
    """Write the request's message rows; a key seen before writes nothing (R-43 no duplicates).
    `now` (the injected clock) drives consent and restraint; requested_at is when the request was made.
    A customer not known yet is expected (its events may still be on the way): the request waits
    (`WaitingRequest`) instead of failing; with `wait_for_customer=False` it is suppressed as customer_not_known."""
    now = now or request.requested_at
    cached = batch_cache(session)
    if await _seen(session, cached, request.idempotency_key):
        return []
    if not await templates.template_exists(session, request.template):
        raise Rejected("unknown_template", f"template {request.template!r} does not exist")
    channels = list(request.channels or await templates.default_channels(session, request.template))
    target = request.recipient
    decision = Decision("send", now)
    granted: dict[str, bool] = {}
    if target.customer_id is not None:
        if cached is not None:
            known = cached.recipients.get(target.customer_id)
            addresses = choose(*known, target.contact_id, channels) if known else None
        else:
            addresses = await recipients.customer_addresses(session, target.customer_id, target.contact_id, channels)
        if addresses is None and wait_for_customer:
            await _wait(session, request, now, settings)
            if cached is not None:
                cached.keys.add(request.idempotency_key)
            return []
        if addresses is None:  # waited long enough: recorded with its reason, never dead-lettered
            addresses = {channel: Address(None, None, None, None) for channel in channels}
            decision = Decision("drop", now, CUSTOMER_NOT_KNOWN)
        else:
            contact_id = next(iter(addresses.values())).contact_id if addresses else target.contact_id
            cap = settings.frequency_caps.get(request.purpose)
            since = now - timedelta(days=cap[1]) if cap else now
            if cached is not None:
                granted = dict(cached.consents.get((target.customer_id, contact_id or "", request.purpose), {}))
                recent = [at for at in cached.recent.get((target.customer_id, request.purpose), []) if at > since]
            else:
                granted = await consent.granted_by_channel(session, target.customer_id, contact_id, request.purpose)
                recent = await _recent(session, target.customer_id, request.purpose, since) if cap else []
            first = next(iter(addresses.values()), None)
            decision = decide(
                now,
                purpose=request.purpose,
                time_zone=first.time_zone if first else None,
                recent=recent,
                quiet_start=settings.quiet_start,
                quiet_end=settings.quiet_end,
                default_zone=settings.default_time_zone,
                caps=settings.frequency_caps,
                cap_policy=settings.frequency_cap_policy,
                open_case_exempt=settings.quiet_hours_exempt_open_case,
                about_open_case=request.about_open_case,
            )
    else:
        # a person's addresses come from the staff directory's events; teams and roles (and anyone the directory
        # never mentioned) from CRM_NOTIFIER_STAFF_CONTACTS
        known = await recipients.staff_contacts(session, target.staff)
        contacts = {target.staff: known} if known is not None else settings.staff_contacts
        addresses = {
            channel: Address(None, staff_address(contacts, target.staff, channel), None, None) for channel in channels
        }

    messages: list[Message] = []
    suppressed: list[tuple[Message, str]] = []
    for channel in channels:
        address = addresses[channel]
        message = Message(
            id=str(uuid.uuid4()),
            idempotency_key=request.idempotency_key,
            channel=channel,
            purpose=request.purpose,
            template=request.template,
            customer_id=target.customer_id,
            contact_id=address.contact_id,
            staff=target.staff,
            address=address.address,
            requested_at=request.requested_at,
            due_at=decision.due_at,
            attempts=0,
            status="deferred" if decision.outcome == "defer" else "pending",
            reason=decision.reason,
        )
        reason = suppression(
            purpose=request.purpose,
            channel=channel,
            to_customer=target.customer_id is not None,
            address=address,
            granted=granted.get(channel),
            decision=decision,
        )
        if reason is None:
            parameters = dict(request.parameters)
            if target.customer_id is not None and request.purpose in NEEDS_CONSENT:
                message.unsubscribe_url = consent.unsubscribe_link(
                    target.customer_id, address.contact_id or "", channel, request.purpose
                )
                parameters["unsubscribe_url"] = message.unsubscribe_url
            try:
                rendered = await templates.render(
                    session,
                    template=request.template,
                    purpose=request.purpose,
                    language=address.language,
                    channel=channel,
                    parameters=parameters,
                )
            except MissingParameter as exc:
                raise Rejected("missing_parameter", str(exc)) from None
            except UnknownTemplate as exc:
                raise Rejected("unknown_template", str(exc)) from None
            except TemplateError as exc:
                raise Rejected("wrong_purpose" if exc.field == "purpose" else "invalid_request", str(exc)) from None
            message.subject, message.body, message.html = rendered.subject, rendered.text, rendered.html
            message.template_version = rendered.template_version
        else:
            message.status, message.reason, message.finished_at = "suppressed", reason, now
            message.address = None
            suppressed.append((message, reason))
        messages.append(message)
    # nothing is written before this point: a Rejected request leaves no trace in a shared batch transaction
    session.add_all(messages)
    for message in messages:
        if message.status in ("suppressed", "deferred"):
            count_after_commit(session, message.channel, message.purpose, message.status)
    if cached is not None:
        cached.keys.add(request.idempotency_key)
        if target.customer_id is not None and any(m.status != "suppressed" for m in messages):
            cached.recent[(target.customer_id, request.purpose)].append(decision.due_at)
    else:
        await session.flush()
    await record_events(session, [outcome_event(m, "suppressed", now, reason=r) for m, r in suppressed])
    return messages


# -- requests waiting for their customer (expected, not poison) ---------------------------------------------

CUSTOMER_NOT_KNOWN = "customer_not_known"
_REQUEST_JSON = TypeAdapter(Request)


async def _wait(session: AsyncSession, request: Request, now: datetime, settings: NotifierSettings) -> None:
    """Park the request until the customer's contacts arrive (or `customer_wait_hours` pass); a repeat is a no-op."""
    assert request.recipient.customer_id is not None
    if await session.get(WaitingRequest, request.idempotency_key) is not None:
        return
    session.add(
        WaitingRequest(
            idempotency_key=request.idempotency_key,
            customer_id=request.recipient.customer_id,
            request=_REQUEST_JSON.dump_json(request).decode(),
            parked_at=now,
            expires_at=now + timedelta(hours=settings.customer_wait_hours),
        )
    )
    after_commit(session, WAITING_REQUESTS.labels(request.purpose).inc)


async def resume_waiting(session: AsyncSession, customer_id: str, *, settings: NotifierSettings, now: datetime) -> int:
    """The customer is known now: its waiting requests go through `accept` as if they had just arrived."""
    rows = (
        await session.scalars(select(WaitingRequest).where(WaitingRequest.customer_id == customer_id).with_for_update())
    ).all()
    for row in rows:
        await _release(session, row, settings=settings, now=now, wait_for_customer=True)
    return len(rows)


async def close_expired_waits(session: AsyncSession, *, settings: NotifierSettings, now: datetime, limit: int) -> int:
    """Requests that waited `customer_wait_hours` in vain: sent if the customer came without contacts news,
    else recorded as suppressed (customer_not_known) with their outcome events. Claimed with SKIP LOCKED."""
    due = select(WaitingRequest).where(WaitingRequest.expires_at <= now).order_by(WaitingRequest.expires_at)
    rows = (await claim_due(session, due, limit=limit)).scalars().all()
    for row in rows:
        await _release(session, row, settings=settings, now=now, wait_for_customer=False)
    return len(rows)


async def _release(
    session: AsyncSession, row: WaitingRequest, *, settings: NotifierSettings, now: datetime, wait_for_customer: bool
) -> None:
    """The waiting request goes through `accept` as if it had just arrived (its key is free again first)."""
    await session.delete(row)
    await session.flush()
    request = _REQUEST_JSON.validate_json(row.request)
    await accept(session, request, settings=settings, now=now, wait_for_customer=wait_for_customer)


async def _seen(session: AsyncSession, cached: BatchCache | None, key: str) -> bool:
    if cached is not None:
        return key in cached.keys
    return await session.scalar(select(Message.id).where(Message.idempotency_key == key).limit(1)) is not None


# -- the history staff read and the customer's lifecycle (R-09) --------------------------------------


async def get_history(
    session: AsyncSession, *, customer_id: str | None, staff: str | None, before: datetime | None, limit: int
) -> Sequence[Message]:
    """A customer's or a staff member's messages, newest first; `before`: requested_at of the last one seen."""
    query = select(Message).where(Message.customer_id == customer_id if customer_id else Message.staff == staff)
    if before is not None:
        query = query.where(Message.requested_at < before)
    return (await session.scalars(query.order_by(Message.requested_at.desc(), Message.id).limit(limit))).all()


async def get(session: AsyncSession, message_id: str) -> Message | None:
    return await session.get(Message, message_id)


async def may_read(session: AsyncSession, staff: access.Staff, message: Message) -> bool:
    """R-09: a customer's message is visible with its customer; a staff member's to them and the oversight roles."""
    if message.customer_id is not None:
        return await recipients.visible_to(session, staff, message.customer_id)
    return message.staff == staff.subject or access.has_any(staff, access.OVERSIGHT)


async def erase_customer(session: AsyncSession, customer_id: str) -> None:
    """R-09: the customer's messages keep only statistics (no address, no body)."""
    await session.execute(
        update(Message)
        .where(Message.customer_id == customer_id)
        .values(address=None, subject=None, body=None, html=None, unsubscribe_url=None, contact_id=None)
    )


async def merge_customer(session: AsyncSession, *, survivor_id: str, merged_id: str) -> None:
    """The merged customer's messages now belong to the survivor."""
    await session.execute(update(Message).where(Message.customer_id == merged_id).values(customer_id=survivor_id))
