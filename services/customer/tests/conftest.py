"""Shared customer fixtures: the migrated schema (once per run), an HTTP client on the running app, and
customers with a contact written through the models (so tests do not depend on the contact API's shape)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from servicekit.db import utcnow
from servicekit.pii import blind_index
from servicekit.testing import app_service, migrate, service_client
from servicekit.testing import outbox_events as recorded_events

# the app is reached through app_service("customer") inside the fixtures: conftests load before the test plugin
# points CRM_CUSTOMER_DATABASE_URL at the run's own database, and the app reads its settings on import

PHONE = "+8613812345678"
EMAIL = "zhang.san@example.com"
BIRTHDAY = "1987-06-15"


@pytest.fixture(scope="session")
def customer_schema() -> None:
    migrate("customer")


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    async with service_client("customer") as client:
        yield client


@pytest.fixture(scope="module")  # one app start per module: start/stop is the slow, flaky part
async def module_client() -> AsyncIterator[Any]:
    async with service_client("customer") as client:
        yield client


@dataclass
class Person:
    customer_id: str
    contact_id: str
    number: str
    phone: str = PHONE
    email: str = EMAIL
    birthday: str = BIRTHDAY


async def add_customer(
    db=None, *, team: str | None = "east", owner: str | None = "alice", phone: str = PHONE, email: str = EMAIL
) -> Person:
    """A customer with one contact holding a phone, an email and a birthday."""
    from customer.contacts.models import Contact, ContactPoint
    from customer.records.models import Customer

    db = db or app_service("customer").db
    now = utcnow()
    customer_id, contact_id = str(uuid.uuid4()), str(uuid.uuid4())
    number = f"KH-T-{uuid.uuid4().hex[:8]}"
    async with db.session() as session:
        session.add(
            Customer(
                id=customer_id,
                number=number,
                name="杭州西湖科技有限公司",
                search_name="杭州西湖科技有限公司",
                address="西湖区文三路 1 号",
                key_needs="张三 wants weekly calls",
                customer_type="strategic",
                stage="cooperation",
                tier="high",
                service_level="vip",
                owner=owner,
                team=team,
                orders_12m=7,
                version=1,
                created_at=now,
                updated_at=now,
                created_by="test",
            )
        )
        await session.flush()
        session.add(
            Contact(
                id=contact_id,
                customer_id=customer_id,
                name="张三",
                position="采购经理",
                birthday=BIRTHDAY,
                primary=True,
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        for position, (kind, value) in enumerate((("phone", phone), ("email", email))):
            session.add(
                ContactPoint(
                    id=str(uuid.uuid4()),
                    contact_id=contact_id,
                    customer_id=customer_id,
                    kind=kind,
                    value=value,
                    value_index=blind_index(value),
                    label="work",
                    position=position,
                )
            )
    return Person(customer_id, contact_id, number, phone, email)


@pytest.fixture
def new_customer(customer_schema: None):
    return add_customer


@pytest.fixture
async def person(customer_schema: None) -> Person:
    return await add_customer()


@pytest.fixture
def outbox_events():
    return events_for


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    return await recorded_events(app_service("customer"), customer_id, event_type)


@pytest.fixture
def narrow_tier_rules() -> list[dict]:
    """Tier rules with thresholds no other test's customers reach, so replacing the rule set does not disturb them."""
    return [
        {
            "name": "huge",
            "priority": 10,
            "conditions": {"revenue_12m_gte": 90_000_000},
            "sets": {"tier": "high", "service_level": "vip"},
        },
        {
            "name": "busy",
            "priority": 20,
            "conditions": {"orders_12m_gte": 9000, "complaints_12m_lte": 0},
            "sets": {"tier": "mid"},
        },
    ]


@pytest.fixture
def typed_contact() -> dict:
    """A contact with two phones (one labelled) and an email in the forms people type them, and a birthday."""
    return {
        "name": "张三",
        "position": "采购经理",
        "phones": ["138 1234 5678", {"number": "010-6552 9988", "label": "office"}],
        "emails": ["Zhang.San@Example.COM"],
        "birthday": "1985-06-01",
    }


@pytest.fixture
def create_customer():
    return create_through_api


async def create_through_api(client: Any, headers: dict | None = None, **body: object) -> dict:
    """POST /customers with a unique company name (the body may name it), by an east-team agent unless told."""
    from servicekit.testing import bearer

    headers = headers or bearer("alice", "agent", team="east")
    response = await client.post(
        "/customers", json={"name": f"杭州西湖科技有限公司 {uuid.uuid4().hex[:6]}", **body}, headers=headers
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def audit_rows():
    return audit_rows_of


async def audit_rows_of(customer_id: str) -> list[Any]:
    """The customer's audit entries, oldest first."""
    from sqlalchemy import select

    from customer.audit.models import AuditEntry

    async with app_service("customer").db.session() as session:
        query = select(AuditEntry).where(AuditEntry.customer_id == customer_id).order_by(AuditEntry.id)
        return list((await session.scalars(query)).all())
