"""Questionnaire versions: the built-in forms are version 1 of their keys until a new version is saved (R-34)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Principal
from servicekit.clock import now as clock_now
from servicekit.errors import ApiError, not_found
from surveys.questionnaires.models import Questionnaire
from surveys.questionnaires.rules import BUILT_IN
from surveys.questionnaires.schemas import QuestionnaireDefinition, QuestionnaireRead


async def current_version(session: AsyncSession, key: str) -> int:
    latest = await session.scalar(select(func.max(Questionnaire.version)).where(Questionnaire.key == key))
    if latest is None and key not in BUILT_IN:
        raise ApiError(422, "validation_error", f"questionnaire: unknown questionnaire {key!r}", field="questionnaire")
    return latest or 1


async def definition(session: AsyncSession, key: str, version: int) -> QuestionnaireDefinition:
    row = await session.get(Questionnaire, (key, version))
    if row is not None:
        return QuestionnaireDefinition.model_validate(row.definition)
    if version == 1 and key in BUILT_IN:
        return BUILT_IN[key]
    raise not_found("questionnaire", f"{key} v{version}")


async def save_version(session: AsyncSession, principal: Principal, data: QuestionnaireDefinition) -> QuestionnaireRead:
    """The next version of the key; invitations already sent keep the version they were sent with."""
    latest = await session.scalar(select(func.max(Questionnaire.version)).where(Questionnaire.key == data.key))
    version = (latest or (1 if data.key in BUILT_IN else 0)) + 1
    session.add(
        Questionnaire(
            key=data.key,
            version=version,
            definition=data.model_dump(mode="json"),
            created_by=principal.subject,
            created_at=clock_now(session),
        )
    )
    await session.flush()
    return QuestionnaireRead(key=data.key, version=version, definition=data)


async def get_all(session: AsyncSession) -> list[QuestionnaireRead]:
    rows = (await session.scalars(select(Questionnaire).order_by(Questionnaire.key, Questionnaire.version))).all()
    found = [QuestionnaireRead(key=k, version=1, definition=d) for k, d in BUILT_IN.items()]
    found += [
        QuestionnaireRead(key=r.key, version=r.version, definition=QuestionnaireDefinition.model_validate(r.definition))
        for r in rows
    ]
    return found
