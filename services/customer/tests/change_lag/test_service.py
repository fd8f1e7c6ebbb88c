"""R-06 change lag: measured from when a change became known to its entry; late entries are counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from servicekit.testing import bearer

pytestmark = pytest.mark.integration

AGENT = bearer("alice", "agent", team="east")


def sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_change_lag_is_measured_and_late_entries_counted(client, create_customer, audit_rows) -> None:
    cid = (await create_customer(client))["id"]
    late_before = sample("crm_customer_changes_entered_late_total", {"kind": "contact"})
    count_before = sample("crm_customer_change_lag_seconds_count", {"kind": "contact"})
    day_bucket_before = sample("crm_customer_change_lag_seconds_bucket", {"kind": "contact", "le": "86400.0"})
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    await client.post(f"/customers/{cid}/contacts", json={"name": "赵六", "learned_at": two_days_ago}, headers=AGENT)
    await client.post(f"/customers/{cid}/contacts", json={"name": "钱七"}, headers=AGENT)
    assert sample("crm_customer_changes_entered_late_total", {"kind": "contact"}) == late_before + 1
    assert sample("crm_customer_change_lag_seconds_count", {"kind": "contact"}) == count_before + 2
    assert (
        sample("crm_customer_change_lag_seconds_bucket", {"kind": "contact", "le": "86400.0"}) == day_bucket_before + 1
    )
    learned = [a.details["learned_at"][:19] for a in await audit_rows(cid) if a.action == "contact_added"]
    assert learned[0] == two_days_ago[:19] and learned[1] > two_days_ago[:19]  # kept for the audit
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    refused = await client.delete(f"/customers/{cid}/contacts/whatever", params={"learned_at": future}, headers=AGENT)
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "learned_at")
