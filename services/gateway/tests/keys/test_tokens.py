"""Tokens no service can forge: another key, `alg: none`, HS256 made with the public key, expired -> 401 at the
door and at a service called directly; rotation keeps sessions alive; the key set carries public keys only."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway_helpers import add_staff, log_in, unique

from servicekit.testing import bearer, service_client, signed_claims, token_claims

pytestmark = pytest.mark.integration


def _public_pem(jwks: dict) -> bytes:
    key = jwt.PyJWK(jwks["keys"][0]).key
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _bad_tokens(jwks: dict) -> dict[str, str]:
    kid = jwks["keys"][0]["kid"]
    return {
        "another key": signed_claims(token_claims(), key=Ed25519PrivateKey.generate(), kid=kid),
        "alg none": jwt.encode(token_claims(), None, algorithm="none", headers={"kid": kid}),
        "HS256 with the public key": signed_claims(token_claims(), algorithm="HS256", key=_public_pem(jwks), kid=kid),
        "expired": signed_claims(token_claims(iat=int(time.time()) - 3600, exp=int(time.time()) - 120)),
    }


async def test_forged_tokens_get_401_at_the_door_and_at_the_service(door) -> None:
    jwks = (await door.client.get("/.well-known/jwks.json")).json()
    assert jwks["keys"] and all("d" not in key for key in jwks["keys"])  # no private part, ever
    async with service_client("customer") as customer:
        for name, token in _bad_tokens(jwks).items():
            headers = {"Authorization": f"Bearer {token}"}
            at_door = await door.client.get("/api/customer/customers", headers=headers)
            assert at_door.status_code == 401, name
            assert at_door.json()["error"]["code"] == "unauthenticated", name
            direct = await customer.get("/customers", headers=headers)
            assert direct.status_code == 401, name
    # the door refused them itself: none reached the service
    assert not door.upstreams.calls


async def test_key_rotation_keeps_sessions_alive(door) -> None:
    login = unique("frank")
    await add_staff(door, login, "agent")
    before = (await log_in(door, login)).json()
    old_kid = jwt.get_unverified_header(before["access_token"])["kid"]
    rotated = await door.client.post("/keys/rotate", headers=bearer("root", "admin"))
    assert rotated.status_code == 200
    new_kid = rotated.json()["kid"]
    assert new_kid != old_kid
    kids = {key["kid"] for key in (await door.client.get("/.well-known/jwks.json")).json()["keys"]}
    assert {old_kid, new_kid} <= kids  # the old key still verifies until its tokens expired
    old_token = {"Authorization": f"Bearer {before['access_token']}"}
    assert (await door.client.get("/api/customer/customers", headers=old_token)).status_code == 200
    refreshed = (await door.client.post("/auth/refresh", json={"refresh_token": before["refresh_token"]})).json()
    assert jwt.get_unverified_header(refreshed["access_token"])["kid"] == new_kid
    new_token = {"Authorization": f"Bearer {refreshed['access_token']}"}
    assert (await door.client.get("/api/customer/customers", headers=new_token)).status_code == 200
    assert (await door.client.post("/keys/rotate", headers=bearer("eve", "agent"))).status_code == 403
