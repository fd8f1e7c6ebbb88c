"""R-01 records and contacts, R-09 masking and audit, R-04 tags, R-06 change lag, R-07 risk, R-08 owners —
over HTTP on PostgreSQL, events read from the outbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select, text

from customer.app import service
from customer.models import AuditEntry, Customer
from servicekit import pii
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")
OWNER = bearer("sam", "sales", team="east")
OTHER_TEAM = bearer("bob", "agent", team="west")
SUPERVISOR = bearer("sue", "supervisor", team="east")
MANAGER = bearer("meg", "manager")

ZHANG = {
    "name": "张三", "position": "采购经理", "phones": ["138 1234 5678", {"number": "010-6552 9988", "label": "office"}],
    "emails": ["Zhang.San@Example.COM"], "birthday": "1985-06-01",
}


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


async def create(client, headers: dict = AGENT, **body: object) -> dict:
    response = await client.post("/customers", json={"name": unique("杭州西湖科技有限公司"), **body}, headers=headers)
    assert response.status_code == 201, response.json()
    return response.json()


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


async def audit_rows(customer_id: str) -> list[AuditEntry]:
    async with service.db.session() as session:
        query = select(AuditEntry).where(AuditEntry.customer_id == customer_id).order_by(AuditEntry.id)
        return list((await session.scalars(query)).all())


def sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# --- R-01 -------------------------------------------------------------------------------------------------

async def test_full_profile_with_contacts_normalised_encrypted_and_chinese(client) -> None:
    history = [{"project": "二期仓库", "products": "货架", "period": "2024-2025", "payment_behaviour": "按时"}]
    body = await create(
        client, headers=OWNER, owner="sam", team="east", name="  ＡＢＣ 杭州西湖 ", industry="制造业", size="200-500",
        address="杭州市西湖区文三路 1 号", source="展会", key_needs="定制化", pain_points="交期", service_preferences="电话",
        cooperation_history=history, service_type="安装", time_zone="Asia/Shanghai", language="zh-CN", tags=["需要培训"],
        contacts=[ZHANG, {"name": "李四", "primary": True}],
    )
    assert body["name"] == "ＡＢＣ 杭州西湖"
    assert (body["industry"], body["service_type"], body["cooperation_history"]) == ("制造业", "安装", history)
    zhang, li = body["contacts"]
    assert zhang["phones"] == [{"value": "+8613812345678", "label": None}, {"value": "+861065529988", "label": "office"}]
    assert zhang["emails"] == [{"value": "zhang.san@example.com", "label": None}]
    assert (zhang["position"], zhang["birthday"], zhang["primary"], li["primary"]) == ("采购经理", "1985-06-01", False, True)
    async with service.db.session() as session:
        customer = await session.get(Customer, body["id"])
        assert customer.search_name == "abc 杭州西湖"
        # plain SQL: the column type would decrypt
        raw = (await session.execute(text("SELECT value, value_index FROM contact_points WHERE customer_id = :id"),
                                     {"id": body["id"]})).all()
    # at rest: ciphertext, and the blind index of the normalised value
    assert all("+86" not in value and "@" not in value for value, _ in raw)
    assert pii.blind_index("+8613812345678") in {index for _, index in raw}
    types = [e["type"] for e in await events_for(body["id"])]
    assert types == ["customer.registered.v1", "customer.contacts_changed.v1", "customer.tags_changed.v1"]
    [contacts] = await events_for(body["id"], "customer.contacts_changed.v1")
    assert contacts["data"]["contacts"][0] == {"contact_id": zhang["id"], "name": "张三", "email": "zhang.san@example.com",
                                               "phone": "+8613812345678", "primary": False}


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"name": "x", "phones": ["12345"]}, "contacts[0].phones[0].number"),
        ({"name": "x", "phones": [{"number": "138 1234 5678", "fax": True}]}, "contacts[0].phones[0].fax"),
        ({"name": "x", "emails": ["not-an-email"]}, "contacts[0].emails[0].address"),
        ({"name": "x", "birthday": "1985-13-01"}, "contacts[0].birthday"),
        ({"name": ""}, "contacts[0].name"),
        ({"name": "x", "learned_at": "2999-01-01T00:00:00+08:00"}, "contacts[0].learned_at"),
    ],
)
async def test_bad_contact_is_422_naming_the_field(client, contact: dict, field: str) -> None:
    response = await client.post("/customers", json={"name": "x", "contacts": [contact]}, headers=AGENT)
    assert (response.status_code, response.json()["error"]["field"]) == (422, field)


async def test_bad_profile_is_422_naming_the_field(client) -> None:
    cid = (await create(client))["id"]
    for body, field in (({"time_zone": "Asia/Beijing"}, "time_zone"), ({"cooperation_history": None}, "cooperation_history"),
                        ({"key_needs": "x", "learned_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}, "learned_at")):
        response = await client.patch(f"/customers/{cid}", json=body, headers=AGENT)
        assert (response.status_code, response.json()["error"]["field"]) == (422, field)


async def test_contact_crud_emits_full_contact_list(client) -> None:
    cid = (await create(client))["id"]
    added = await client.post(f"/customers/{cid}/contacts", json=ZHANG, headers=AGENT)
    assert added.status_code == 201
    contact_id = added.json()["id"]
    assert added.json()["primary"] is True  # the only contact is the primary one
    second = (await client.post(f"/customers/{cid}/contacts", json={"name": "王五", "emails": ["wang@example.cn"]}, headers=AGENT)).json()
    changed = await client.patch(f"/customers/{cid}/contacts/{contact_id}",
                                 json={"phones": ["+86 139 0000 1111"], "name": "张三丰"}, headers=AGENT)
    assert changed.status_code == 200
    assert changed.json()["name"] == "张三丰" and changed.json()["pending_changes"] == []
    bad = await client.patch(f"/customers/{cid}/contacts/{contact_id}", json={"emails": ["@"]}, headers=AGENT)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "emails[0].address")
    assert (await client.delete(f"/customers/{cid}/contacts/{contact_id}", headers=AGENT)).status_code == 204
    assert (await client.delete(f"/customers/{cid}/contacts/{contact_id}", headers=AGENT)).status_code == 404
    final = await events_for(cid, "customer.contacts_changed.v1")
    assert [len(e["data"]["contacts"]) for e in final] == [1, 2, 2, 1]
    assert final[2]["data"]["contacts"][0]["phone"] == "+8613900001111"
    assert final[3]["data"]["contacts"] == [{"contact_id": second["id"], "name": "王五", "email": "wang@example.cn",
                                             "phone": None, "primary": True}]
    versions = [e["aggregate_version"] for e in final]
    assert versions == sorted(versions) and len(set(versions)) == 4
    actions = [a.action for a in await audit_rows(cid)]
    assert actions == ["create", "contact_added", "contact_added", "contact_updated", "contact_removed"]
    assert all("+86" not in json.dumps(a.details) for a in await audit_rows(cid))  # field names, never values


# --- R-09 masking and audit ----------------------------------------------------------------------------

async def test_contact_data_masked_for_others_unmasked_for_owner_with_audit(client) -> None:
    cid = (await create(client, headers=OWNER, owner="sam", team="east", contacts=[ZHANG]))["id"]
    reads_before = [a.action for a in await audit_rows(cid)].count("read_contact_data")  # the owner saw the create response
    masked = (await client.get(f"/customers/{cid}", headers=AGENT)).json()
    assert masked["contact_data_masked"] is True
    [contact] = masked["contacts"]
    assert contact["phones"][0]["value"] == "+86138****5678"
    assert contact["emails"][0]["value"] == "z***@example.com"
    assert contact["birthday"] == "***"
    assert contact["name"] == "张三"
    assert [a.action for a in await audit_rows(cid)].count("read_contact_data") == reads_before
    for headers, reader in ((OWNER, "sam"), (SUPERVISOR, "sue")):
        plain = (await client.get(f"/customers/{cid}", headers=headers)).json()
        assert plain["contact_data_masked"] is False
        assert plain["contacts"][0]["phones"][0]["value"] == "+8613812345678"
        reads = [a for a in await audit_rows(cid) if a.action == "read_contact_data"]
        assert reads[-1].actor == reader
    assert (await client.get(f"/customers/{cid}", headers=OTHER_TEAM)).status_code == 404
    assert (await client.post(f"/customers/{cid}/contacts", json=ZHANG, headers=OTHER_TEAM)).status_code == 404


# --- R-04 tags, R-07 risk ------------------------------------------------------------------------------

async def test_tags_are_normalised_and_changes_emit_events(client) -> None:
    cid = (await create(client))["id"]
    put = await client.put(f"/customers/{cid}/tags", json={"tags": ["Wants Customization", " wants  customization", "需要培训"]}, headers=AGENT)
    assert put.json()["tags"] == ["wants customization", "需要培训"]
    added = await client.post(f"/customers/{cid}/tags", json={"tags": ["ＶＩＰ 关注"]}, headers=AGENT)
    assert added.json()["tags"] == ["wants customization", "需要培训", "vip 关注"]
    removed = await client.delete(f"/customers/{cid}/tags/需要培训", headers=AGENT)
    assert removed.json()["tags"] == ["wants customization", "vip 关注"]
    await client.put(f"/customers/{cid}/tags", json={"tags": ["vip 关注", "wants customization"]}, headers=AGENT)
    events = await events_for(cid, "customer.tags_changed.v1")
    assert [(e["data"]["added"], e["data"]["removed"]) for e in events] == [
        (["wants customization", "需要培训"], []), (["vip 关注"], []), ([], ["需要培训"]), ([], []),
    ]
    too_long = await client.put(f"/customers/{cid}/tags", json={"tags": ["x" * 51]}, headers=AGENT)
    assert (too_long.status_code, too_long.json()["error"]["field"]) == (422, "tags[0]")


async def test_risk_change_is_an_event_and_visible_in_every_read(client) -> None:
    cid = (await create(client))["id"]
    bad = await client.put(f"/customers/{cid}/risk", json={"risk_state": "bankrupt", "reason": "x"}, headers=AGENT)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "risk_state")
    response = await client.put(f"/customers/{cid}/risk", json={"risk_state": "credit_deteriorating", "reason": "逾期 90 天"}, headers=AGENT)
    assert response.json()["risk_state"] == "credit_deteriorating"
    assert (await client.get(f"/customers/{cid}", headers=OWNER)).json()["risk_state"] == "credit_deteriorating"
    [event] = await events_for(cid, "customer.risk_changed.v1")
    assert event["data"] == {"customer_id": cid, "risk_state": "credit_deteriorating", "previous": "normal", "reason": "逾期 90 天"}


# --- R-08 owners ---------------------------------------------------------------------------------------

async def test_owner_rules_apply_on_create_and_on_industry_change_unless_set_by_hand(client) -> None:
    food, tools = unique("食品"), unique("工具")
    rules = {"rules": [
        {"priority": 10, "industry": food, "owner": "olga", "team": "east"},
        {"priority": 20, "service_type": tools, "owner": "ivan", "team": "west"},
    ]}
    assert (await client.put("/owner-rules", json=rules, headers=AGENT)).status_code == 403
    bad = await client.put("/owner-rules", json={"rules": [{"priority": 1, "owner": "x"}]}, headers=MANAGER)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "rules[0]")
    saved = await client.put("/owner-rules", json=rules, headers=MANAGER)
    assert saved.status_code == 200
    rule_id = saved.json()["rules"][0]["id"]

    created = await create(client, industry=food)
    assert (created["owner"], created["team"]) == ("olga", "east")
    [assigned] = await events_for(created["id"], "customer.owner_assigned.v1")
    assert assigned["data"]["reason"] == f"owner rule {rule_id}"

    moved = await client.patch(f"/customers/{created['id']}", json={"industry": "other", "service_type": tools}, headers=MANAGER)
    assert (moved.json()["owner"], moved.json()["team"]) == ("ivan", "west")

    by_hand = await create(client, headers=MANAGER, industry=food, owner="henry")
    assert by_hand["owner"] == "henry"
    assert (await client.put(f"/customers/{by_hand['id']}/owner", json={"owner": "x"}, headers=AGENT)).status_code == 403
    put = await client.put(f"/customers/{by_hand['id']}/owner", json={"owner": "olga", "team": "east"}, headers=SUPERVISOR)
    assert put.json()["owner"] == "olga"
    kept = await client.patch(f"/customers/{by_hand['id']}", json={"service_type": tools}, headers=MANAGER)
    assert kept.json()["owner"] == "olga"  # chosen by hand: rules no longer move it
    reasons = [e["data"]["reason"] for e in await events_for(by_hand["id"], "customer.owner_assigned.v1")]
    assert reasons == ["assigned by hand by sue"]


# --- R-06 change lag -----------------------------------------------------------------------------------

async def test_change_lag_is_measured_and_late_entries_counted(client) -> None:
    cid = (await create(client))["id"]
    late_before = sample("crm_customer_changes_entered_late_total", {"kind": "contact"})
    count_before = sample("crm_customer_change_lag_seconds_count", {"kind": "contact"})
    day_bucket_before = sample("crm_customer_change_lag_seconds_bucket", {"kind": "contact", "le": "86400.0"})
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    await client.post(f"/customers/{cid}/contacts", json={"name": "赵六", "learned_at": two_days_ago}, headers=AGENT)
    await client.post(f"/customers/{cid}/contacts", json={"name": "钱七"}, headers=AGENT)
    assert sample("crm_customer_changes_entered_late_total", {"kind": "contact"}) == late_before + 1
    assert sample("crm_customer_change_lag_seconds_count", {"kind": "contact"}) == count_before + 2
    assert sample("crm_customer_change_lag_seconds_bucket", {"kind": "contact", "le": "86400.0"}) == day_bucket_before + 1
    learned = [a.details["learned_at"][:19] for a in await audit_rows(cid) if a.action == "contact_added"]
    assert learned[0] == two_days_ago[:19] and learned[1] > two_days_ago[:19]  # kept for the audit
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    refused = await client.delete(f"/customers/{cid}/contacts/whatever", params={"learned_at": future}, headers=AGENT)
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "learned_at")
