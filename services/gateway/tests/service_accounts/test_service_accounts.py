"""Service accounts: client id + secret -> a token with the account's roles only; 403 anywhere else."""

from __future__ import annotations

import pytest
from gateway_helpers import unique

from servicekit.testing import bearer

pytestmark = pytest.mark.integration


async def test_a_service_account_limited_to_one_role_gets_403_elsewhere(door) -> None:
    client_id = unique("orders-sync")
    created = await door.client.post(
        "/service-accounts", json={"client_id": client_id, "roles": ["order_handler"]}, headers=bearer("root", "admin")
    )
    assert created.status_code == 201, created.text
    secret = created.json()["client_secret"]
    issued = await door.client.post(
        "/auth/token", json={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert issued.status_code == 200, issued.text
    assert issued.json()["refresh_token"] is None
    headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    # the customer service's audit trail is for auditors: a 403 from the service itself, through the door
    assert (await door.client.get("/api/customer/audit", headers=headers)).status_code == 403
    # and the gateway's own admin API
    assert (await door.client.get("/staff", headers=headers)).status_code == 403
    wrong = await door.client.post(
        "/auth/token", json={"grant_type": "client_credentials", "client_id": client_id, "client_secret": "nope"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_client"
    admin = await door.client.post(
        "/service-accounts", json={"client_id": unique("x"), "roles": ["admin"]}, headers=bearer("root", "admin")
    )
    assert admin.status_code == 422 and admin.json()["error"]["field"] == "roles"
