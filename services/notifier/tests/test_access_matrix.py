"""R-09 BOLA matrix: every by-id route of the notifier, for the owner, a teammate, another team, a teamless agent,
a supervisor and a manager (servicekit.access_matrix): a customer's message goes with the customer's owner and
team in the notifier's read model; a staff member's inbox item is theirs alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from servicekit.access_matrix import OWNER, TEAM, Probe, assert_covers, run_matrix
from servicekit.testing import app_service, bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

AT = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


async def customer_message() -> tuple[str, Any]:
    from notifier.delivery.models import Message
    from notifier.recipients.models import Recipient

    customer_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with app_service("notifier").db.session() as session:
        session.add(Recipient(customer_id=customer_id, version=1, contacts_version=0, owner=OWNER, team=TEAM))
        session.add(
            Message(
                id=message_id,
                idempotency_key=f"matrix-{message_id}",
                channel="email",
                purpose="service",
                template="case_acknowledged",
                customer_id=customer_id,
                status="sent",
                requested_at=AT,
                due_at=AT,
                attempts=1,
            )
        )
    return f"/messages/{message_id}", None


async def inbox_item() -> tuple[str, Any]:
    from notifier.staff_inbox.models import InboxItem

    async with app_service("notifier").db.session() as session:
        item = InboxItem(staff=OWNER, notification_id=str(uuid.uuid4()), purpose="service", text="x", created_at=AT)
        session.add(item)
        await session.flush()
        return f"/inbox/{item.id}/read", None


PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/messages/{message_id}"): Probe(customer_message),
    ("POST", "/inbox/{item_id}/read"): Probe(inbox_item, allowed=frozenset({"owner"})),  # one's own inbox only
}
EXEMPT = {
    ("GET", "/templates/{name}"): "message templates: shared configuration, no account data",
    ("PUT", "/templates/{name}/{language}"): "message templates: role-gated configuration",
    ("POST", "/templates/{name}/preview"): "message templates: renders the caller's own parameters",
    ("GET", "/unsubscribe/{token}"): "the customer's signed unsubscribe link: the token is the capability",
    ("POST", "/unsubscribe/{token}"): "the customer's signed unsubscribe link: the token is the capability",
}


def test_every_by_id_route_is_in_the_matrix() -> None:
    assert_covers(app_service("notifier").app, PROBES, EXEMPT)


async def test_bola_matrix_r09(client) -> None:
    await run_matrix(client, PROBES, bearer, service="notifier")
