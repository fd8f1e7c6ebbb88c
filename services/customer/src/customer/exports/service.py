"""Customer exports: the filtered list as CSV or XLSX, in the import file's columns.

One row per contact (a customer without contacts has one row). Phones, emails and birthdays are masked unless
the caller may see that customer's contact data (R-09, `privacy.rules.sees_contact_data`); an export that held
unmasked data leaves an audit row. Cells a spreadsheet would run as formulas are quoted (`servicekit.spreadsheets`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import AsyncIterator, Iterable

from customer.audit import service as audit
from customer.contacts import service as contacts
from customer.imports.rules import COLUMNS
from customer.privacy import rules as privacy
from customer.records.models import Customer
from customer.search.schemas import CustomerFilters
from customer.search.service import stream
from servicekit.auth import Principal
from servicekit.db import Database
from servicekit.spreadsheets import safe_row

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def rows_of(customer: Customer, principal: Principal) -> Iterable[list[str]]:
    base = {column: getattr(customer, column, None) for column in COLUMNS}
    base["tags"] = ", ".join(customer.tags or [])
    unmasked = privacy.sees_contact_data(principal, owner=customer.owner)
    people = [contacts.present(contact, unmasked=unmasked) for contact in customer.contacts] or [None]
    for person in people:
        row = dict(base)
        if person:
            row.update(
                contact_name=person["name"],
                position=person["position"],
                birthday=person["birthday"],
                phone="; ".join(p["value"] or "" for p in person["phones"]),
                email="; ".join(e["value"] or "" for e in person["emails"]),
            )
        # cells that a spreadsheet would run as formulas are quoted (OWASP CSV injection)
        yield safe_row("" if row[column] is None else str(row[column]) for column in COLUMNS)


async def _rows(db: Database, principal: Principal, filters: CustomerFilters) -> AsyncIterator[list[list[str]]]:
    # its own session: the response streams after the request's transaction has committed
    async with db.session() as session:
        exported = unmasked = 0
        async for page in stream(session, principal, filters):
            exported += len(page)
            unmasked += sum(1 for c in page if c.contacts and privacy.sees_contact_data(principal, owner=c.owner))
            yield [row for customer in page for row in rows_of(customer, principal)]
        if unmasked:  # unmasked contact data left the system
            audit.record(
                session,
                principal,
                "export",
                customers=exported,
                unmasked_customers=unmasked,
                filters=filters.model_dump(mode="json", exclude_defaults=True),
            )


async def csv_chunks(db: Database, principal: Principal, filters: CustomerFilters) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM, so Excel opens Chinese text correctly; the import reads it back."""
    yield codecs.BOM_UTF8 + _csv([list(COLUMNS)])
    async for rows in _rows(db, principal, filters):
        yield _csv(rows)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def xlsx_bytes(db: Database, principal: Principal, filters: CustomerFilters) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("customers")
    sheet.append(list(COLUMNS))
    async for rows in _rows(db, principal, filters):
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
