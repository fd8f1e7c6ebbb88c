"""Bad input is a 4xx naming the field, never a 503: a NUL byte in template text, a cursor or an inbox id beyond
any integer, an unsubscribe link that does not verify."""

from __future__ import annotations

import pytest

from servicekit.testing import bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

MANAGER = bearer("meg", "manager")


async def test_template_text_with_a_nul_byte_is_422(client) -> None:
    response = await client.put("/templates/brand_new/zh", json={"text": "a\x00b", "purpose": "care"}, headers=MANAGER)
    assert (response.status_code, response.json()["error"]["field"]) == (422, "text")


async def test_numbers_beyond_a_bigint_are_422(client) -> None:
    cursor = await client.get("/inbox", params={"cursor": str(2**63)}, headers=MANAGER)
    assert (cursor.status_code, cursor.json()["error"]["field"]) == (422, "cursor")
    item = await client.post(f"/inbox/{2**80}/read", headers=MANAGER)
    assert (item.status_code, item.json()["error"]["field"]) == (422, "item_id")


async def test_a_nul_byte_in_a_query_parameter_is_422(client) -> None:
    response = await client.get("/messages", params={"staff": "a\x00"}, headers=MANAGER)
    assert (response.status_code, response.json()["error"]["field"]) == (422, "staff")


async def test_a_forged_unsubscribe_link_is_400_in_the_error_shape(client) -> None:
    response = await client.post("/unsubscribe/forged")
    assert response.status_code == 400 and response.json()["error"]["field"] == "token"
