"""R-05 key information (contact position, core needs) applies only after a second confirmation, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from customer.app import service
from customer.settings import customer_settings
from servicekit.testing import bearer, outbox_events

AGENT = bearer("alice", "agent", team="east")
AGENT2 = bearer("andy", "agent", team="east")
OWNER = bearer("sam", "sales", team="east")
SUPERVISOR = bearer("sue", "supervisor", team="east")
WEST_AGENT = bearer("wes", "agent", team="west")


async def types_for(customer_id: str) -> list[str]:
    return [e["type"] for e in await outbox_events(service, customer_id)]


async def customer_with_contact(client) -> tuple[str, str]:
    body = {
        "name": "确认测试",
        "owner": "sam",
        "team": "east",
        "key_needs": "标准品",
        "contacts": [{"name": "张三", "position": "采购"}],
    }
    created = (await client.post("/customers", json=body, headers=SUPERVISOR)).json()
    return created["id"], created["contacts"][0]["id"]


async def test_position_change_waits_until_another_person_confirms(client) -> None:
    cid, contact_id = await customer_with_contact(client)
    learned = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    response = await client.patch(
        f"/customers/{cid}/contacts/{contact_id}", json={"position": "采购总监", "learned_at": learned}, headers=AGENT
    )
    assert response.status_code == 200
    assert response.json()["position"] == "采购"  # not applied yet
    [waiting] = response.json()["pending_changes"]
    assert (waiting["field"], waiting["old_value"], waiting["new_value"], waiting["status"]) == (
        "position",
        "采购",
        "采购总监",
        "pending",
    )
    assert waiting["learned_at"][:19] == learned[:19]

    listed = (await client.get("/pending-changes", params={"customer_id": cid}, headers=AGENT)).json()["items"]
    assert [c["id"] for c in listed] == [waiting["id"]]
    assert (await client.get("/pending-changes", params={"customer_id": cid}, headers=WEST_AGENT)).json()["items"] == []

    own = await client.post(f"/pending-changes/{waiting['id']}/confirm", json={}, headers=AGENT)
    assert (own.status_code, own.json()["error"]["code"]) == (403, "forbidden")
    assert (await client.post(f"/pending-changes/{waiting['id']}/confirm", headers=AGENT2)).status_code == 403
    assert (await client.post(f"/pending-changes/{waiting['id']}/confirm", headers=WEST_AGENT)).status_code == 404
    before = await types_for(cid)

    confirmed = await client.post(f"/pending-changes/{waiting['id']}/confirm", json={"note": "电话核实"}, headers=OWNER)
    assert confirmed.status_code == 200
    assert (confirmed.json()["status"], confirmed.json()["decided_by"], confirmed.json()["decision_note"]) == (
        "confirmed",
        "sam",
        "电话核实",
    )
    contact = (await client.get(f"/customers/{cid}", headers=OWNER)).json()["contacts"][0]
    assert contact["position"] == "采购总监"
    assert (await types_for(cid))[len(before) :] == ["customer.contacts_changed.v1"]
    again = await client.post(f"/pending-changes/{waiting['id']}/confirm", headers=SUPERVISOR)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")


async def test_key_needs_change_confirmed_or_rejected_and_stale_is_409(client) -> None:
    cid, _ = await customer_with_contact(client)
    patched = await client.patch(
        f"/customers/{cid}", json={"key_needs": "定制化", "pain_points": "交期长"}, headers=AGENT
    )
    assert patched.json()["key_needs"] == "标准品" and patched.json()["pain_points"] == "交期长"
    [first] = patched.json()["pending_changes"]
    [second] = (await client.patch(f"/customers/{cid}", json={"key_needs": "培训"}, headers=AGENT)).json()[
        "pending_changes"
    ]

    confirmed = await client.post(f"/pending-changes/{first['id']}/confirm", headers=SUPERVISOR)
    assert confirmed.status_code == 200
    assert (await client.get(f"/customers/{cid}", headers=AGENT)).json()["key_needs"] == "定制化"
    assert (await types_for(cid))[-1] == "customer.updated.v1"
    # the second change was made against the old value: confirming it would overwrite unseen news
    stale = await client.post(f"/pending-changes/{second['id']}/confirm", headers=SUPERVISOR)
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale_change")

    rejected = await client.post(f"/pending-changes/{second['id']}/reject", json={"note": "重复"}, headers=SUPERVISOR)
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert (
        await client.get("/pending-changes", params={"customer_id": cid, "status": "rejected"}, headers=SUPERVISOR)
    ).json()["items"][0]["decision_note"] == "重复"


async def test_owner_reconfirms_own_change_only_when_configured(client, monkeypatch) -> None:
    cid, contact_id = await customer_with_contact(client)
    [own] = (
        await client.patch(f"/customers/{cid}/contacts/{contact_id}", json={"position": "总经理"}, headers=OWNER)
    ).json()["pending_changes"]
    assert (await client.post(f"/pending-changes/{own['id']}/confirm", headers=OWNER)).status_code == 403
    monkeypatch.setattr(customer_settings(), "owner_may_reconfirm", True)
    assert (await client.post(f"/pending-changes/{own['id']}/confirm", headers=OWNER)).status_code == 200
    assert (await client.get(f"/customers/{cid}", headers=OWNER)).json()["contacts"][0]["position"] == "总经理"
