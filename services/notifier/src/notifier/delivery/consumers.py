"""Request handlers: the explicit command (notification.requested.v1) and the domain events the trigger mapping
names (R-41). The kit's consumer gives inbox + ack after commit; a `Rejected` request is dead-lettered with its
reason, never retried."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.events.notification import NotificationRequestedV1
from contracts.events.notification import Recipient as RecipientRef
from notifier.delivery import metrics, service
from notifier.delivery.rules import oldest_window_start
from notifier.delivery.triggers import triggers
from notifier.recipients import service as recipients
from notifier.settings import notifier_settings
from servicekit.clock import now

log = logging.getLogger("notifier.consumers")


async def _accept(session: AsyncSession, request: service.Request) -> None:
    try:
        await service.accept(session, request, settings=notifier_settings(), now=now(session))
    except service.Rejected as exc:
        metrics.REJECTED_REQUESTS.labels(exc.reason).inc()
        raise


async def prepare_requests(session: AsyncSession, envelopes: list[Envelope]) -> None:
    """The batch consumer's hook: one lookup per kind for the whole batch (service.prefetch_batch)."""
    keys, customers = [], []
    for envelope in envelopes:
        data = envelope.data
        keys.append(str(data.get("idempotency_key")))
        if isinstance(data.get("recipient"), dict) and data["recipient"].get("customer_id"):
            customers.append(str(data["recipient"]["customer_id"]))
    caps = notifier_settings().frequency_caps
    since = oldest_window_start(now(session), caps)
    await service.prefetch_batch(session, keys=keys, customer_ids=customers, since=since)


async def on_request(session: AsyncSession, envelope: Envelope) -> None:
    try:
        event = envelope.payload()
    except ValidationError:
        metrics.REJECTED_REQUESTS.labels("invalid_request").inc()
        raise
    assert isinstance(event, NotificationRequestedV1)
    await _accept(
        session,
        service.Request(
            idempotency_key=event.idempotency_key,
            recipient=event.recipient,
            purpose=event.purpose,
            template=event.template,
            parameters=event.parameters,
            requested_at=envelope.occurred_at,
            channels=[str(c) for c in event.channels] if event.channels else None,
        ),
    )


async def on_domain_event(session: AsyncSession, envelope: Envelope) -> None:
    trigger = triggers().get(envelope.type)
    if trigger is None:
        return
    event = envelope.payload()
    data = event.model_dump(mode="json")
    if trigger.audience == "customer":
        targets = [RecipientRef(customer_id=data["customer_id"])]
    elif trigger.audience == "owner":
        targets = [RecipientRef(staff=data["owner"])] if data.get("owner") else []
    else:
        # "to the supervisor" means the owner's own supervisor when the staff directory names one
        supervisor = await recipients.supervisor_of(session, data.get("owner"))
        targets = [
            RecipientRef(staff=supervisor if role == "supervisor" and supervisor else f"role:{role}")
            for role in data.get("to_roles") or []
        ]
    for target in targets:
        await _accept(
            session,
            service.Request(
                idempotency_key=f"{envelope.type}:{envelope.id}:{target.customer_id or target.staff}",
                recipient=target,
                purpose=trigger.purpose,
                template=trigger.template,
                parameters=data,
                requested_at=envelope.occurred_at,
                channels=[str(c) for c in trigger.channels] if trigger.channels else None,
                about_open_case=trigger.open_case,
            ),
        )
