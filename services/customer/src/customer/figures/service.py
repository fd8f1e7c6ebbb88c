"""R-03 figures the tier rules read (revenue, orders and complaints over 12 months, survey score): entered by
hand or reported by other systems; every change re-applies the tier rules at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from customer.audit import service as audit
from customer.classification import service as classification
from customer.figures.models import SurveyScore
from customer.figures.schemas import FiguresUpdate
from customer.records import service as records
from customer.records.models import Customer
from servicekit import clock
from servicekit.auth import Principal


async def update(session: AsyncSession, principal: Principal, customer_id: str, data: FiguresUpdate) -> Customer:
    """R-03: new figures re-apply the tier rules at once."""
    customer = await records.get(session, principal, customer_id, for_update=True)
    sent = data.model_dump(exclude_unset=True)
    for field, value in sent.items():
        setattr(customer, field, value)
    customer.figures_as_of = clock.now(session)
    customer.version += 1
    customer.updated_at = customer.figures_as_of
    audit.record(session, principal, "figures_changed", customer_id=customer.id, fields=sorted(sent))
    await classification.reclassify(session, customer, trigger="figures")
    return customer


async def apply_reported(
    session: AsyncSession, customer_id: str, *, version: int, as_of: datetime, **figures: object
) -> bool:
    """order.figures_reported.v1: rule 5, a report older than the one applied is ignored. True when applied."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None or version <= customer.figures_version:
        return False
    if customer.figures_as_of is not None and as_of.date() < customer.figures_as_of.date():
        return False  # figures entered by hand after this report's day are newer
    for field, value in figures.items():
        setattr(customer, field, value)
    customer.figures_version = version
    customer.figures_as_of = as_of
    customer.version += 1
    customer.updated_at = clock.now(session)
    audit.record(session, audit.SYSTEM, "figures_changed", customer_id=customer.id, fields=sorted(figures))
    await classification.reclassify(session, customer, trigger="event")
    return True


async def count_complaint(session: AsyncSession, customer_id: str) -> bool:
    """case.received.v1 of kind complaint: one more complaint in the trailing figures (R-03)."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        return False
    customer.complaints_12m += 1
    customer.version += 1
    customer.updated_at = clock.now(session)
    await classification.reclassify(session, customer, trigger="event")
    return True


SURVEY_SCORE_WINDOW = timedelta(days=365)  # figures over 12 months, like revenue, orders and complaints


async def apply_survey_score(
    session: AsyncSession,
    customer_id: str,
    *,
    response_id: str,
    satisfaction: float,
    revision: int,
    responded_at: datetime,
) -> bool:
    """survey.response_recorded.v1: the response's score (its latest revision) joins the 12-month mean that is
    `survey_score`, and the tier rules are re-applied (R-03). True when the customer's score was recomputed."""
    customer = await session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        return False
    score = await session.get(SurveyScore, response_id)
    if score is not None and revision <= score.revision:
        return False  # an older or repeated revision of the response
    if score is None:
        score = SurveyScore(response_id=response_id, customer_id=customer_id, revision=revision)
        session.add(score)
    score.satisfaction, score.revision, score.responded_at = satisfaction, revision, responded_at
    await session.flush()
    now = clock.now(session)
    mean = await session.scalar(
        select(func.avg(SurveyScore.satisfaction)).where(
            SurveyScore.customer_id == customer_id, SurveyScore.responded_at > now - SURVEY_SCORE_WINDOW
        )
    )
    customer.survey_score = round(float(mean), 2) if mean is not None else None
    customer.version += 1
    customer.updated_at = now
    audit.record(session, audit.SYSTEM, "figures_changed", customer_id=customer.id, fields=["survey_score"])
    await classification.reclassify(session, customer, trigger="event")
    return True
