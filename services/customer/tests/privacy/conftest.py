"""Fixtures for the personal-data tests (R-09, R-42): customers with contacts written through the models,
so these tests do not depend on the shape of the contact API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from servicekit.db import utcnow
from servicekit.pii import blind_index
from servicekit.testing import migrate, running
from servicekit.testing import outbox_events as recorded_events

# customer.app is imported inside the fixtures: this conftest loads before the test plugin points
# CRM_CUSTOMER_DATABASE_URL at the run's own database, and the app reads its settings on import

PHONE = "+8613812345678"
EMAIL = "zhang.san@example.com"
BIRTHDAY = "1987-06-15"


@dataclass
class Person:
    customer_id: str
    contact_id: str
    number: str
    phone: str = PHONE
    email: str = EMAIL
    birthday: str = BIRTHDAY


@pytest.fixture(scope="session", autouse=True)
def schema() -> None:
    migrate("customer")


@pytest.fixture
async def client():
    from customer.app import service

    async with running(service.app) as client:
        yield client


async def add_customer(
    db=None, *, team: str | None = "east", owner: str | None = "alice", phone: str = PHONE, email: str = EMAIL
) -> Person:
    """A customer with one contact holding a phone, an email and a birthday."""
    from customer.app import service
    from customer.models import Contact, ContactPoint, Customer

    db = db or service.db
    now = utcnow()
    customer_id, contact_id = str(uuid.uuid4()), str(uuid.uuid4())
    number = f"KH-T-{uuid.uuid4().hex[:8]}"
    async with db.session() as session:
        session.add(
            Customer(
                id=customer_id, number=number, name="杭州西湖科技有限公司", search_name="杭州西湖科技有限公司",
                address="西湖区文三路 1 号", key_needs="张三 wants weekly calls", customer_type="strategic",
                stage="cooperation", tier="high", service_level="vip", owner=owner, team=team,
                orders_12m=7, version=1, created_at=now, updated_at=now, created_by="test",
            )
        )
        await session.flush()
        session.add(Contact(id=contact_id, customer_id=customer_id, name="张三", position="采购经理", birthday=BIRTHDAY,
                            primary=True, created_at=now, updated_at=now))
        await session.flush()
        for position, (kind, value) in enumerate((("phone", phone), ("email", email))):
            session.add(ContactPoint(id=str(uuid.uuid4()), contact_id=contact_id, customer_id=customer_id, kind=kind,
                                     value=value, value_index=blind_index(value), label="work", position=position))
    return Person(customer_id, contact_id, number, phone, email)


@pytest.fixture
def new_customer():
    return add_customer


@pytest.fixture
async def person() -> Person:
    return await add_customer()


@pytest.fixture
def outbox_events():
    return events_for


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    from customer.app import service

    return await recorded_events(service, customer_id, event_type)
