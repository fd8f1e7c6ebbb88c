"""R-32 monthly review: last month's closed cases by department and person, in JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from complaints.cases.models import Case
from complaints.compensations.models import Compensation
from complaints.settings import complaints_settings
from complaints.sla.models import SlaTargetRow
from servicekit.spreadsheets import safe_cell

COLUMNS = (
    "department",
    "owner",
    "closed",
    "resolved_within_sla",
    "timeliness",
    "reopened",
    "unfounded",
    "compensation_total",
)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month in the company's time zone, as UTC instants."""
    tz = ZoneInfo(complaints_settings().calendar_time_zone)
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    end = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


async def monthly_review(session: AsyncSession, month: date) -> list[dict[str, object]]:
    start, end = month_bounds(month)
    cases = (await session.scalars(select(Case).where(Case.closed_at >= start, Case.closed_at < end))).all()
    ids = [c.id for c in cases]
    resolution = (
        {
            row.case_id: row.state
            for row in (
                await session.scalars(
                    select(SlaTargetRow).where(SlaTargetRow.case_id.in_(ids), SlaTargetRow.target == "resolution")
                )
            ).all()
        }
        if ids
        else {}
    )
    money: dict[str, Decimal] = defaultdict(Decimal)
    if ids:
        for comp in (
            await session.scalars(
                select(Compensation).where(Compensation.case_id.in_(ids), Compensation.state == "approved")
            )
        ).all():
            money[comp.case_id] += Decimal(comp.amount)
    groups: dict[tuple[str, str], dict[str, object]] = {}
    for case in cases:
        key = (case.department, case.owner or "-")
        row = groups.setdefault(
            key,
            {
                "department": key[0],
                "owner": key[1],
                "closed": 0,
                "resolved_within_sla": 0,
                "reopened": 0,
                "unfounded": 0,
                "compensation_total": Decimal("0"),
            },
        )
        row["closed"] += 1  # type: ignore[operator]
        row["resolved_within_sla"] += int(resolution.get(case.id) == "met")  # type: ignore[operator]
        row["reopened"] += int(case.close_outcome == "rejected")  # type: ignore[operator]
        row["unfounded"] += int(case.close_outcome == "unfounded")  # type: ignore[operator]
        row["compensation_total"] += money[case.id]  # type: ignore[operator]
    for row in groups.values():
        row["timeliness"] = round(int(row["resolved_within_sla"]) / int(row["closed"]), 4)  # type: ignore[arg-type]
        row["compensation_total"] = str(row["compensation_total"])
    return [groups[key] for key in sorted(groups)]


def to_csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    # department and person names are typed by people: quoted where a spreadsheet would run them (OWASP)
    writer.writerows({column: safe_cell(value) for column, value in row.items()} for row in rows)
    return out.getvalue()
