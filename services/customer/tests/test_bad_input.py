"""Bad input is a 422 naming the field, never a 503 (the cases schemathesis found: a language longer than its
column, null in a figures field, a cursor beyond any integer, a NUL byte in a name or a query parameter)."""

from __future__ import annotations

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

ADMIN = bearer("ada", "admin", team="east")


@pytest.fixture
def client(module_client):
    return module_client


async def a_customer(client) -> str:
    created = await client.post("/customers", json={"name": "边界测试公司", "team": "east"}, headers=ADMIN)
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "零\x00字节"}, "name"),
        ({"name": "x", "language": "zh-Hans-CN-x-longer"}, "language"),
        ({"name": "x", "industry": "i" * 101}, "industry"),
        ({"name": "x", "contacts": [{"name": "张\x00三"}]}, "contacts[0].name"),
        ({"name": "x", "time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
async def test_a_customer_field_beyond_its_column_is_422(client, body, field) -> None:
    response = await client.post("/customers", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"orders_12m": None}, "orders_12m"),
        ({"complaints_12m": 2**40}, "complaints_12m"),
        ({"orders_12m": True}, "orders_12m"),
    ],
)
async def test_figures_refuse_null_and_numbers_beyond_their_column(client, body, field) -> None:
    response = await client.put(f"/customers/{await a_customer(client)}/figures", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


async def test_query_parameters_and_segment_names_are_bounded(client) -> None:
    huge = await client.get("/audit", params={"cursor": str(2**70)}, headers=ADMIN)
    assert (huge.status_code, huge.json()["error"]["field"]) == (422, "cursor")
    nul = await client.get("/customers", params={"q": "a\x00b"}, headers=ADMIN)
    assert (nul.status_code, nul.json()["error"]["field"]) == (422, "q")
    segment = await client.post("/segments", json={"name": "s\x00", "filters": {}}, headers=ADMIN)
    assert (segment.status_code, segment.json()["error"]["field"]) == (422, "name")
    number = await client.get("/audit", params={"until": "0.5"}, headers=ADMIN)
    assert (number.status_code, number.json()["error"]["field"]) == (422, "until")
