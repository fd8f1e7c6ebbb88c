"""Routes for finding customers (search, lookup, segments) and moving data (import, export, merge). Issue 3 pts 6-8."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from customer import duplicates, exporting, jobs, merging, records, search, segments
from customer.models import ImportJob
from customer.phones import normalise_email, normalise_phone
from customer.schemas import CustomerDetail, CustomerPage
from customer.settings import customer_settings
from servicekit.auth import ALL_ACCOUNTS, CurrentPrincipal, Principal, Role, require_roles
from servicekit.db import after_commit
from servicekit.errors import ApiError, not_found
from servicekit.pii import blind_index
from servicekit.runtime import DbSession

router = APIRouter()

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]
Merger = Annotated[Principal, require_roles(Role.supervisor, Role.manager)]
SegmentEditor = Annotated[Principal, require_roles(Role.marketing, Role.sales, Role.agent, Role.supervisor, Role.manager)]
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


# --- search and lookup ---------------------------------------------------------------------------------

@router.get("/customers", response_model=CustomerPage, tags=["customers"])
async def list_customers(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> object:
    filters = _filters(request)
    items, next_cursor = await search.get_all(session, principal, limit=limit, cursor=cursor, filters=filters)
    return {"items": items, "next_cursor": next_cursor}


def _filters(request: Request) -> search.CustomerFilters:
    """The search filters from the query string (lists: repeat the parameter, e.g. tags_any=a&tags_any=b)."""
    params = request.query_params
    raw: dict[str, Any] = {k: v for k, v in params.items() if k not in ("limit", "cursor", "format")}
    for name in ("tags_any", "tags_all"):
        if name in params:
            raw[name] = [tag for value in params.getlist(name) for tag in value.split(",")]
    return search.parse_filters(raw)


class Matches(BaseModel):
    items: list[CustomerDetail]


@router.get("/customers/lookup", response_model=Matches, tags=["customers"])
async def lookup(session: DbSession, principal: CurrentPrincipal, phone: str | None = None, email: str | None = None) -> object:
    """Exact match on a phone or email in any common format ('138 1234 5678' finds +8613812345678)."""
    if (phone is None) == (email is None):
        raise ApiError(422, "validation_error", "give exactly one of phone or email", field="phone")
    try:
        kind, value = ("phone", normalise_phone(phone, customer_settings().phone_region)) if phone else (
            "email", normalise_email(email or ""))
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"{'phone' if phone else 'email'}: {exc}", field="phone" if phone else "email") from None
    found = await search.lookup(session, principal, kind=kind, value_index=blind_index(value))
    return {"items": [records.view(session, principal, customer) for customer in found]}


# --- duplicates and merging ----------------------------------------------------------------------------

@router.get("/customers/{customer_id}/duplicates", tags=["customers"])
async def likely_duplicates(customer_id: str, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    customer = await records.get(session, principal, customer_id)
    points = [point for contact in customer.contacts for point in contact.points]
    found = await duplicates.find_likely(
        session, name=customer.name, exclude_id=customer.id,
        phone_indexes=[p.value_index for p in points if p.kind == "phone"],
        email_indexes=[p.value_index for p in points if p.kind == "email"],
    )
    return {"items": await search.only_visible(session, principal, found)}


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    merged_id: str


@router.post("/customers/{survivor_id}/merge", response_model=CustomerDetail, tags=["customers"])
async def merge(survivor_id: str, body: MergeIn, session: DbSession, principal: Merger) -> object:
    survivor = await merging.merge(session, principal, survivor_id, body.merged_id)
    return records.view(session, principal, survivor)


# --- import and export ---------------------------------------------------------------------------------

@router.post("/imports", status_code=202, tags=["imports"])
async def start_import(
    request: Request,
    response: Response,
    session: DbSession,
    principal: Writer,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, with or without BOM, or GB18030) or XLSX")],
    dry_run: bool = False,
    import_valid_rows: bool = False,
) -> dict[str, Any]:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ApiError(422, "validation_error", "file: empty", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "too_large", f"file: larger than {MAX_UPLOAD_BYTES // 2**20} MiB; split it", field="file")
    job = jobs.new_job(principal, file.filename or "upload", data, dry_run=dry_run, import_valid_rows=import_valid_rows)
    session.add(job)
    db = request.app.state.service.db
    after_commit(session, lambda: jobs.start(db, job.id, principal))  # the runner must see the committed row
    response.headers["Location"] = f"/imports/{job.id}"
    return jobs.view(job)


@router.get("/imports/{job_id}", tags=["imports"])
async def get_import(job_id: str, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    job = await session.get(ImportJob, job_id)
    if job is None or not (job.created_by == principal.subject or principal.has_any(*ALL_ACCOUNTS)):
        raise not_found("import", job_id)
    return jobs.view(job)


@router.get("/exports/customers", tags=["exports"])
async def export_customers(
    request: Request, principal: CurrentPrincipal, format: Literal["csv", "xlsx"] = "csv"
) -> Response:
    filters = _filters(request)
    db = request.app.state.service.db
    name = f'attachment; filename="customers.{format}"'
    if format == "xlsx":
        body = await exporting.xlsx_bytes(db, principal, filters)
        return Response(body, media_type=exporting.MEDIA_TYPES["xlsx"], headers={"Content-Disposition": name})
    return StreamingResponse(
        exporting.csv_chunks(db, principal, filters), media_type=exporting.MEDIA_TYPES["csv"],
        headers={"Content-Disposition": name},
    )


# --- segments ------------------------------------------------------------------------------------------

@router.post("/segments", status_code=201, tags=["segments"])
async def create_segment(body: segments.SegmentIn, session: DbSession, principal: SegmentEditor) -> dict[str, Any]:
    return segments.view(await segments.create(session, principal, body))


@router.get("/segments", tags=["segments"])
async def list_segments(session: DbSession, _: CurrentPrincipal) -> dict[str, Any]:
    return {"items": [segments.view(s) for s in await segments.get_list(session)]}


@router.get("/segments/{segment_id}", tags=["segments"])
async def get_segment(segment_id: str, session: DbSession, _: CurrentPrincipal) -> dict[str, Any]:
    return segments.view(await segments.get(session, segment_id))


@router.put("/segments/{segment_id}", tags=["segments"])
async def replace_segment(segment_id: str, body: segments.SegmentIn, session: DbSession, principal: SegmentEditor) -> dict[str, Any]:
    return segments.view(await segments.replace(session, principal, segment_id, body))


@router.delete("/segments/{segment_id}", status_code=204, tags=["segments"])
async def delete_segment(segment_id: str, session: DbSession, principal: SegmentEditor) -> Response:
    await segments.delete(session, principal, segment_id)
    return Response(status_code=204)


@router.get("/segments/{segment_id}/members", tags=["segments"])
async def segment_members(
    segment_id: str,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    cursor: str | None = None,
) -> dict[str, Any]:
    items, next_cursor = await segments.members(session, principal, segment_id, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}
