"""The recipient read model (R-09) from customer.* events: stale versions ignored (rule 5), a merge followed."""

from __future__ import annotations

import pytest
from delivery_helpers import add_customer

from notifier.app import service

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]


async def test_recipient_read_model_ignores_stale_versions_and_follows_a_merge(client) -> None:
    from contracts import Envelope
    from contracts.events.customer import ContactPoint, CustomerContactsChangedV1, CustomerMergedV1
    from notifier.recipients import consumers
    from notifier.recipients import service as recipients

    survivor, _ = await add_customer(email="survivor@example.com")
    merged, merged_contact = await add_customer(email="new@example.com", time_zone="Europe/Berlin")
    stale = CustomerContactsChangedV1(
        customer_id=merged,
        contacts=[ContactPoint(contact_id=merged_contact, name="x", email="old@example.com", primary=True)],
    )

    async def apply(event, aggregate_id: str, version: int) -> None:
        async with service.db.session() as session:
            await consumers.on_customer_event(
                session, Envelope.wrap(event, producer="customer", aggregate_id=aggregate_id, aggregate_version=version)
            )

    await apply(stale, merged, 1)  # older than the version 2 list: ignored (rule 5)
    async with service.db.session() as session:
        found = await recipients.customer_addresses(session, merged, None, ["email"])
    assert found["email"].address == "new@example.com" and found["email"].time_zone == "Europe/Berlin"

    await apply(CustomerMergedV1(survivor_id=survivor, merged_id=merged), merged, 5)
    async with service.db.session() as session:
        assert await recipients.customer_addresses(session, merged, None, ["email"]) is None
        moved = await recipients.customer_addresses(session, survivor, merged_contact, ["email"])
    assert moved["email"].address == "new@example.com"
