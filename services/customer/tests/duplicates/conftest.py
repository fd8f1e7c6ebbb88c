"""Customers written through the models with the phone, email and name a duplicate test needs."""

from __future__ import annotations

import uuid

import pytest

from servicekit.db import utcnow
from servicekit.pii import blind_index
from servicekit.testing import app_service


@pytest.fixture
def seed(customer_schema: None):
    return seed_customer


async def seed_customer(
    name: str, *, phone: str | None = None, email: str | None = None, team: str | None = "east"
) -> str:
    from customer.contacts.models import Contact, ContactPoint
    from customer.records.models import Customer
    from customer.search.rules import search_key

    now, customer_id, contact_id = utcnow(), str(uuid.uuid4()), str(uuid.uuid4())
    async with app_service("customer").db.session() as session:
        session.add(
            Customer(
                id=customer_id,
                number=f"KH-T-{uuid.uuid4().hex[:8]}",
                name=name,
                search_name=search_key(name),
                customer_type="potential",
                stage="contact",
                tier="low",
                service_level="normal",
                owner="alice",
                team=team,
                version=1,
                created_at=now,
                updated_at=now,
                created_by="test",
            )
        )
        await session.flush()
        session.add(
            Contact(id=contact_id, customer_id=customer_id, name="张三", primary=True, created_at=now, updated_at=now)
        )
        await session.flush()
        for position, (kind, value) in enumerate((("phone", phone), ("email", email))):
            if value:
                session.add(
                    ContactPoint(
                        id=str(uuid.uuid4()),
                        contact_id=contact_id,
                        customer_id=customer_id,
                        kind=kind,
                        value=value,
                        value_index=blind_index(value),
                        position=position,
                    )
                )
    return customer_id
