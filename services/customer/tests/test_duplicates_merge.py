"""Issue 3 point 6: likely duplicates (same phone/email by blind index, similar name by pg_trgm) and merging."""

from __future__ import annotations

import uuid

import pytest

from servicekit.db import utcnow
from servicekit.pii import blind_index
from servicekit.testing import migrate

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", autouse=True)
def schema() -> None:
    migrate("customer")


async def seed(name: str, *, phone: str | None = None, email: str | None = None, team: str | None = "east") -> str:
    from customer.app import service
    from customer.models import Contact, ContactPoint, Customer
    from customer.names import search_key

    now, customer_id, contact_id = utcnow(), str(uuid.uuid4()), str(uuid.uuid4())
    async with service.db.session() as session:
        session.add(Customer(id=customer_id, number=f"KH-T-{uuid.uuid4().hex[:8]}", name=name, search_name=search_key(name),
                             customer_type="potential", stage="contact", tier="low", service_level="standard",
                             owner="alice", team=team, version=1, created_at=now, updated_at=now, created_by="test"))
        await session.flush()
        session.add(Contact(id=contact_id, customer_id=customer_id, name="张三", primary=True, created_at=now, updated_at=now))
        await session.flush()
        for position, (kind, value) in enumerate((("phone", phone), ("email", email))):
            if value:
                session.add(ContactPoint(id=str(uuid.uuid4()), contact_id=contact_id, customer_id=customer_id, kind=kind,
                                         value=value, value_index=blind_index(value), position=position))
    return customer_id


async def test_find_likely_reports_same_phone_same_email_and_similar_names() -> None:
    from customer.app import service
    from customer.duplicates import find_likely

    tag = uuid.uuid4().hex[:6]
    by_phone = await seed(f"Alpha {tag}", phone="+8613900000001")
    by_email = await seed(f"Beta {tag}", email=f"{tag}@example.com")
    by_name = await seed(f"杭州西湖{tag}科技有限公司")
    unrelated = await seed(f"Gamma {tag} Holdings")
    async with service.db.session() as session:
        found = await find_likely(
            session,
            name=f"杭州西湖{tag}科技公司",
            phone_indexes=[blind_index("+8613900000001")],
            email_indexes=[blind_index(f"{tag}@example.com")],
        )
    reasons = {item["customer_id"]: item["reason"] for item in found}
    assert reasons == {by_phone: "same_phone", by_email: "same_email", by_name: "similar_name"}
    assert unrelated not in reasons
    assert all(0 < item["score"] <= 1 and item["number"] for item in found)
