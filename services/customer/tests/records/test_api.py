"""Customer records over HTTP on PostgreSQL: R-01 profile, validation, auth, R-09 visibility and masking with audit,
R-04 tags, R-07 risk; events read from the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from customer.app import service
from customer.records.models import Customer
from servicekit import pii
from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")
OTHER_TEAM = bearer("bob", "agent", team="west")
MANAGER = bearer("meg", "manager")
AUDITOR = bearer("audrey", "auditor")
OWNER = bearer("sam", "sales", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")


async def events_for(customer_id: str, event_type: str | None = None) -> list[dict]:
    return await outbox_events(service, customer_id, event_type)


async def test_create_needs_only_the_company_name_and_emits_registered(client) -> None:
    response = await client.post("/customers", json={"name": "  杭州西湖科技有限公司 "}, headers=AGENT)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "杭州西湖科技有限公司"
    assert body["number"].startswith("KH-")
    assert (body["customer_type"], body["stage"], body["tier"], body["version"]) == ("potential", "contact", "low", 1)
    [registered] = await events_for(body["id"])
    assert registered["type"] == "customer.registered.v1"
    assert registered["producer"] == "customer"
    assert registered["aggregate_version"] == 1
    assert registered["data"]["number"] == body["number"]
    assert registered["correlation_id"] == response.headers["x-correlation-id"]


async def test_numbers_are_unique_and_sequential(client) -> None:
    numbers = [
        (await client.post("/customers", json={"name": f"Numbering {i}"}, headers=AGENT)).json()["number"]
        for i in range(3)
    ]
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == [tails[0], tails[0] + 1, tails[0] + 2]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "tier": "platinum"}, "tier"),
        ({"name": "x", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "x", "language": "Chinese!"}, "language"),
        ({"name": 42}, "name"),
    ],
)
async def test_bad_input_is_422_naming_the_field(client, payload: dict, field: str) -> None:
    response = await client.post("/customers", json=payload, headers=AGENT)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_auth_401_without_or_with_bad_token_and_403_for_wrong_role(client) -> None:
    assert (await client.get("/customers")).status_code == 401
    assert (await client.get("/customers", headers={"Authorization": "Bearer forged.token.here"})).status_code == 401
    assert (await client.post("/customers", json={"name": "x"}, headers=AUDITOR)).status_code == 403


async def test_unknown_id_is_404(client) -> None:
    response = await client.get("/customers/00000000-0000-0000-0000-000000000000", headers=AGENT)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_another_teams_customer_is_hidden_r09(client) -> None:
    created = (await client.post("/customers", json={"name": "East only", "team": "east"}, headers=AGENT)).json()
    assert (await client.get(f"/customers/{created['id']}", headers=OTHER_TEAM)).status_code == 404
    assert (
        await client.patch(f"/customers/{created['id']}", json={"name": "x"}, headers=OTHER_TEAM)
    ).status_code == 404
    assert (await client.get(f"/customers/{created['id']}", headers=MANAGER)).status_code == 200
    listed = (await client.get("/customers?limit=200", headers=OTHER_TEAM)).json()["items"]
    assert created["id"] not in {c["id"] for c in listed}


async def test_an_agents_new_customer_is_theirs_and_their_teams_not_every_teams_r09(client) -> None:
    contact = {"name": "张三", "phones": ["+8613812345678"]}
    created = await client.post("/customers", json={"name": "Mine Co", "contacts": [contact]}, headers=AGENT)
    assert created.status_code == 201
    body = created.json()
    assert (body["owner"], body["team"], body["contact_data_masked"]) == ("alice", "east", False)  # the creator
    teammate = bearer("andy", "agent", team="east")
    seen = (await client.get(f"/customers/{body['id']}", headers=teammate)).json()
    assert seen["contact_data_masked"] and "****" in seen["contacts"][0]["phones"][0]["value"]
    contact_url = f"/customers/{body['id']}/contacts/{body['contacts'][0]['id']}"
    # the teammate sees it masked, so may neither change nor delete it
    refused = await client.patch(contact_url, json={"phones": ["+8613900000000"]}, headers=teammate)
    assert refused.status_code == 403
    assert (await client.delete(contact_url, headers=teammate)).status_code == 403
    for outsider in (OTHER_TEAM, bearer("nemo", "agent")):  # another team, no team
        assert (await client.get(f"/customers/{body['id']}", headers=outsider)).status_code == 404
    # an agent names neither another owner nor another team
    for claim in ({"owner": "bob"}, {"team": "west"}):
        response = await client.post("/customers", json={"name": "Not mine", **claim}, headers=AGENT)
        assert (response.status_code, response.json()["error"]["field"]) == (403, "owner")


async def test_patch_changes_only_what_is_sent_and_emits_one_event_per_kind(client) -> None:
    created = (await client.post("/customers", json={"name": "Patch Co", "industry": "retail"}, headers=AGENT)).json()
    response = await client.patch(
        f"/customers/{created['id']}",
        json={"industry": "manufacturing", "tier": "high", "owner": "amy", "team": "east"},
        headers=MANAGER,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["industry"], body["tier"], body["version"]) == ("Patch Co", "manufacturing", "high", 2)
    types = [e["type"] for e in await events_for(created["id"])]
    assert types == [
        "customer.registered.v1",
        "customer.updated.v1",
        "customer.classified.v1",
        "customer.owner_assigned.v1",
    ]
    classified = (await events_for(created["id"]))[2]
    assert classified["data"]["previous"] == {"tier": "low"}
    assert classified["aggregate_version"] == 2

    # owners are set by hand only by a supervisor, manager or admin
    refused = await client.patch(f"/customers/{created['id']}", json={"owner": "bob"}, headers=AGENT)
    assert refused.status_code == 403
    unchanged = await client.patch(f"/customers/{created['id']}", json={"industry": "manufacturing"}, headers=AGENT)
    assert unchanged.json()["version"] == 2
    assert len(await events_for(created["id"])) == 4


async def test_patch_cannot_clear_required_fields(client) -> None:
    created = (await client.post("/customers", json={"name": "Keep Name"}, headers=AGENT)).json()
    for field in ("name", "tier"):
        response = await client.patch(f"/customers/{created['id']}", json={field: None}, headers=AGENT)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == field


async def test_callers_correlation_id_travels_into_the_event(client) -> None:
    response = await client.post(
        "/customers", json={"name": "Traced Ltd"}, headers={**AGENT, "X-Correlation-ID": "req-4242-abc"}
    )
    assert response.headers["x-correlation-id"] == "req-4242-abc"
    [registered] = await events_for(response.json()["id"])
    assert registered["correlation_id"] == "req-4242-abc"


async def test_full_profile_with_contacts_normalised_encrypted_and_chinese(
    client, create_customer, typed_contact
) -> None:
    history = [{"project": "二期仓库", "products": "货架", "period": "2024-2025", "payment_behaviour": "按时"}]
    body = await create_customer(
        client,
        headers=OWNER,
        owner="sam",
        team="east",
        name="  ＡＢＣ 杭州西湖 ",
        industry="制造业",
        size="200-500",
        address="杭州市西湖区文三路 1 号",
        source="展会",
        key_needs="定制化",
        pain_points="交期",
        service_preferences="电话",
        cooperation_history=history,
        service_type="安装",
        time_zone="Asia/Shanghai",
        language="zh-CN",
        tags=["需要培训"],
        contacts=[typed_contact, {"name": "李四", "primary": True}],
    )
    assert body["name"] == "ＡＢＣ 杭州西湖"
    assert (body["industry"], body["service_type"], body["cooperation_history"]) == ("制造业", "安装", history)
    zhang, li = body["contacts"]
    assert zhang["phones"] == [
        {"value": "+8613812345678", "label": None},
        {"value": "+861065529988", "label": "office"},
    ]
    assert zhang["emails"] == [{"value": "zhang.san@example.com", "label": None}]
    assert (zhang["position"], zhang["birthday"], zhang["primary"], li["primary"]) == (
        "采购经理",
        "1985-06-01",
        False,
        True,
    )
    async with service.db.session() as session:
        customer = await session.get(Customer, body["id"])
        assert customer.search_name == "abc 杭州西湖"
        # plain SQL: the column type would decrypt
        raw = (
            await session.execute(
                text("SELECT value, value_index FROM contact_points WHERE customer_id = :id"), {"id": body["id"]}
            )
        ).all()
    # at rest: ciphertext, and the blind index of the normalised value
    assert all("+86" not in value and "@" not in value for value, _ in raw)
    assert pii.blind_index("+8613812345678") in {index for _, index in raw}
    types = [e["type"] for e in await events_for(body["id"])]
    assert types == ["customer.registered.v1", "customer.contacts_changed.v1", "customer.tags_changed.v1"]
    [contacts] = await events_for(body["id"], "customer.contacts_changed.v1")
    assert contacts["data"]["contacts"][0] == {
        "contact_id": zhang["id"],
        "name": "张三",
        "email": "zhang.san@example.com",
        "phone": "+8613812345678",
        "primary": False,
    }


async def test_bad_profile_is_422_naming_the_field(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    for body, field in (
        ({"time_zone": "Asia/Beijing"}, "time_zone"),
        ({"cooperation_history": None}, "cooperation_history"),
        ({"key_needs": "x", "learned_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}, "learned_at"),
    ):
        response = await client.patch(f"/customers/{cid}", json=body, headers=AGENT)
        assert (response.status_code, response.json()["error"]["field"]) == (422, field)


# --- R-09 masking and audit ----------------------------------------------------------------------------


async def test_contact_data_masked_for_others_unmasked_for_owner_with_audit(
    client, create_customer, audit_rows, typed_contact
) -> None:
    cid = (await create_customer(client, headers=OWNER, owner="sam", team="east", contacts=[typed_contact]))["id"]
    reads_before = [a.action for a in await audit_rows(cid)].count(
        "read_contact_data"
    )  # the owner saw the create response
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
    assert (await client.post(f"/customers/{cid}/contacts", json=typed_contact, headers=OTHER_TEAM)).status_code == 404


# --- R-04 tags, R-07 risk ------------------------------------------------------------------------------


async def test_tags_are_normalised_and_changes_emit_events(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    put = await client.put(
        f"/customers/{cid}/tags",
        json={"tags": ["Wants Customization", " wants  customization", "需要培训"]},
        headers=AGENT,
    )
    assert put.json()["tags"] == ["wants customization", "需要培训"]
    added = await client.post(f"/customers/{cid}/tags", json={"tags": ["ＶＩＰ 关注"]}, headers=AGENT)
    assert added.json()["tags"] == ["wants customization", "需要培训", "vip 关注"]
    removed = await client.delete(f"/customers/{cid}/tags/需要培训", headers=AGENT)
    assert removed.json()["tags"] == ["wants customization", "vip 关注"]
    await client.put(f"/customers/{cid}/tags", json={"tags": ["vip 关注", "wants customization"]}, headers=AGENT)
    events = await events_for(cid, "customer.tags_changed.v1")
    assert [(e["data"]["added"], e["data"]["removed"]) for e in events] == [
        (["wants customization", "需要培训"], []),
        (["vip 关注"], []),
        ([], ["需要培训"]),
        ([], []),
    ]
    too_long = await client.put(f"/customers/{cid}/tags", json={"tags": ["x" * 51]}, headers=AGENT)
    assert (too_long.status_code, too_long.json()["error"]["field"]) == (422, "tags[0]")


async def test_risk_change_is_an_event_and_visible_in_every_read(client, create_customer) -> None:
    cid = (await create_customer(client))["id"]
    bad = await client.put(f"/customers/{cid}/risk", json={"risk_state": "bankrupt", "reason": "x"}, headers=AGENT)
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "risk_state")
    response = await client.put(
        f"/customers/{cid}/risk", json={"risk_state": "credit_deteriorating", "reason": "逾期 90 天"}, headers=AGENT
    )
    assert response.json()["risk_state"] == "credit_deteriorating"
    assert (await client.get(f"/customers/{cid}", headers=OWNER)).json()["risk_state"] == "credit_deteriorating"
    [event] = await events_for(cid, "customer.risk_changed.v1")
    assert event["data"] == {
        "customer_id": cid,
        "risk_state": "credit_deteriorating",
        "previous": "normal",
        "reason": "逾期 90 天",
    }
