"""Test helpers: deliver customer and case events to the surveys consumers, and read an invitation's link."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from contracts import Envelope
from contracts.envelope import Event
from contracts.events.cases import CaseClosedV1, CaseReceivedV1
from servicekit.testing import app_service, outbox_events


def service() -> Any:
    return app_service("surveys")


async def deliver(event: Event, aggregate_id: str, version: int, *, producer: str = "complaints") -> None:
    from surveys.cases import consumers as cases
    from surveys.customers import consumers as customers

    envelope = Envelope.wrap(event, producer=producer, aggregate_id=aggregate_id, aggregate_version=version)
    handler = customers.on_customer_event if event.event_type.startswith("customer.") else cases.on_case_event
    async with service().db.session() as session:
        await handler(session, envelope)


async def close_case(
    customer_id: str, at: datetime, *, owner: str | None = "olga", team: str | None = "east", kind: str = "complaint"
) -> str:
    """A case received by `owner` and closed: the surveys service invites the customer (R-33)."""
    case_id = str(uuid.uuid4())
    number = f"TS-2026-{uuid.uuid4().int % 1_000_000:06d}"
    common = {"case_id": case_id, "number": number, "customer_id": customer_id}
    received = CaseReceivedV1(
        **common,
        kind=kind,
        channel="hotline",
        severity="normal",
        cause_category=None,
        department="customer_service",
        owner=owner,
        team=team,
        received_at=at,
    )
    await deliver(received, case_id, 1)
    await deliver(CaseClosedV1(**common, outcome="resolved", closed_at=at), case_id, 5)
    return case_id


async def invitation_of_case(case_id: str) -> Any:
    from surveys.invitations.models import Invitation

    async with service().db.session() as session:
        return (await session.scalars(select(Invitation).where(Invitation.case_id == case_id))).one_or_none()


async def link_of(invitation_id: str) -> str:
    """The path of the survey link the notifier was asked to send."""
    [request] = await outbox_events(service(), invitation_id, "notification.requested.v1")
    url = request["data"]["parameters"]["survey_url"]
    return url[url.index("/s/") :]


async def events(invitation_id: str, event_type: str) -> list[dict[str, Any]]:
    return [e["data"] for e in await outbox_events(service(), invitation_id, event_type)]
