"""Import job runner: an asyncio task inside the service, one transaction per chunk.

Without `import_valid_rows` a file with any bad row writes nothing (job `failed`, full report). Progress and
counts are updated in the same transaction as the chunk they describe, so they never run ahead of the data.
A job a restart interrupted is marked failed with a message saying so (`scheduled.recovery`); importing the same file
again is safe, because rows match their customers by import key.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

from customer.imports import rules, service
from customer.imports.models import ImportJob
from servicekit.auth import Principal
from servicekit.db import Database
from servicekit.settings import common_settings

log = logging.getLogger("customer.imports")

CHUNK_ROWS = 1000
WRITERS = 2
_running: dict[str, asyncio.Task[None]] = {}


def upload_dir() -> Path:
    path = common_settings().var_dir / "customer-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_job(
    principal: Principal, file_name: str, data: bytes, *, dry_run: bool, import_valid_rows: bool, created_at: datetime
) -> ImportJob:
    job = ImportJob(
        id=str(uuid.uuid4()),
        status="queued",
        file_name=file_name[:300],
        file_format=rules.detect_format(file_name, data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        import_valid_rows=import_valid_rows,
        total_rows=0,
        processed_rows=0,
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        error_count=0,
        errors=[],
        duplicates=[],
        created_by=principal.subject,
        team=principal.team,
        created_at=created_at,
    )
    (upload_dir() / job.id).write_bytes(data)
    return job


def start(db: Database, job_id: str, principal: Principal) -> asyncio.Task[None]:
    """Run the job in the background of this process (call once its row is committed)."""
    task = asyncio.create_task(run(db, job_id, principal), name=f"import-{job_id}")
    _running[job_id] = task
    task.add_done_callback(lambda _: _running.pop(job_id, None))
    return task


def running_job_ids() -> list[str]:
    """The jobs this process is running now."""
    return list(_running)


def view(job: ImportJob) -> dict[str, Any]:
    percent = (
        100.0
        if job.status == "done"
        else (round(100.0 * job.processed_rows / job.total_rows, 1) if job.total_rows else 0.0)
    )
    return {
        "id": job.id,
        "status": job.status,
        "file_name": job.file_name,
        "file_format": job.file_format,
        "dry_run": job.dry_run,
        "import_valid_rows": job.import_valid_rows,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": percent,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "error_count": job.error_count,
        "errors": job.errors,
        "duplicates": job.duplicates,
        "created_by": job.created_by,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


async def run(db: Database, job_id: str, principal: Principal) -> None:
    path = upload_dir() / job_id
    try:
        await _run(db, job_id, principal, path)
    except Exception as exc:
        log.exception("import failed", extra={"job_id": job_id})
        await _finish(
            db,
            job_id,
            "failed",
            errors=[{"row": None, "field": None, "message": f"import stopped: {type(exc).__name__}"}],
        )
    finally:
        path.unlink(missing_ok=True)


async def _run(db: Database, job_id: str, principal: Principal, path: Path) -> None:
    async with db.session() as session:
        job = await session.get(ImportJob, job_id)
        assert job is not None
        job.status = "running"
        file_format, dry_run, valid_rows = job.file_format, job.dry_run, job.import_valid_rows
    try:
        rows = await asyncio.to_thread(rules.read_table, path.read_bytes(), file_format)
    except rules.ImportFileError as exc:
        await _finish(db, job_id, "failed", errors=[{"row": None, "field": "file", "message": str(exc)}])
        return
    plan = await asyncio.to_thread(rules.validate, rows)
    errors = list(plan.errors)
    await _progress(db, job_id, total_rows=plan.total_rows, errors=errors)
    if errors and not valid_rows:
        await _finish(db, job_id, "failed")  # nothing written: the report lists every bad row
        return
    await _progress(db, job_id, processed_rows=plan.bad_rows)
    numbering = _numbering(db)
    writers = asyncio.Semaphore(WRITERS)

    async def write(chunk: list[rules.Group]) -> None:
        async with writers, db.session() as session:
            result = await service.write_chunk(
                session, principal, chunk, dry_run=dry_run, job_id=job_id, numbering=numbering
            )
            job = await session.get(ImportJob, job_id, with_for_update=True)  # chunks finish in any order
            assert job is not None
            job.processed_rows += sum(len(group.rows) for group in chunk)
            job.created_count += result.created
            job.updated_count += result.updated
            job.unchanged_count += result.unchanged
            if result.errors:
                job.errors = [*job.errors, *result.errors]
                job.error_count = len(job.errors)
            if result.duplicates and len(job.duplicates) < service.MAX_DUPLICATES:
                job.duplicates = [*job.duplicates, *result.duplicates][: service.MAX_DUPLICATES]

    chunks = [plan.groups[i : i + CHUNK_ROWS] for i in range(0, len(plan.groups), CHUNK_ROWS)]
    # two chunks in flight: one computes while the other waits for PostgreSQL
    results = await asyncio.gather(*(write(chunk) for chunk in chunks), return_exceptions=True)
    failure = next((r for r in results if isinstance(r, BaseException)), None)
    if failure is not None:
        raise failure
    await _finish(db, job_id, "done")


def _numbering(db: Database) -> service.Numbering:
    """Number blocks in short transactions of their own, so side-by-side chunks do not queue on the counter row.
    A chunk that fails after taking its block leaves a gap; numbers stay unique (R-01)."""

    async def allocate(count: int) -> list[str]:
        async with db.session() as session:
            return await service.allocate_numbers(session, count)

    return allocate


async def _progress(db: Database, job_id: str, **values: Any) -> None:
    if "errors" in values:
        values["error_count"] = len(values["errors"])
    async with db.session() as session:
        await session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


async def _finish(db: Database, job_id: str, status: str, **values: Any) -> None:
    values.update(status=status, finished_at=db.clock())
    if status == "done":
        values["processed_rows"] = ImportJob.total_rows
    await _progress(db, job_id, **values)
