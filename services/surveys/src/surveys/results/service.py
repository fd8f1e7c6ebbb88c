"""Results (R-34, R-51): CSAT, NPS and response rate per period, segment and question; staff evaluations per
staff member, item and month, each principal seeing only whom R-51 lets them see. The latest revision counts."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Principal
from servicekit.errors import ApiError
from surveys.customers.models import CustomerView
from surveys.invitations.models import Invitation
from surveys.questionnaires import service as questionnaires
from surveys.responses.models import Response
from surveys.results import rules
from surveys.results.schemas import QuestionFigures, Scorecard, StaffItemFigures, Summary


def month_bounds(month: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise ApiError(422, "validation_error", "month: expected YYYY-MM", field="month") from None
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


def _segment(query: Select, customer_column: object, tier: str | None, customer_type: str | None) -> Select:  # type: ignore[type-arg]
    if tier or customer_type:
        query = query.join(CustomerView, CustomerView.customer_id == customer_column)
        if tier:
            query = query.where(CustomerView.tier == tier)
        if customer_type:
            query = query.where(CustomerView.customer_type == customer_type)
    return query


async def summary(
    session: AsyncSession,
    *,
    month: str,
    kind: str | None = None,
    campaign_id: str | None = None,
    tier: str | None = None,
    customer_type: str | None = None,
) -> Summary:
    start, end = month_bounds(month)
    responses = select(Response.questionnaire_key, Response.questionnaire_version, Response.scores).where(
        Response.first_responded_at >= start, Response.first_responded_at < end
    )
    invitations = (
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.status != "skipped", Invitation.created_at >= start, Invitation.created_at < end)
    )
    for column_r, column_i, value in (
        (Response.kind, Invitation.kind, kind),
        (Response.campaign_id, Invitation.campaign_id, campaign_id),
    ):
        if value:
            responses, invitations = responses.where(column_r == value), invitations.where(column_i == value)
    responses = _segment(responses, Response.customer_id, tier, customer_type)
    invitations = _segment(invitations, Invitation.customer_id, tier, customer_type)
    rows = (await session.execute(responses)).all()
    invited = await session.scalar(invitations) or 0
    overall = rules.Tally()
    by_question: dict[str, rules.Tally] = defaultdict(rules.Tally)
    kinds_of: dict[tuple[str, int], dict[str, str]] = {}
    for key, version, scores in rows:
        if (key, version) not in kinds_of:
            definition = await questionnaires.definition(session, key, version)
            kinds_of[(key, version)] = {q.key: str(q.kind) for s in definition.sections for q in s.questions}
        kinds = kinds_of[(key, version)]
        for question, value in scores.items():
            overall.add(kinds.get(question, ""), value)
            by_question[question].add(kinds.get(question, ""), value)
    return Summary(
        period=month,
        invitations=invited,
        responses=len(rows),
        response_rate=rules.response_rate(len(rows), invited),
        overall=overall.figures(),  # type: ignore[arg-type]
        questions=[QuestionFigures(question=q, **t.figures()) for q, t in sorted(by_question.items())],  # type: ignore[arg-type]
    )


async def scorecard(session: AsyncSession, principal: Principal, *, month: str) -> Scorecard:
    """R-33/R-51: per staff member and item, the month's staff evaluations, within what the principal may see."""
    start, end = month_bounds(month)
    scope = rules.scorecard_scope(principal.subject, [str(r) for r in principal.roles], principal.team)
    query = select(Response.rated_staff, Response.rated_team, Response.scores).where(
        Response.kind == "staff_evaluation",
        Response.rated_staff.is_not(None),
        Response.first_responded_at >= start,
        Response.first_responded_at < end,
    )
    if scope.staff is not None:
        query = query.where(Response.rated_staff == scope.staff)
    elif not scope.everyone:
        query = query.where(Response.rated_team == scope.team)
    tallies: dict[tuple[str, str | None, str], rules.Tally] = defaultdict(rules.Tally)
    for staff, team, scores in (await session.execute(query)).all():
        for item, level in scores.items():
            tallies[(staff, team, item)].add("rating4", level)
    rows = [
        StaffItemFigures(staff=staff, team=team, item=item, **t.figures())  # type: ignore[arg-type]
        for (staff, team, item), t in sorted(tallies.items(), key=lambda kv: (kv[0][0], kv[0][2]))
    ]
    return Scorecard(month=month, rows=rows)


NPS_COUNTS = ("promoters", "passives", "detractors")


def scorecard_csv(card: Scorecard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "staff", "team", "item", "answers", "csat", "mean_score", *rules.LEVEL_SCORE])
    for row in card.rows:
        levels = [row.levels.get(level, 0) for level in rules.LEVEL_SCORE]
        writer.writerow(
            [card.month, row.staff, row.team or "", row.item, row.answers, row.csat, row.mean_score, *levels]
        )
    return out.getvalue()


def summary_csv(result: Summary) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["period", "question", "answers", "csat", "mean_score", "nps", "promoters", "passives", "detractors"]
    )
    for name, f in [("(all)", result.overall), *((q.question, q) for q in result.questions)]:
        writer.writerow(
            [result.period, name, f.answers, f.csat, f.mean_score, f.nps, f.promoters, f.passives, f.detractors]
        )
    writer.writerow([result.period, "(response rate)", result.responses, result.response_rate, "", "", "", "", ""])
    return out.getvalue()
