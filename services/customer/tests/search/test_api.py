"""Partial/fuzzy name search (Chinese and Latin), filters, cursor pages, R-09 visibility,
merged records hidden, exact phone/email lookup through the blind index."""

from __future__ import annotations

import uuid

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

EAST = bearer("alice", "agent", team="east")
WEST = bearer("bob", "agent", team="west")
MANAGER = bearer("meg", "manager")


@pytest.fixture
def client(module_client):
    return module_client


async def create(client, name: str, headers=EAST, **fields) -> dict:
    response = await client.post("/customers", json={"name": name, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def names(client, headers=EAST, **params) -> list[str]:
    response = await client.get("/customers", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


async def test_partial_and_fuzzy_name_search_in_chinese_and_latin(client) -> None:
    tag = uuid.uuid4().hex[:6]
    await create(client, f"杭州西湖{tag}科技有限公司", team="east")
    await create(client, f"Shanghai {tag} Trading Co", team="east")
    await create(client, f"北京朝阳{tag}贸易", team="east")
    assert await names(client, q=f"西湖{tag}") == [f"杭州西湖{tag}科技有限公司"]
    assert await names(client, q=f"SHANGHAI {tag}") == [f"Shanghai {tag} Trading Co"]  # case-folded
    # a typo ("Shanghia") and a missing character still find it (pg_trgm word similarity)
    assert f"Shanghai {tag} Trading Co" in await names(client, q=f"Shanghia {tag} Trading")
    assert f"杭州西湖{tag}科技有限公司" in await names(client, q=f"杭州西湖{tag}科技公司")
    assert await names(client, q=f"nothing-like-{tag}") == []


async def test_search_pages_with_a_cursor_in_similarity_order(client) -> None:
    tag = uuid.uuid4().hex[:6]
    created = {(await create(client, f"Paging {tag} {i:02d}", team="east"))["id"] for i in range(5)}
    seen, cursor = [], None
    while True:
        params = {"q": f"paging {tag}", "limit": 2} | ({"cursor": cursor} if cursor else {})
        body = (await client.get("/customers", params=params, headers=EAST)).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5 and set(seen) == created


async def test_filters_tags_classification_and_plain_pages(client) -> None:
    tag = uuid.uuid4().hex[:6]
    a = await create(client, f"Filter {tag} A", team="east", tier="high", tags=[f"vip{tag}", f"east{tag}"])
    b = await create(client, f"Filter {tag} B", team="east", tier="low", tags=[f"vip{tag}"])
    await create(client, f"Filter {tag} C", team="east", tier="low")
    assert await names(client, q=f"filter {tag}", tier="high") == [a["name"]]
    assert set(await names(client, tags_any=f"vip{tag}")) == {a["name"], b["name"]}
    assert await names(client, tags_all=[f"vip{tag}", f"EAST{tag}"]) == [a["name"]]  # tags are case-folded
    pages, cursor = [], None
    while True:
        body = (
            await client.get(
                "/customers",
                params={"limit": 1, "tags_any": f"vip{tag}"} | ({"cursor": cursor} if cursor else {}),
                headers=EAST,
            )
        ).json()
        pages += body["items"]
        if not (cursor := body["next_cursor"]):
            break
    assert [p["number"] for p in pages] == sorted([a["number"], b["number"]])


async def test_bad_filters_are_422_naming_the_field(client) -> None:
    for params, field in (
        ({"tier": "gold"}, "tier"),
        ({"colour": "red"}, "colour"),
        ({"cursor": "zz"}, "cursor"),
        ({"last_contact_before": "2026-01-01T00:00:00"}, "last_contact_before"),
    ):
        response = await client.get("/customers", params=params, headers=EAST)
        assert response.status_code == 422, params
        assert response.json()["error"]["field"] == field


async def test_another_teams_customers_never_appear(client) -> None:
    tag = uuid.uuid4().hex[:6]
    phone = f"+86137{int(tag, 16) % 10**8:08d}"
    await create(
        client,
        f"Secret {tag} West",
        headers=bearer("wes", "manager"),
        team="west",
        owner="wes",
        contacts=[{"name": "王五", "phones": [phone]}],
    )
    assert await names(client, EAST, q=f"secret {tag}") == []
    assert await names(client, WEST, q=f"secret {tag}") == [f"Secret {tag} West"]
    assert await names(client, MANAGER, q=f"secret {tag}") == [f"Secret {tag} West"]
    assert (await client.get("/customers/lookup", params={"phone": phone}, headers=EAST)).json()["items"] == []
    assert len((await client.get("/customers/lookup", params={"phone": phone}, headers=WEST)).json()["items"]) == 1


async def test_lookup_by_phone_in_another_format_and_by_email(client) -> None:
    tag = uuid.uuid4().hex[:6]
    phone = f"+86139{int(tag, 16) % 10**8:08d}"
    email = f"{tag}@Example.com"
    created = await create(  # owned by sam: alice, in the team, sees the contacts masked
        client,
        f"Lookup {tag}",
        headers=MANAGER,
        owner="sam",
        team="east",
        contacts=[{"name": "张三", "phones": [phone], "emails": [email]}],
    )
    spaced = f"{phone[3:6]} {phone[6:10]} {phone[10:]}"
    for params in ({"phone": spaced}, {"phone": phone}, {"email": email.upper()}):
        items = (await client.get("/customers/lookup", params=params, headers=MANAGER)).json()["items"]
        assert [item["id"] for item in items] == [created["id"]], params
        assert items[0]["contacts"][0]["phones"][0]["value"] == phone  # a manager sees it unmasked
    masked = (await client.get("/customers/lookup", params={"phone": spaced}, headers=EAST)).json()["items"]
    assert masked[0]["contact_data_masked"] and "****" in masked[0]["contacts"][0]["phones"][0]["value"]
    bad = await client.get("/customers/lookup", params={"phone": "12"}, headers=EAST)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "phone"


async def test_list_pages_with_a_cursor_without_gaps_or_repeats(client) -> None:
    created = {
        (await client.post("/customers", json={"name": f"Page {i}", "team": "paging"}, headers=MANAGER)).json()["id"]
        for i in range(7)
    }
    pager = bearer("pat", "agent", team="paging")
    seen: list[str] = []
    cursor = None
    while True:
        url = "/customers?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=pager)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert created <= set(seen)
    assert len(seen) == len(set(seen))
    assert (await client.get("/customers?cursor=garbage", headers=pager)).json()["error"]["field"] == "cursor"
