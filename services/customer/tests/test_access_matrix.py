"""R-09 BOLA matrix: every by-id route of the customer service, for the owner, a teammate, another team, a
teamless agent, a supervisor and a manager, on a fresh customer of the east team (servicekit.access_matrix)."""

from __future__ import annotations

from typing import Any

import pytest

from servicekit.access_matrix import OWNER, TEAM, Probe, assert_covers, run_matrix
from servicekit.testing import app_service, bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("customer_schema")]

SEE_UNMASKED = frozenset({"owner", "supervisor", "manager"})  # servicekit.access.sees_unmasked
ADMIN_CALLER = bearer("root", "admin")
_client: Any = None  # the matrix's client, for probes that prepare through the API
_add_customer: Any = None  # conftest's add_customer, from the new_customer fixture


async def customer() -> Any:
    return await _add_customer(owner=OWNER, team=TEAM)


def on_customer(suffix: str = "", body: Any = None) -> Probe:
    async def prepare() -> tuple[str, Any]:
        return f"/customers/{(await customer()).customer_id}{suffix}", body

    return Probe(prepare)


def on_contact(suffix: str = "", body: Any = None, **probe: Any) -> Probe:
    async def prepare() -> tuple[str, Any]:
        person = await customer()
        return f"/customers/{person.customer_id}/contacts/{person.contact_id}{suffix}", body

    return Probe(prepare, **probe)


async def merge() -> tuple[str, Any]:
    survivor, merged = await customer(), await customer()
    return f"/customers/{survivor.customer_id}/merge", {"merged_id": merged.customer_id}


async def import_job() -> tuple[str, Any]:
    started = await _client.post(
        "/imports",
        files={"file": ("c.csv", b"name\nMatrix Co\n")},
        params={"dry_run": "true"},
        headers=bearer(OWNER, "agent", team=TEAM),
    )
    assert started.status_code == 202, started.text
    return f"/imports/{started.json()['id']}", None


def segment(suffix: str = "", body: Any = None) -> Any:
    async def prepare() -> tuple[str, Any]:
        created = await _client.post(
            "/segments", json={"name": "matrix", "filters": {"tier": "high"}}, headers=bearer(OWNER, "agent", team=TEAM)
        )
        assert created.status_code == 201, created.text
        return f"/segments/{created.json()['id']}{suffix}", body

    return prepare


async def pending_change(action: str) -> tuple[str, Any]:
    person = await customer()
    requested = await _client.patch(
        f"/customers/{person.customer_id}/contacts/{person.contact_id}",
        json={"position": "采购总监"},
        headers=bearer("requester", "supervisor"),
    )
    [change] = requested.json()["pending_changes"]
    return f"/pending-changes/{change['id']}/{action}", {}


async def confirm() -> tuple[str, Any]:
    return await pending_change("confirm")


async def reject() -> tuple[str, Any]:
    return await pending_change("reject")


EVERYONE = frozenset({"owner", "teammate", "other_team", "teamless", "supervisor", "manager"})
AUTHOR_OR_ASSIGNERS = frozenset({"owner", "supervisor", "manager"})

PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/customers/{customer_id}"): on_customer(),
    ("PATCH", "/customers/{customer_id}"): on_customer(body={"address": "滨江区 2 号"}),
    ("PUT", "/customers/{customer_id}/tags"): on_customer("/tags", {"tags": ["vip"]}),
    ("POST", "/customers/{customer_id}/tags"): on_customer("/tags", {"tags": ["vip"]}),
    ("DELETE", "/customers/{customer_id}/tags/{tag}"): on_customer("/tags/vip"),
    ("PUT", "/customers/{customer_id}/risk"): on_customer("/risk", {"risk_state": "funds_tight", "reason": "late"}),
    ("GET", "/customers/{customer_id}/classification-history"): on_customer("/classification-history"),
    ("GET", "/customers/{customer_id}/duplicates"): on_customer("/duplicates"),
    ("POST", "/customers/{customer_id}/contacts"): on_customer("/contacts", {"name": "李四"}),
    # figures are entered by order handlers and managers: a supervisor is refused by role
    ("PUT", "/customers/{customer_id}/figures"): Probe(
        on_customer("/figures", {"orders_12m": 3}).prepare,
        allowed=frozenset({"owner", "teammate", "manager"}),
        roles=("order_handler",),
    ),
    # only a supervisor or manager reassigns
    ("PUT", "/customers/{customer_id}/owner"): Probe(
        on_customer("/owner", {"owner": "will", "team": TEAM}).prepare, allowed=frozenset({"supervisor", "manager"})
    ),
    ("POST", "/customers/{survivor_id}/merge"): Probe(merge, allowed=frozenset({"supervisor", "manager"})),
    # personal-data export and erasure: auditors and managers, managers
    ("GET", "/customers/{customer_id}/export"): Probe(on_customer("/export").prepare, allowed=frozenset({"manager"})),
    ("GET", "/customers/{customer_id}/contacts/{contact_id}/export"): on_contact(
        "/export", allowed=frozenset({"manager"})
    ),
    ("POST", "/customers/{customer_id}/erase"): Probe(
        on_customer("/erase", {"reason": "DSR-1"}).prepare, allowed=frozenset({"manager"})
    ),
    ("GET", "/customers/{customer_id}/contacts/{contact_id}/consents"): on_contact("/consents"),
    ("PUT", "/customers/{customer_id}/contacts/{contact_id}/consents"): on_contact(
        "/consents", [{"channel": "email", "purpose": "marketing", "granted": True, "source": "form"}]
    ),
    # changing or deleting contact data needs the right to see it unmasked: not a teammate
    ("PATCH", "/customers/{customer_id}/contacts/{contact_id}"): on_contact(
        "", {"phones": ["+8613900001111"]}, allowed=SEE_UNMASKED
    ),
    ("DELETE", "/customers/{customer_id}/contacts/{contact_id}"): on_contact("", allowed=SEE_UNMASKED),
    # the owner or a supervisor/manager confirms what someone else entered
    ("POST", "/pending-changes/{change_id}/confirm"): Probe(confirm, allowed=SEE_UNMASKED),
    ("POST", "/pending-changes/{change_id}/reject"): Probe(reject, allowed=SEE_UNMASKED),
    # an import job is its author's (no team): the author and the oversight roles
    ("GET", "/imports/{job_id}"): Probe(import_job, allowed=AUTHOR_OR_ASSIGNERS),
    # segments are shared definitions (filters, no customer data); members are filtered per caller (search tests)
    ("GET", "/segments/{segment_id}"): Probe(segment(), allowed=EVERYONE),
    ("GET", "/segments/{segment_id}/members"): Probe(segment("/members"), allowed=EVERYONE),
    ("PUT", "/segments/{segment_id}"): Probe(
        segment("", {"name": "matrix 2", "filters": {}}), allowed=AUTHOR_OR_ASSIGNERS
    ),
    ("DELETE", "/segments/{segment_id}"): Probe(segment(), allowed=AUTHOR_OR_ASSIGNERS),
}
EXEMPT: dict[tuple[str, str], str] = {}


def test_every_by_id_route_is_in_the_matrix() -> None:
    assert_covers(app_service("customer").app, PROBES, EXEMPT)


async def test_bola_matrix_r09(module_client, new_customer) -> None:
    global _client, _add_customer
    _client, _add_customer = module_client, new_customer
    await run_matrix(module_client, PROBES, bearer, service="customer")
