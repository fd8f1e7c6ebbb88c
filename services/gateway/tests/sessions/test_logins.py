"""Logins end to end on PostgreSQL: log in, call a service through the door, refresh, reuse -> chain revoked;
lockout and recovery; logout and sign-out-everywhere; every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from gateway_helpers import PASSWORD, add_staff, log_in, unique

from servicekit.clock import utcnow
from servicekit.testing import bearer

pytestmark = pytest.mark.integration


async def test_log_in_call_through_the_door_refresh_and_reuse_revokes_the_chain(door) -> None:
    login = unique("alice")
    await add_staff(door, login, "agent", team="east")
    logged_in = await log_in(door, login)
    assert logged_in.status_code == 200, logged_in.text
    tokens = logged_in.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] <= 900
    cookie = logged_in.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/auth" in cookie

    created = await door.client.post(
        "/api/customer/customers",
        json={"name": "经由网关有限公司"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "经由网关有限公司"

    first = tokens["refresh_token"]
    refreshed = await door.client.post("/auth/refresh", json={"refresh_token": first})
    assert refreshed.status_code == 200
    second = refreshed.json()["refresh_token"]
    assert second != first
    again = await door.client.get("/staff/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
    assert again.json()["login"] == login

    reused = await door.client.post("/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "invalid_refresh_token"
    # the whole chain is gone: the newest link, never used, is refused too
    assert (await door.client.post("/auth/refresh", json={"refresh_token": second})).status_code == 401

    trail = await door.client.get(f"/auth/audit?login={login}", headers=bearer("aud", "auditor"))
    actions = [entry["action"] for entry in trail.json()]
    assert {"login", "refresh_reuse", "session_revoked"} <= set(actions)


async def test_browsers_refresh_with_the_cookie_and_log_out(door) -> None:
    login = unique("bob")
    await add_staff(door, login)
    logged_in = await log_in(door, login)
    door.client.cookies.set("crm_refresh", logged_in.json()["refresh_token"], path="/auth")
    refreshed = await door.client.post("/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    door.client.cookies.set("crm_refresh", refreshed.json()["refresh_token"], path="/auth")
    assert (await door.client.post("/auth/logout")).status_code == 204
    door.client.cookies.set("crm_refresh", refreshed.json()["refresh_token"], path="/auth")
    assert (await door.client.post("/auth/refresh")).status_code == 401
    door.client.cookies.clear()


async def test_wrong_passwords_lock_the_account_from_that_address_then_it_recovers(door) -> None:
    login = unique("carol")
    await add_staff(door, login)
    guesser = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(3):  # the free attempts
        wrong = await door.client.post("/auth/login", json={"login": login, "password": "nope"}, headers=guesser)
        assert wrong.status_code == 401
    wrong = await door.client.post("/auth/login", json={"login": login, "password": "nope"}, headers=guesser)
    assert wrong.status_code == 401
    # locked from the guesser's address, the right password included
    locked = await door.client.post("/auth/login", json={"login": login, "password": PASSWORD}, headers=guesser)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"
    assert int(locked.headers["retry-after"]) >= 1
    # the real user, elsewhere, is not locked out by the stranger
    elsewhere = await door.client.post(
        "/auth/login", json={"login": login, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.2"}
    )
    assert elsewhere.status_code == 200
    # after the window, the guesser's address may try again
    door.service.clock.set(utcnow() + timedelta(hours=2))
    recovered = await door.client.post("/auth/login", json={"login": login, "password": PASSWORD}, headers=guesser)
    assert recovered.status_code == 200
    trail = await door.client.get(f"/auth/audit?login={login}", headers=bearer("aud", "auditor"))
    assert {"login_failed", "lockout", "login_throttled"} <= {entry["action"] for entry in trail.json()}


async def test_a_stranger_guessing_from_many_addresses_slows_the_account_for_minutes_only(door) -> None:
    from gateway.settings import gateway_settings

    login = unique("dave")
    await add_staff(door, login)
    for n in range(30):
        await door.client.post(
            "/auth/login", json={"login": login, "password": "x"}, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        )
    locked = await door.client.post(
        "/auth/login", json={"login": login, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.9"}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) <= gateway_settings().account_lock_max_seconds


async def test_malformed_login_bodies_name_the_field(door) -> None:
    missing = await door.client.post("/auth/login", json={"login": "x"})
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "password"
    extra = await door.client.post("/auth/login", json={"login": "x", "password": "y", "admin": True})
    assert extra.status_code == 422 and extra.json()["error"]["field"] == "admin"


async def test_sign_out_everywhere_and_disable_end_every_session(door) -> None:
    login = unique("erin")
    await add_staff(door, login)
    sessions = [(await log_in(door, login)).json()["refresh_token"] for _ in range(2)]
    signed_out = await door.client.post(f"/staff/{login}/sign-out-everywhere", headers=bearer("root", "admin"))
    assert signed_out.status_code == 204
    for token in sessions:
        assert (await door.client.post("/auth/refresh", json={"refresh_token": token})).status_code == 401
    assert (
        await door.client.post(f"/staff/{login}/sign-out-everywhere", headers=bearer("eve", "agent"))
    ).status_code == 403
    token = (await log_in(door, login)).json()["refresh_token"]
    assert (await door.client.post(f"/staff/{login}/disable", headers=bearer("root", "admin"))).status_code == 200
    assert (await door.client.post("/auth/refresh", json={"refresh_token": token})).status_code == 401
    assert (await log_in(door, login)).status_code == 401
