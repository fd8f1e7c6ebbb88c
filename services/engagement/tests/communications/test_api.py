"""Communication records (R-14) and their to-dos (R-15) through the API, on PostgreSQL and RabbitMQ: the seed's
sample rows (客户沟通记录表) entered and read back as the seed shows them; need changes published; bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from servicekit.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
MING = bearer("ming", "sales", team="east")
QIANG = bearer("qiang", "sales", team="east")
WEST = bearer("wang", "sales", team="west")
MANAGER = bearer("meg", "manager")


def local_date(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(SHANGHAI).date().isoformat()


async def test_the_seed_records_are_entered_and_read_back(client, service, register) -> None:
    a = await register(
        number="KH-2024001",
        customer_type="strategic",
        stage="cooperation",
        owner="ming",
        team="east",
        registered_at=datetime(2024, 1, 15, 2, 0, tzinfo=UTC),
    )
    b = await register(
        number="KH-2024002",
        customer_type="normal",
        stage="cooperation",
        owner="qiang",
        team="east",
        registered_at=datetime(2024, 3, 20, 2, 0, tzinfo=UTC),
    )
    service.clock.set(datetime(2024, 2, 20, 9, 0, tzinfo=UTC))  # entered the same day (R-14: within 24 h)
    first = await client.post(
        "/communications",
        headers=MING,
        json={
            "customer_id": a,
            "number": "JL-2024001",
            "happened_at": "2024-02-20T10:00:00+08:00",
            "channel": "phone",
            "subject": "系统使用反馈",
            "summary": "询问定制化系统运行情况，是否需要培训",
            "feedback": "运行稳定，希望增加数据导出功能",
            "need_changes": [{"kind": "tag", "value": "需增加数据导出模块"}],
            "todos": [{"title": "3个工作日内提供功能方案", "working_days": 3}],
            "next_follow_up_on": "2024-02-23",
        },
    )
    assert first.status_code == 201, first.text
    service.clock.set(datetime(2024, 4, 10, 9, 0, tzinfo=UTC))
    second = await client.post(
        "/communications",
        headers=QIANG,
        json={
            "customer_id": b,
            "number": "JL-2024002",
            "happened_at": "2024-04-10T14:00:00+08:00",
            "channel": "online_meeting",
            "subject": "合作续约沟通",
            "summary": "介绍新一年度服务套餐，询问续约意向",
            "feedback": "价格偏高，希望增加免费售后次数",
            "need_changes": [{"kind": "tag", "value": "争取更多售后资源"}],
            "todos": [{"title": "协调内部申请售后额度", "working_days": 3}],
            "next_follow_up_on": "2024-04-15",
        },
    )
    assert second.status_code == 201, second.text

    [jl1] = (await client.get("/communications?number=JL-2024001", headers=MANAGER)).json()["items"]
    assert (jl1["customer_id"], jl1["channel"], jl1["subject"], jl1["owner"]) == (a, "phone", "系统使用反馈", "ming")
    assert local_date(jl1["happened_at"]) == "2024-02-20"
    assert jl1["feedback"] == "运行稳定，希望增加数据导出功能"
    assert jl1["need_changes"] == [{"kind": "tag", "value": "需增加数据导出模块", "contact_id": None}]
    [todo] = jl1["todos"]
    assert (todo["title"], todo["status"], todo["owner"]) == ("3个工作日内提供功能方案", "open", "ming")
    assert local_date(todo["due_at"]) == "2024-02-23"  # three working days on the business calendar
    assert jl1["next_follow_up_on"] == "2024-02-23"
    assert jl1["late"] is False and jl1["entry_lag_seconds"] == 7 * 3600
    [jl2] = (await client.get(f"/communications?customer_id={b}", headers=QIANG)).json()["items"]
    assert (jl2["number"], jl2["channel"], local_date(jl2["todos"][0]["due_at"])) == (
        "JL-2024002",
        "online_meeting",
        "2024-04-15",
    )
    followups = (await client.get(f"/followups?customer_id={a}", headers=MING)).json()["items"]
    assert [f["kind"] for f in followups if f["rule"] == "R-14"] == ["next_follow_up"]
    assert local_date(next(f["due_at"] for f in followups if f["rule"] == "R-14")) == "2024-02-23"

    [need] = await outbox_events(service, jl1["id"], "communication.need_changed.v1")
    assert need["data"]["kind"] == "tag" and need["data"]["customer_id"] == a
    [last] = await outbox_events(service, a, "last_interaction.changed.v1")
    assert datetime.fromisoformat(last["data"]["last_interaction_at"]) == datetime(2024, 2, 20, 2, 0, tzinfo=UTC)
    # another team sees neither the record nor the customer
    assert (await client.get(f"/communications/{jl1['id']}", headers=WEST)).status_code == 404
    assert (await client.get(f"/communications?customer_id={a}", headers=WEST)).json()["items"] == []


async def test_a_to_do_closes_only_after_the_customer_was_informed(client, register) -> None:
    customer = await register(owner="ming", team="east")
    created = await client.post(
        "/todos", headers=MING, json={"customer_id": customer, "title": "寄送培训资料", "working_hours": 4}
    )
    assert created.status_code == 201, created.text
    todo = created.json()["id"]
    assert (await client.post(f"/todos/{todo}/resolve", headers=MING, json={"note": "资料已备好"})).status_code == 200
    early = await client.post(f"/todos/{todo}/close", headers=MING, json={})
    assert early.status_code == 409 and early.json()["error"]["code"] == "illegal_transition"
    assert (await client.post(f"/todos/{todo}/inform", headers=MING, json={})).json()["status"] == "informed"
    closed = await client.post(f"/todos/{todo}/close", headers=MING, json={})
    assert closed.json()["status"] == "closed"
    assert (await client.get(f"/todos/{todo}", headers=WEST)).status_code == 404


async def test_bad_input_names_the_field(client, register) -> None:
    customer = await register(owner="ming", team="east")
    base = {"customer_id": customer, "channel": "phone", "subject": "回访", "summary": "电话回访"}
    future = await client.post("/communications", headers=MING, json={**base, "happened_at": "2099-01-01T00:00:00Z"})
    assert (future.status_code, future.json()["error"]["field"]) == (422, "happened_at")
    no_due = await client.post(
        "/communications",
        headers=MING,
        json={**base, "happened_at": "2026-03-02T08:00:00Z", "todos": [{"title": "回电"}]},
    )
    assert (no_due.status_code, no_due.json()["error"]["field"]) == (422, "todos[0].due")
    unknown = await client.post(
        "/communications", headers=MING, json={**base, "customer_id": "nobody", "happened_at": "2026-03-02T08:00:00Z"}
    )
    assert unknown.status_code == 404
    channel = await client.post(
        "/communications", headers=MING, json={**base, "channel": "fax", "happened_at": "2026-03-02T08:00:00Z"}
    )
    assert (channel.status_code, channel.json()["error"]["field"]) == (422, "channel")
