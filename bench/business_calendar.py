"""Business calendar benchmark: ns per deadline, the year index against the period walk it replaced.

Prints, in one run: ns per deadline for 1 working hour, 6 and 30 working days on the new calendar
(servicekit.calendar) and on the old period-walking one (kept below as the baseline); the ratio 30 days / 1 hour
for the new one (aim <= 1.5) and the speed-up at 30 working days (aim >= 5x). With --recompute N it also times
the complaints service recomputing N open cases (three pauses each) after a calendar change, on PostgreSQL.

    .venv/bin/python bench/business_calendar.py [--rounds 20000] [--recompute 100000]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
from sla_evaluator import CASE_COLUMNS, PG_ADMIN_DSN  # the same bulk load of open cases (bench/ is on sys.path)

from servicekit.calendar.book import CalendarBook

SH = ZoneInfo("Asia/Shanghai")


@dataclass
class PeriodWalkCalendar:
    """The calendar before the year index (complaints/business_calendar.py): walks day by day, period by period."""

    periods: tuple[tuple[clock, clock], ...] = ((clock(9), clock(12)), (clock(13), clock(18)))
    weekdays: frozenset[int] = frozenset(range(5))
    _zone: ZoneInfo = SH
    _cache: dict = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            name = None
        if name is not None:
            return not is_holiday
        return day.weekday() in self.weekdays

    def working_periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        cached = self._cache.get(day)
        if cached is None:
            cached = (
                tuple(
                    (
                        datetime.combine(day, s, self._zone).astimezone(UTC),
                        datetime.combine(day, e, self._zone).astimezone(UTC),
                    )
                    for s, e in self.periods
                )
                if self.is_working_day(day)
                else ()
            )
            self._cache[day] = cached
        return cached

    def _walk(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = start.astimezone(self._zone).date()
        while True:
            for s, e in self.working_periods(day):
                if e > start:
                    yield max(s, start), e
            day += timedelta(days=1)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        remaining = duration
        for s, e in self._walk(start.astimezone(UTC)):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        raise AssertionError


def ns_per_deadline(calendar: object, starts: list[datetime], duration: timedelta) -> float:
    add = calendar.add_working_time  # type: ignore[attr-defined]
    for s in starts[:200]:
        add(s, duration)  # warm the caches and the year index
    began = time.perf_counter_ns()
    for s in starts:
        add(s, duration)
    return (time.perf_counter_ns() - began) / len(starts)


def calendar_figures(rounds: int) -> None:
    rng = random.Random(7)
    starts = [
        datetime(2026, 1, 5, tzinfo=SH) + timedelta(minutes=rng.randrange(0, 200 * 24 * 60)) for _ in range(rounds)
    ]
    new, old = CalendarBook().calendar("office"), PeriodWalkCalendar()
    sizes = {
        "1 working hour": timedelta(hours=1),
        "6 working days": 6 * new.working_day_length,
        "30 working days": 30 * new.working_day_length,
    }
    for s in starts[:500]:
        for d in sizes.values():
            assert new.add_working_time(s, d) == old.add_working_time(s, d)  # same results, or the figures are moot
    print(f"{'deadline':<18}{'index ns':>12}{'period walk ns':>17}{'speed-up':>10}")
    figures = {}
    for label, duration in sizes.items():
        n, o = ns_per_deadline(new, starts, duration), ns_per_deadline(old, starts, duration)
        figures[label] = n, o
        print(f"{label:<18}{n:>12,.0f}{o:>17,.0f}{o / n:>9.1f}x")
    one_hour, thirty = figures["1 working hour"][0], figures["30 working days"]
    print(f"ratio 30 working days / 1 working hour (index): {thirty[0] / one_hour:.2f}  (aim <= 1.5)")
    print(f"speed-up at 30 working days: {thirty[1] / thirty[0]:.1f}x  (aim >= 5x)")


# -- recompute after a calendar change ------------------------------------------------------------------------------

CLOCK_COLUMNS = ("case_id", "at", "kind", "target", "severity", "tier")
TARGET_COLUMNS = (
    "case_id",
    "target",
    "deadline",
    "state",
    "met_at",
    "next_check_at",
    "kind",
    "severity",
    "tier",
    "channel",
    "provisional",
)


def case_rows(count: int) -> tuple[list, list, list]:
    """Open complaints received in the last weeks of 2026, acknowledged, then three pauses each (waiting on the
    customer), so their working-day targets run into 2027, which nothing covers yet: every one is provisional."""
    rng = random.Random(5)
    cases, clocks, targets = [], [], []
    start = datetime(2026, 12, 14, 9, tzinfo=SH)
    for i in range(count):
        cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        received = start + timedelta(minutes=rng.randrange(0, 17 * 24 * 60))
        cases.append(
            (
                cid,
                f"TS{i:010d}",
                "complaint",
                "email",
                f"customer-{i % 20_000}",
                received,
                "bench",
                "normal",
                "mid",
                "investigating",
                "customer_service",
                f"agent{i % 200}",
                "team-1",
                1,
                "bench",
            )
        )
        acknowledged = received + timedelta(minutes=30)
        clocks += [
            (cid, received, "received", None, "normal", "mid"),
            (cid, acknowledged, "met", "first_response", None, None),
        ]
        at = acknowledged
        for _ in range(3):
            at += timedelta(hours=rng.randrange(1, 30))
            clocks.append((cid, at, "paused", None, None, None))
            at += timedelta(hours=rng.randrange(1, 30))
            clocks.append((cid, at, "resumed", None, None, None))
        deadline = received + timedelta(days=9)  # roughly; the recompute sets every deadline from the history
        row = ("complaint", "normal", "mid", "email")
        targets += [
            (cid, "first_response", received + timedelta(hours=1), "met", acknowledged, None, *row, False),
            (cid, "investigation_report", deadline, "on_track", None, deadline, *row, True),
            (cid, "resolution", deadline + timedelta(days=4), "on_track", None, deadline, *row, True),
        ]
    return cases, clocks, targets


def recompute_figures(count: int, batch_size: int | None) -> None:
    import asyncio
    import os

    import asyncpg

    import complaints
    from servicekit.migrations import upgrade

    name = f"crm_bench_calendar_{os.getpid()}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade(complaints.MIGRATIONS, url)
        asyncio.run(_recompute(url, url.replace("+asyncpg", ""), count, batch_size))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _recompute(url: str, dsn: str, count: int, batch_size: int | None) -> None:
    import asyncpg
    from sqlalchemy import func, select

    from complaints.calendar import scheduled
    from complaints.calendar import service as calendar_service
    from complaints.calendar.models import CalendarRecompute, calendar_book
    from complaints.models import SlaTargetRow, kit
    from servicekit.calendar.files import parse_schedule
    from servicekit.calendar.store import save_book
    from servicekit.db import Database
    from servicekit.outbox import Outbox

    cases, clocks, targets = case_rows(count)
    conn = await asyncpg.connect(dsn)
    began = time.perf_counter()
    await conn.execute("SET session_replication_role = replica")
    await conn.copy_records_to_table("cases", records=cases, columns=CASE_COLUMNS)
    await conn.copy_records_to_table("case_clock_events", records=clocks, columns=CLOCK_COLUMNS)
    await conn.copy_records_to_table("sla_targets", records=targets, columns=TARGET_COLUMNS)
    await conn.execute("VACUUM ANALYZE")
    await conn.close()
    print(f"loaded {count:,} open cases with 3 pauses each in {time.perf_counter() - began:.1f} s")

    db = Database(url, service="complaints")
    db.session_info.update(outbox=Outbox("complaints", kit.outbox), kit_tables=kit)
    text = (Path(__file__).parents[1] / "docs" / "examples" / "calendar-2027.example.yaml").read_text(encoding="utf-8")
    schedule = parse_schedule(text)
    now = datetime(2026, 12, 31, 18, tzinfo=SH)
    db.clock.set(now)
    calendar_service.install(db)  # as the service does at start: recompute_due reloads it

    async def start_recompute(version: int, book: CalendarBook | None = None) -> None:
        async with db.session() as session:
            if book is not None:
                await save_book(session, calendar_book, book, now)
            session.add(
                CalendarRecompute(
                    id=str(uuid.uuid4()),
                    version=version,
                    reason="bench",
                    requested_by="bench",
                    requested_at=now,
                    state="pending",
                    next_run_at=now,
                )
            )

    await start_recompute(0)  # settle the loaded (approximate) deadlines on today's calendar, untimed
    settled = await scheduled.recompute_due(db, batch_size=batch_size)
    print(f"settled {settled:,} cases on the calendar without 2027")
    await start_recompute(1, CalendarBook().with_year_schedule(2027, schedule.days, entered_by="bench", entered_at=now))
    began, cpu = time.perf_counter(), time.process_time()
    done = await scheduled.recompute_due(db, batch_size=batch_size)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    async with db.session() as session:
        job = await session.scalar(select(CalendarRecompute).where(CalendarRecompute.version == 1))
        left = await session.scalar(select(func.count()).where(SlaTargetRow.provisional.is_(True)))
    await db.dispose()
    assert job is not None and job.state == "done" and done == count
    print(
        f"recompute after entering 2027: {count:,} open cases in {seconds:.1f} s ({count / seconds:,.0f} cases/s, "
        f"CPU {cpu:.1f} s in this process), {job.moved:,} moved, {left} still provisional  (aim < 60 s)"
    )


def main() -> None:
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings")  # model_construct'ed events
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20_000)
    parser.add_argument("--recompute", type=int, default=0, help="open cases to recompute after a calendar change")
    parser.add_argument("--batch-size", type=int, default=None, help="cases per recompute transaction (default 500)")
    args = parser.parse_args()
    calendar_figures(args.rounds)
    if args.recompute:
        recompute_figures(args.recompute, args.batch_size)


if __name__ == "__main__":
    main()
