"""Invitations: one per case however often the event comes, a contact not surveyed twice within the window
(skipped with the reason), one reminder with the same link, expiry (R-33)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from survey_helpers import close_case, deliver, events, invitation_of_case, link_of, service

from contracts.events.cases import CaseClosedV1
from servicekit.testing import customer_registered, outbox_events
from surveys.invitations import scheduled
from surveys.invitations.models import Invitation

pytestmark = [pytest.mark.integration]


async def test_a_redelivered_or_repeated_close_invites_once(clock, new_id):
    customer_id = new_id()
    case_id = await close_case(customer_id, clock())
    invitation = await invitation_of_case(case_id)
    again = CaseClosedV1(
        case_id=case_id, number=invitation.case_number, customer_id=customer_id, outcome="resolved", closed_at=clock()
    )
    await deliver(again, case_id, 9)
    async with service().db.session() as session:
        rows = (await session.scalars(select(Invitation).where(Invitation.case_id == case_id))).all()
    assert len(rows) == 1
    [request] = await outbox_events(service(), invitation.id, "notification.requested.v1")
    assert request["data"]["purpose"] == "service" and request["data"]["template"] == "survey_invitation"
    assert request["data"]["recipient"] == {"customer_id": customer_id, "contact_id": None, "staff": None}
    assert request["data"]["parameters"]["number"] == invitation.case_number


async def test_the_same_contact_is_not_surveyed_twice_within_the_window(clock, new_id):
    customer_id = new_id()
    first = await invitation_of_case(await close_case(customer_id, clock()))
    clock.set(clock() + timedelta(days=29))
    second = await invitation_of_case(await close_case(customer_id, clock()))
    assert (first.status, second.status, second.skip_reason) == ("sent", "skipped", "recently_surveyed")
    assert second.token_hash is None
    [skipped] = await events(second.id, "survey.invitation_skipped.v1")
    assert skipped["reason"] == "recently_surveyed"
    assert await outbox_events(service(), second.id, "notification.requested.v1") == []
    clock.set(clock() + timedelta(days=2))  # 31 days after the first
    third = await invitation_of_case(await close_case(customer_id, clock()))
    assert third.status == "sent"


async def test_an_erased_customer_is_not_invited(clock, new_id):
    customer_id = new_id()
    await deliver(customer_registered(customer_id), customer_id, 1, producer="customer")
    from contracts.events.customer import CustomerErasedV1

    await deliver(CustomerErasedV1(customer_id=customer_id, erased_at=clock()), customer_id, 2, producer="customer")
    invitation = await invitation_of_case(await close_case(customer_id, clock()))
    assert (invitation.status, invitation.skip_reason) == ("skipped", "erased")


async def test_an_inquiry_is_not_evaluated(clock, new_id):
    assert await invitation_of_case(await close_case(new_id(), clock(), kind="inquiry")) is None


async def test_one_reminder_with_the_same_link_then_expiry(clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    await scheduled.remind_and_expire(service().db, now=clock() + timedelta(days=3))
    await scheduled.remind_and_expire(service().db, now=clock() + timedelta(days=4))
    requests = await outbox_events(service(), invitation.id, "notification.requested.v1")
    assert [r["data"]["idempotency_key"].rsplit(":", 1)[1] for r in requests] == ["invitation", "reminder"]
    assert requests[1]["data"]["parameters"]["survey_url"].endswith(link)
    await scheduled.remind_and_expire(service().db, now=invitation.expires_at)
    [expired] = await events(invitation.id, "survey.invitation_expired.v1")
    assert expired["answered"] is False


async def test_an_answered_invitation_gets_no_reminder(client, clock, new_id):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    form = {"attitude": "satisfied", "skill": "satisfied", "response_time": "satisfied", "promises": "satisfied"}
    assert (await client.post(await link_of(invitation.id), data=form)).status_code == 200
    await scheduled.remind_and_expire(service().db, now=clock() + timedelta(days=3))
    assert len(await outbox_events(service(), invitation.id, "notification.requested.v1")) == 1
