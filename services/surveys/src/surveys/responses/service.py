"""Open an invitation by its link and record the response (R-33 .. R-35).

GET only reads; a POST records: the first creates the one response of the invitation, a later one
(until the link expires) replaces its answers and adds a revision. A low score and a complaint request
are published once per response, however often it changes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Event
from contracts.events.surveys import (
    SurveyComplaintRequestedV1,
    SurveyLowScoreRecordedV1,
    SurveyResponseRecordedV1,
)
from servicekit import access
from servicekit.auth import Principal
from servicekit.clock import now as clock_now
from servicekit.db import after_commit
from servicekit.outbox import record_events
from surveys.customers.models import CustomerView
from surveys.invitations import rules as tokens
from surveys.invitations.models import Invitation
from surveys.questionnaires import rules
from surveys.questionnaires import service as questionnaires
from surveys.questionnaires.schemas import QuestionKind, QuestionnaireDefinition
from surveys.responses import metrics
from surveys.responses.models import Response, ResponseRevision
from surveys.settings import surveys_settings


class UnknownLink(Exception):
    """Not a link we made (tampered, guessed, or its invitation is gone): one page for all, no hint which."""


class ExpiredLink(Exception):
    pass


@dataclass(frozen=True)
class Opened:
    invitation: Invitation
    definition: QuestionnaireDefinition
    response: Response | None
    customer_language: str | None


async def open_link(session: AsyncSession, token: str, *, lock: bool = False, now: datetime | None = None) -> Opened:
    claims = tokens.read_token(surveys_settings().token_secret, token)
    if claims is None:
        raise UnknownLink
    query = select(Invitation).where(Invitation.token_hash == tokens.token_hash(token))
    invitation = (await session.scalars(query.with_for_update() if lock else query)).one_or_none()
    if invitation is None or invitation.id != claims.invitation_id:
        raise UnknownLink
    now = now or clock_now(session)
    if invitation.status != "sent" or tokens.expired(invitation.expires_at, now):
        raise ExpiredLink
    definition = await questionnaires.definition(
        session, invitation.questionnaire_key, invitation.questionnaire_version
    )
    response = await session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    customer = await session.get(CustomerView, invitation.customer_id)
    return Opened(invitation, definition, response, customer.language if customer else None)


async def record(session: AsyncSession, token: str, submitted: dict[str, str], language: str) -> Response:
    """Raises UnknownLink, ExpiredLink or rules.AnswerError (naming the question)."""
    now = clock_now(session)
    # the invitation row is locked: two POSTs of one link are applied one after the other
    opened = await open_link(session, token, lock=True, now=now)
    invitation, definition = opened.invitation, opened.definition
    answers = rules.check_answers(definition, submitted)
    scores = rules.score(definition, answers)
    response = opened.response
    first = response is None
    if response is None:
        response = Response(
            id=str(uuid.uuid4()),
            invitation_id=invitation.id,
            kind=invitation.kind,
            customer_id=invitation.customer_id,
            case_id=invitation.case_id,
            campaign_id=invitation.campaign_id,
            questionnaire_key=invitation.questionnaire_key,
            questionnaire_version=invitation.questionnaire_version,
            rated_staff=invitation.rated_staff,
            rated_team=invitation.rated_team,
            owner=invitation.owner,
            team=invitation.team,
            revision=0,
            first_responded_at=now,
        )
        session.add(response)
    response.scores, response.texts = dict(answers.scores), dict(answers.texts)
    response.satisfaction, response.nps, response.wants_complaint = (
        scores.satisfaction,
        scores.nps,
        answers.wants_complaint,
    )
    response.language, response.responded_at = language, now
    response.revision += 1
    await session.flush()
    session.add(
        ResponseRevision(
            response_id=response.id,
            revision=response.revision,
            scores=dict(answers.scores),
            texts=dict(answers.texts),
            wants_complaint=answers.wants_complaint,
            recorded_at=now,
        )
    )
    invitation.answered, invitation.remind_at = True, None
    invitation.version += 1
    await session.flush()
    report_low = bool(scores.low_reasons) and not response.low_score_reported
    report_complaint = answers.wants_complaint and not response.complaint_reported
    events = _events(invitation, response, scores, answers.texts, now, low=report_low, complaint=report_complaint)
    response.low_score_reported = response.low_score_reported or report_low
    response.complaint_reported = response.complaint_reported or report_complaint
    await record_events(session, events)
    _count(session, response, definition, scores.low_reasons if report_low else (), first=first)
    return response


def _events(
    invitation: Invitation,
    response: Response,
    scores: rules.Scores,
    texts: dict[str, str],
    now: datetime,
    *,
    low: bool,
    complaint: bool,
) -> list[tuple[Event, str, int]]:
    common = {
        "response_id": response.id,
        "invitation_id": invitation.id,
        "customer_id": invitation.customer_id,
        "contact_id": invitation.contact_id,
        "case_id": invitation.case_id,
    }
    events: list[tuple[Event, str, int]] = [
        (
            SurveyResponseRecordedV1(
                **common,
                kind=invitation.kind,
                campaign_id=invitation.campaign_id,
                questionnaire_id=invitation.questionnaire_key,
                questionnaire_version=invitation.questionnaire_version,
                rated_staff=invitation.rated_staff,
                items={k: str(v) for k, v in response.scores.items() if isinstance(v, str)},
                satisfaction=scores.satisfaction,
                nps=scores.nps,
                low_score=low,
                responded_at=now,
                revision=response.revision,
            ),
            invitation.id,
            invitation.version,
        )
    ]
    if low:
        events.append(
            (
                SurveyLowScoreRecordedV1(
                    **common,
                    kind=invitation.kind,
                    campaign_id=invitation.campaign_id,
                    owner=invitation.owner,
                    rated_staff=invitation.rated_staff,
                    reasons=list(scores.low_reasons),
                    wants_complaint=response.wants_complaint,
                    satisfaction=scores.satisfaction,
                    nps=scores.nps,
                    responded_at=now,
                ),
                invitation.id,
                invitation.version,
            )
        )
    if complaint:
        events.append(
            (
                SurveyComplaintRequestedV1(
                    **common,
                    rated_staff=invitation.rated_staff,
                    text=texts.get("complaint") or texts.get("comment") or "",
                    language=response.language,
                    requested_at=now,
                ),
                invitation.id,
                invitation.version,
            )
        )
    return events


def _count(
    session: AsyncSession,
    response: Response,
    definition: QuestionnaireDefinition,
    reasons: tuple[str, ...],
    *,
    first: bool,
) -> None:
    """After commit: a first response counts its answers; a change counts as a change; a low score once."""
    kind = response.kind
    kinds = {q.key: q.kind for s in definition.sections for q in s.questions}
    answers = [(str(kinds[k]), _bucket(kinds[k], v)) for k, v in response.scores.items() if kinds[k] != "single_choice"]

    def count() -> None:
        if first:
            metrics.RESPONSES.labels(kind).inc()
            for scale, value in answers:
                metrics.ANSWERS.labels(kind, scale, value).inc()
        else:
            metrics.RESPONSE_CHANGES.labels(kind).inc()
        for reason in reasons:
            metrics.LOW_SCORES.labels(kind, reason).inc()

    after_commit(session, count)


def _bucket(kind: QuestionKind, value: str | int) -> str:
    if kind == QuestionKind.nps:
        return "promoter" if int(value) >= 9 else "passive" if int(value) >= 7 else "detractor"
    return str(value)


async def of_customer(session: AsyncSession, principal: Principal, customer_id: str) -> list[Response]:
    """R-09: only the roles that may see the customer see its responses (owner, owning team, all-account roles)."""
    query = select(Response).where(Response.customer_id == customer_id).order_by(Response.responded_at.desc())
    visible = access.visible_filter(principal, Response.owner, Response.team)
    if visible is not None:
        query = query.where(visible)
    return list((await session.scalars(query)).all())


async def forget_texts(session: AsyncSession, customer_id: str) -> None:
    """R-09/R-42 erasure: comments and free text go, scores and counts stay."""
    ids = select(Response.id).where(Response.customer_id == customer_id).scalar_subquery()
    await session.execute(update(ResponseRevision).where(ResponseRevision.response_id.in_(ids)).values(texts={}))
    await session.execute(update(Response).where(Response.customer_id == customer_id).values(texts={}))
