"""R-09 the auditors' query over the audit log: filters, pages, and who may ask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

OWNER = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")
AUDITOR = bearer("audrey", "auditor")
ADMIN = bearer("root", "admin")
CONSENT = {"channel": "email", "purpose": "care", "granted": True, "source": "web form"}


async def test_auditors_page_through_the_audit_log_with_filters(client, person) -> None:
    consents = f"/customers/{person.customer_id}/contacts/{person.contact_id}/consents"
    for granted in (True, False, True):
        await client.put(consents, json=[{**CONSENT, "granted": granted}], headers=OWNER)
    url = f"/audit?customer_id={person.customer_id}&action=consent&limit=2"
    first = (await client.get(url, headers=AUDITOR)).json()
    assert [e["details"]["granted"] for e in first["items"]] == [True, False]  # newest first
    second = (await client.get(f"{url}&cursor={first['next_cursor']}", headers=AUDITOR)).json()
    assert [e["details"]["granted"] for e in second["items"]] == [True]
    assert second["next_cursor"] is None
    entry = first["items"][0]
    assert (entry["actor"], entry["contact_id"], entry["details"]["channel"]) == ("alice", person.contact_id, "email")

    by_actor = (await client.get(f"/audit?customer_id={person.customer_id}&actor=nobody", headers=ADMIN)).json()
    assert by_actor["items"] == []
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert (await client.get(f"/audit?customer_id={person.customer_id}&since={later}", headers=AUDITOR)).json()[
        "items"
    ] == []
    earlier = (await client.get(f"/audit?customer_id={person.customer_id}&until={later}", headers=AUDITOR)).json()
    assert len(earlier["items"]) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=2026-01-01T00:00:00", "since"),
        ("until=yesterday", "until"),
        ("limit=0", "limit"),
        ("cursor=abc", "cursor"),
    ],
)
async def test_bad_audit_query_is_422(client, query, field) -> None:
    response = await client.get(f"/audit?{query}", headers=AUDITOR)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


async def test_only_auditors_and_admins_query_the_audit_log(client) -> None:
    for headers in (OWNER, MANAGER, bearer("sue", "supervisor"), bearer("vp", "vice_president")):
        assert (await client.get("/audit", headers=headers)).status_code == 403
    assert (await client.get("/audit")).status_code == 401
