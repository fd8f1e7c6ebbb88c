"""The one shape of every scheduled pass here: claim a batch of due rows per transaction until a batch comes back
short, then record how long the pass took and when it last finished (the heartbeat alert reads it)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from engagement.cadences.metrics import PASS_HEARTBEAT, PASS_SECONDS
from servicekit.db import Database


async def in_batches(
    name: str, db: Database, batch_size: int, work: Callable[[AsyncSession], Awaitable[tuple[int, int]]]
) -> int:
    """`work(session)` claims at most `batch_size` rows and returns (claimed, counted); the counts are summed."""
    started = time.perf_counter()
    total = 0
    while True:
        async with db.session() as session:
            claimed, counted = await work(session)
        total += counted
        if claimed < batch_size:
            break
    PASS_SECONDS.labels(name).observe(time.perf_counter() - started)
    PASS_HEARTBEAT.labels(name).set(time.time())
    return total
