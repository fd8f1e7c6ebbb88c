"""Customer imports: upload a CSV or XLSX file, then follow its job."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from customer.imports import jobs
from customer.imports.models import ImportJob
from servicekit import access, clock
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.db import after_commit
from servicekit.errors import ApiError, error_responses, not_found
from servicekit.fields import Identifier
from servicekit.runtime import DbSession

router = APIRouter(tags=["imports"])

Writer = Annotated[Principal, require_roles(Role.agent, Role.sales, Role.supervisor, Role.manager)]
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


@router.post("/imports", status_code=202, responses=error_responses(413))
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
    job = jobs.new_job(
        principal,
        file.filename or "upload",
        data,
        dry_run=dry_run,
        import_valid_rows=import_valid_rows,
        created_at=clock.now(session),
    )
    session.add(job)
    db = request.app.state.service.db
    after_commit(session, lambda: jobs.start(db, job.id, principal))  # the runner must see the committed row
    response.headers["Location"] = f"/imports/{job.id}"
    return jobs.view(job)


@router.get("/imports/{job_id}")
async def get_import(job_id: Identifier, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    job = await session.get(ImportJob, job_id)
    if job is None or not access.sees_record(principal, owner=job.created_by, team=None):
        raise not_found("import", job_id)
    return jobs.view(job)
