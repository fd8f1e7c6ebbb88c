"""Issue 3 point 6: likely duplicates (same phone/email by blind index, similar name by pg_trgm) and merging."""

from __future__ import annotations

import json
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
                             customer_type="potential", stage="contact", tier="low", service_level="normal",
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


@pytest.fixture(scope="module")  # one app start per module: start/stop is the slow, flaky part
async def client():
    from customer.app import service
    from servicekit.testing import running

    async with running(service.app) as client:
        yield client




def headers(subject: str, *roles: str, team: str | None = None) -> dict[str, str]:
    from servicekit.testing import bearer

    return bearer(subject, *roles, team=team)


async def test_duplicates_route_lists_the_other_record(client) -> None:
    tag = uuid.uuid4().hex[:6]
    first = await seed(f"Twin {tag}", phone="+8613911110000")
    second = await seed(f"Other name {tag}", phone="+8613911110000")
    response = await client.get(f"/customers/{first}/duplicates", headers=headers("meg", "manager"))
    assert response.status_code == 200
    assert [(d["customer_id"], d["reason"]) for d in response.json()["items"]] == [(second, "same_phone")]


async def test_merge_moves_contacts_hides_the_merged_record_and_emits_events_on_the_broker(client) -> None:
    from sqlalchemy import select

    from customer.app import service
    from customer.models import AuditEntry, Contact, Customer
    from servicekit.testing import Observer, eventually

    tag = uuid.uuid4().hex[:6]
    survivor = await seed(f"Survivor {tag}", phone="+8613922220000")
    merged = await seed(f"Survivor {tag} Ltd", email=f"{tag}@example.com")
    boss = headers("sue", "supervisor")
    async with Observer("customer.merged.v1") as merged_events, Observer("customer.contacts_changed.v1") as contact_events:
        response = await client.post(f"/customers/{survivor}/merge", json={"merged_id": merged}, headers=boss)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["contacts"]) == 2 and sum(c["primary"] for c in body["contacts"]) == 1

        async def merged_seen():
            return [m for m in await merged_events.drain() if json.loads(m.body)["data"]["merged_id"] == merged]

        async def contacts_seen():
            return [m for m in await contact_events.drain() if json.loads(m.body)["aggregate_id"] == survivor]

        [message] = await eventually(merged_seen)
        assert json.loads(message.body)["data"]["survivor_id"] == survivor
        [changed] = await eventually(contacts_seen)
        assert len(json.loads(changed.body)["data"]["contacts"]) == 2
    async with service.db.session() as session:
        assert (await session.get(Customer, merged)).merged_into == survivor
        owners = set((await session.scalars(select(Contact.customer_id).where(Contact.customer_id.in_([survivor, merged])))).all())
        assert owners == {survivor}
        actions = set((await session.scalars(select(AuditEntry.action).where(AuditEntry.customer_id.in_([survivor, merged])))).all())
        assert {"merge", "merged_into"} <= actions
    listed = (await client.get("/customers", params={"q": f"survivor {tag}"}, headers=boss)).json()["items"]
    assert [item["id"] for item in listed] == [survivor]
    gone = await client.get(f"/customers/{merged}", headers=boss)
    assert gone.status_code == 404 and survivor in gone.json()["error"]["message"]
    # merging again, into itself, or by an agent is refused
    again = await client.post(f"/customers/{survivor}/merge", json={"merged_id": merged}, headers=boss)
    assert again.status_code == 409
    itself = await client.post(f"/customers/{survivor}/merge", json={"merged_id": survivor}, headers=boss)
    assert itself.status_code == 409
    other = await seed(f"Third {tag}")
    agent = await client.post(f"/customers/{survivor}/merge", json={"merged_id": other}, headers=headers("al", "agent", team="east"))
    assert agent.status_code == 403


async def test_duplicates_of_another_team_are_not_shown(client) -> None:
    tag = uuid.uuid4().hex[:6]
    mine = await seed(f"Mine {tag}", phone="+8613933330000", team="east")
    theirs = await seed(f"Theirs {tag}", phone="+8613933330000", team="west")
    east = await client.get(f"/customers/{mine}/duplicates", headers=headers("al", "agent", team="east"))
    assert east.json()["items"] == []
    manager = await client.get(f"/customers/{mine}/duplicates", headers=headers("meg", "manager"))
    assert [d["customer_id"] for d in manager.json()["items"]] == [theirs]
