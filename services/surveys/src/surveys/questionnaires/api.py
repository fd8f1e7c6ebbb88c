"""Questionnaires as data (R-34): list them, save a new version."""

from __future__ import annotations

from fastapi import APIRouter

from servicekit.runtime import DbSession
from surveys.auth import Designer, Staff
from surveys.questionnaires import service
from surveys.questionnaires.schemas import QuestionnaireDefinition, QuestionnaireRead

router = APIRouter(prefix="/questionnaires", tags=["questionnaires"])


@router.get("", response_model=list[QuestionnaireRead])
async def list_questionnaires(session: DbSession, _: Staff) -> list[QuestionnaireRead]:
    return await service.get_all(session)


@router.post("", status_code=201, response_model=QuestionnaireRead)
async def save_questionnaire(
    data: QuestionnaireDefinition, session: DbSession, principal: Designer
) -> QuestionnaireRead:
    return await service.save_version(session, principal, data)
