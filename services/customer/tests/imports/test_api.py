"""Customer imports through POST /imports and the background job, on PostgreSQL."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import func, select

from customer.app import service
from customer.contacts.models import ContactPoint
from customer.records.models import Customer
from servicekit.pii import blind_index
from servicekit.testing import bearer, eventually

pytestmark = pytest.mark.integration

EAST = bearer("alice", "agent", team="east")
HEADER = "name,industry,tier,tags,contact_name,position,phone,email,birthday\n"


@pytest.fixture
def client(module_client):
    return module_client


async def run_import(client, data: bytes, file_name: str = "customers.csv", **params) -> dict:
    response = await client.post("/imports", files={"file": (file_name, data)}, params=params, headers=EAST)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/imports/{job_id}"

    async def finished():
        body = (await client.get(f"/imports/{job_id}", headers=EAST)).json()
        return body if body["status"] in ("done", "failed") else None

    job = await eventually(finished, timeout=30)
    assert job, "the import job did not finish"
    return job


async def count_named(tag: str) -> int:
    async with service.db.session() as session:
        return await session.scalar(select(func.count()).select_from(Customer).where(Customer.name.contains(tag)))


def phone_for(tag: str, n: int) -> str:
    return f"+86139{(int(tag, 16) + n) % 10**8:08d}"


def good_csv(tag: str) -> str:
    return (
        HEADER
        + f'杭州西湖{tag}科技,软件,high,"vip,东区",张三,采购经理,{phone_for(tag, 1)},zs{tag}@example.com,1985-03-04\n'
        + f"杭州西湖{tag}科技,,,,李四,财务,,ls{tag}@example.com,\n"
        + f"Acme {tag} Ltd,manufacturing,,,John,,{phone_for(tag, 2)},,\n"
    )


async def test_import_creates_customers_with_contacts_events_and_progress_100(client) -> None:
    tag = uuid.uuid4().hex[:6]
    job = await run_import(client, good_csv(tag).encode())
    assert (job["status"], job["total_rows"], job["processed_rows"], job["percent"]) == ("done", 3, 3, 100.0)
    assert (job["created"], job["updated"], job["unchanged"], job["errors"]) == (2, 0, 0, [])
    async with service.db.session() as session:
        customer = await session.scalar(select(Customer).where(Customer.name == f"杭州西湖{tag}科技"))
        assert customer.tier == "high" and customer.tags == ["vip", "东区"] and customer.number.startswith("KH-")
        assert sorted(c.name for c in customer.contacts) == ["张三", "李四"]
        assert [c.primary for c in customer.contacts].count(True) == 1
        hit = await session.scalar(
            select(ContactPoint.customer_id).where(ContactPoint.value_index == blind_index(phone_for(tag, 1)))
        )
        assert hit == customer.id
        outbox = service.tables.outbox
        types = (await session.scalars(select(outbox.c.event_type).where(outbox.c.aggregate_id == customer.id))).all()
    assert {"customer.registered.v1", "customer.contacts_changed.v1", "customer.tags_changed.v1"} <= set(types)


async def test_the_same_file_twice_creates_nothing_new(client) -> None:
    tag = uuid.uuid4().hex[:6]
    data = good_csv(tag).encode()
    first = await run_import(client, data)
    second = await run_import(client, data)
    assert first["created"] == 2
    assert (second["status"], second["created"], second["updated"], second["unchanged"]) == ("done", 0, 0, 2)
    assert await count_named(tag) == 2


async def test_dry_run_reports_and_writes_nothing(client) -> None:
    tag = uuid.uuid4().hex[:6]
    job = await run_import(client, good_csv(tag).encode(), dry_run="true")
    assert (job["status"], job["dry_run"], job["created"]) == ("done", True, 2)
    assert await count_named(tag) == 0


def bad_csv(tag: str) -> str:
    return (
        good_csv(tag)
        + f"Bad {tag} One,,platinum,,王五,,12345,,\n"
        + f"Bad {tag} Two,,,,赵六,,,not-an-email,1990-13-40\n"
        + ",,,,,,,,\n"
    )


async def test_bad_rows_fail_the_whole_file_with_row_field_and_message(client) -> None:
    tag = uuid.uuid4().hex[:6]
    job = await run_import(client, bad_csv(tag).encode())
    assert job["status"] == "failed" and job["created"] == 0
    found = {(e["row"], e["field"]) for e in job["errors"]}
    assert found == {(5, "tier"), (5, "phone"), (6, "email"), (6, "birthday")}
    assert all(e["message"] for e in job["errors"])
    assert await count_named(tag) == 0  # nothing written


async def test_import_valid_rows_imports_the_good_ones_and_reports_the_bad(client) -> None:
    tag = uuid.uuid4().hex[:6]
    job = await run_import(client, bad_csv(tag).encode(), import_valid_rows="true")
    assert (job["status"], job["created"], job["total_rows"], job["percent"]) == ("done", 2, 5, 100.0)
    assert {e["row"] for e in job["errors"]} == {5, 6}
    assert await count_named(tag) == 2


async def test_gb18030_csv_utf8_bom_and_xlsx_with_chinese_text(client) -> None:
    from openpyxl import Workbook

    for encoding in ("gb18030", "utf-8-sig"):
        tag = uuid.uuid4().hex[:6]
        job = await run_import(client, good_csv(tag).encode(encoding))
        assert (job["status"], job["created"]) == ("done", 2), encoding
        assert await count_named(f"西湖{tag}") == 1
    tag = uuid.uuid4().hex[:6]
    book = Workbook()
    sheet = book.active
    for line in good_csv(tag).splitlines():
        sheet.append(next(iter(__import__("csv").reader([line]))))
    sheet.append(
        [f"深圳{tag}电子", None, None, None, "钱七", None, 13912345678, None, None]
    )  # a phone typed as a number
    buffer = io.BytesIO()
    book.save(buffer)
    job = await run_import(client, buffer.getvalue(), file_name="客户.xlsx")
    assert (job["status"], job["created"], job["errors"]) == ("done", 3, [])
    assert await count_named(f"深圳{tag}电子") == 1


async def test_unknown_columns_and_unreadable_files_fail_clearly(client) -> None:
    job = await run_import(client, b"name,colour\nA,red\n")
    assert job["status"] == "failed" and job["errors"][0]["field"] == "file" and "colour" in job["errors"][0]["message"]
    job = await run_import(client, b"PK\x03\x04 not really a workbook", file_name="x.xlsx")
    assert job["status"] == "failed" and job["errors"][0]["field"] == "file"


async def test_duplicates_of_existing_customers_are_reported(client) -> None:
    tag = uuid.uuid4().hex[:6]
    existing = (
        await client.post(
            "/customers",
            headers=EAST,
            json={
                "name": f"Existing {tag}",
                "team": "east",
                "contacts": [{"name": "A", "phones": [phone_for(tag, 7)]}],
            },
        )
    ).json()
    data = HEADER + f"Another name {tag},,,,B,,{phone_for(tag, 7)},,\n  Existing {tag} ,,,,,,,,\n"
    job = await run_import(client, data.encode())
    reasons = {(d["row"], d["reason"], d["customer_id"]) for d in job["duplicates"]}
    assert reasons == {(2, "same_phone", existing["id"]), (3, "similar_name", existing["id"])}
    json.dumps(job)


async def test_only_working_roles_may_import(client) -> None:
    response = await client.post(
        "/imports", files={"file": ("c.csv", b"name\nA\n")}, headers=bearer("v", "vice_president")
    )
    assert response.status_code == 403


async def test_imported_customers_get_an_owner_and_the_importers_team_r09(client) -> None:
    tag = uuid.uuid4().hex[:6]
    data = f"name,owner,team\nOwn {tag} A,,\nOwn {tag} B,bob,\nOwn {tag} C,,west\n".encode()
    job = await run_import(client, data, import_valid_rows="true")
    # an agent may not hand a customer to someone else or another team: those rows are refused
    assert {(e["row"], e["field"]) for e in job["errors"]} == {(3, "owner"), (4, "owner")}
    async with service.db.session() as session:
        rows = (await session.execute(select(Customer.owner, Customer.team).where(Customer.name.contains(tag)))).all()
    assert rows == [("alice", "east")]  # no owner rule matched: the importer and the importer's team
