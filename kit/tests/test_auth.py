"""Staff tokens: signed, pinned algorithm, audience, issuer, expiry; roles enforced as dependencies."""

from __future__ import annotations

import time
from typing import Annotated

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient

from servicekit.auth import Principal, Role, mint_token, require_roles, sees_account, verify_token
from servicekit.errors import ApiError, install_error_handlers
from servicekit.settings import common_settings
from servicekit.testing import signed_claims
from servicekit.tokens import dev_signing_key


def _claims(**overrides: object) -> dict[str, object]:
    settings = common_settings()
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "alice",
        "roles": ["agent"],
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 60,
    }
    claims.update(overrides)
    return claims


def test_minted_token_gives_typed_principal() -> None:
    principal = verify_token(mint_token("alice", ["agent", "supervisor"], team="east"))
    assert principal == Principal("alice", frozenset({Role.agent, Role.supervisor}), "east")


def _public_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization

    _, key = dev_signing_key()
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (signed_claims(_claims(exp=int(time.time()) - 60)), "expired"),
        (signed_claims(_claims(aud="someone-else")), "audience"),
        (signed_claims(_claims(iss="evil")), "issuer"),
        (signed_claims(_claims(), key=Ed25519PrivateKey.generate()), "another key, same key id"),
        (signed_claims(_claims(), key=Ed25519PrivateKey.generate(), kid="other"), "unknown key id"),
        (signed_claims(_claims(), algorithm="HS256", key=_public_pem()), "HS256 made with the public key"),
        (signed_claims(_claims(), algorithm="HS256", key=b"a-different-secret-of-sufficient-length-xx"), "hmac"),
        (jwt.encode(_claims(), None, algorithm="none"), "algorithm"),
        (signed_claims(_claims(roles=["emperor"])), "role"),
        ("not-a-token", "malformed"),
    ],
)
def test_bad_tokens_are_refused(token: str, reason: str) -> None:
    with pytest.raises(ApiError) as refused:
        verify_token(token)
    assert refused.value.status == 401, reason


def test_tampered_payload_is_refused() -> None:
    header, payload, signature = mint_token("alice", ["agent"]).split(".")
    forged = jwt.utils.base64url_encode(b'{"sub":"alice","roles":["admin"]}').decode()
    with pytest.raises(ApiError):
        verify_token(f"{header}.{forged}.{signature}")


def _app() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/managers-only")
    async def managers_only(principal: Annotated[Principal, require_roles(Role.manager)]) -> dict[str, str]:
        return {"sub": principal.subject}

    return TestClient(app)


def test_role_dependency_answers_401_403_200() -> None:
    client = _app()
    missing = client.get("/managers-only")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthenticated"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.get("/managers-only", headers={"Authorization": f"Bearer {mint_token('a', ['agent'])}"})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    right = client.get("/managers-only", headers={"Authorization": f"Bearer {mint_token('m', ['manager'])}"})
    assert right.status_code == 200
    assert right.json() == {"sub": "m"}
    admin = client.get("/managers-only", headers={"Authorization": f"Bearer {mint_token('root', ['admin'])}"})
    assert admin.status_code == 200


def test_account_visibility_r09() -> None:
    agent_east = Principal("alice", frozenset({Role.agent}), "east")
    assert sees_account(agent_east, owner=None, team="east")
    assert sees_account(agent_east, owner="alice", team="west")
    assert not sees_account(agent_east, owner=None, team=None)  # no team: supervisors and above only
    assert not sees_account(agent_east, owner="bob", team="west")
    supervisor = Principal("sue", frozenset({Role.supervisor}), "north")
    assert sees_account(supervisor, owner="bob", team="west")
