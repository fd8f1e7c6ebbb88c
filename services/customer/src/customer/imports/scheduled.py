"""Import jobs a restart interrupted are failed with a message saying so, once, at start-up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import update

from customer.imports.jobs import running_job_ids
from customer.imports.models import ImportJob
from servicekit.db import Database

INTERRUPTED = (
    "the service restarted while this import ran; import the same file again"
    " (rows already written are matched, not duplicated)"
)


def recovery(db: Database) -> Callable[[], Awaitable[None]]:
    """A start-up job: fail, clearly, the imports a previous process left queued or running."""
    done = False

    async def recover() -> None:
        nonlocal done
        if done:
            return
        async with db.session() as session:
            query = (
                update(ImportJob)
                .where(ImportJob.status.in_(("queued", "running")), ImportJob.id.not_in(running_job_ids() or [""]))
                .values(
                    status="failed",
                    finished_at=db.clock(),
                    errors=[{"row": None, "field": None, "message": INTERRUPTED}],
                    error_count=1,
                )
            )
            await session.execute(query)
        done = True

    return recover
