"""R-09 checks on the customer service: forged, tampered and expired tokens are refused (401);
no personal contact data in any log line, error paths included."""

from __future__ import annotations

import base64
import io
import json
import logging
import time

import pytest

from servicekit.auth import mint_token
from servicekit.logs import JsonFormatter
from servicekit.settings import common_settings
from servicekit.testing import bearer, signed_claims

pytestmark = pytest.mark.integration

MANAGER = bearer("meg", "manager")


def claims(**overrides: object) -> dict:
    settings = common_settings()
    now = int(time.time())
    return {
        "sub": "meg",
        "roles": ["admin"],
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
        **overrides,
    }


def signed(payload: dict, secret: str | None = None) -> str:
    if secret:  # an HMAC token: never accepted, whatever the secret
        return signed_claims(payload, algorithm="HS256", key=secret.encode())
    return signed_claims(payload)


def alg_none(payload: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


def tampered_signature() -> str:
    head, body, signature = mint_token("meg", ["admin"]).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{head}.{body}.{flipped}"


def elevated_payload() -> str:
    """Roles swapped in the payload, the original signature kept."""
    head, _, signature = mint_token("eve", ["agent"]).split(".")
    body = base64.urlsafe_b64encode(json.dumps(claims(sub="eve")).encode()).rstrip(b"=").decode()
    return f"{head}.{body}.{signature}"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(tampered_signature(), id="signature-changed"),
        pytest.param(elevated_payload(), id="payload-changed"),
        pytest.param(alg_none(claims()), id="alg-none"),
        pytest.param(signed(claims(), secret="another-secret-that-is-long-enough-for-hs256"), id="wrong-key"),
        pytest.param(signed(claims(aud="someone-else")), id="wrong-audience"),
        pytest.param(signed(claims(iss="evil-gateway")), id="wrong-issuer"),
        pytest.param(signed(claims(iat=int(time.time()) - 3600, exp=int(time.time()) - 60)), id="expired"),
        pytest.param(signed({k: v for k, v in claims().items() if k != "exp"}), id="no-expiry"),
        pytest.param(signed(claims(roles=["emperor"])), id="unknown-role"),
        pytest.param("not-a-jwt", id="garbage"),
    ],
)
async def test_bad_tokens_are_refused_with_401(client, person, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    urls = [
        ("get", "/audit"),
        ("get", f"/customers/{person.customer_id}/contacts/{person.contact_id}/export"),
        ("get", f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"),
        ("get", f"/customers/{person.customer_id}"),
    ]
    for method, url in urls:
        response = await client.request(method, url, headers=headers)
        assert response.status_code == 401, (url, response.text)
        assert response.json()["error"]["code"] == "unauthenticated"
        assert person.phone not in response.text


async def test_a_good_token_still_passes(client, person) -> None:
    assert (await client.get("/audit", headers=MANAGER)).status_code == 403
    assert (await client.get("/audit", headers={"Authorization": f"Bearer {signed(claims())}"})).status_code == 200


async def test_no_contact_data_in_any_log_line(client, person) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("customer"))
    records: list[logging.LogRecord] = []
    collector = logging.Handler()
    collector.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    base = f"/customers/{person.customer_id}/contacts/{person.contact_id}"
    try:
        # reads that return decrypted data, and error paths whose input carries the values
        assert (await client.get(f"{base}/export", headers=MANAGER)).status_code == 200
        bad = [{"channel": person.phone, "purpose": person.email, "granted": True, "source": person.email}]
        assert (await client.put(f"{base}/consents", json=bad, headers=MANAGER)).status_code == 422
        assert (await client.get(f"/audit?actor={person.email}&since={person.phone}", headers=MANAGER)).status_code in (
            403,
            422,
        )
        assert (
            await client.get(f"/customers/{person.phone}/contacts/{person.email}/export", headers=MANAGER)
        ).status_code == 404
        assert (
            await client.put(f"{base}/consents", content=f'[{{"source": "{person.phone}"', headers=MANAGER)
        ).status_code == 422
        # through the contact API: a valid create, and a 422 on an invalid phone next to a valid email
        contact = {
            "name": "张三",
            "phones": [{"number": person.phone}],
            "emails": [{"address": person.email}],
            "birthday": person.birthday,
        }
        created = await client.post(
            "/customers", json={"name": "Log check Ltd", "contacts": [contact]}, headers=MANAGER
        )
        assert created.status_code == 201, created.text
        invalid = {**contact, "phones": [{"number": person.phone[:-6]}]}
        rejected = await client.post(
            "/customers", json={"name": "Log check Ltd", "contacts": [invalid]}, headers=MANAGER
        )
        assert rejected.status_code == 422
        assert rejected.json()["error"]["field"].startswith("contacts[0].phones[0]")
    finally:
        root.removeHandler(handler)
        root.removeHandler(collector)
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert lines, "the requests were logged"
    # what the service itself logged must hold no values even before the formatter's redaction;
    # httpx is the test's own client, whose lines the formatter redacts
    raw = [f"{r.getMessage()} {vars(r)}" for r in records if r.name != "httpx"]
    for text in (*lines, *raw):
        for value in (person.phone, person.phone.removeprefix("+86"), person.phone[:-6], person.email, person.birthday):
            assert value not in text


async def test_a_non_owner_sees_masked_contact_data_and_another_team_sees_nothing(client, person) -> None:
    same_team = await client.get(f"/customers/{person.customer_id}", headers=bearer("eve", "agent", team="east"))
    assert same_team.status_code == 200
    for value in (person.phone, person.email, person.birthday):
        assert value not in same_team.text
    owner = await client.get(f"/customers/{person.customer_id}", headers=bearer("alice", "agent", team="east"))
    assert person.phone in owner.text and person.email in owner.text
    other_team = bearer("bob", "agent", team="west")
    base = f"/customers/{person.customer_id}"
    for method, url, body in (
        ("get", base, None),
        ("get", f"{base}/contacts/{person.contact_id}/consents", None),
        (
            "put",
            f"{base}/contacts/{person.contact_id}/consents",
            [{"channel": "sms", "purpose": "care", "granted": True, "source": "x"}],
        ),
    ):
        response = await client.request(method, url, json=body, headers=other_team)
        assert response.status_code == 404, url
        assert person.phone not in response.text and "张三" not in response.text
    for url, body in ((f"{base}/contacts/{person.contact_id}/export", None), (f"{base}/erase", {"reason": "x"})):
        response = await client.request("get" if body is None else "post", url, json=body, headers=other_team)
        assert response.status_code == 403
