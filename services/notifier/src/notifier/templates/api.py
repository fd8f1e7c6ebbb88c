"""Thin HTTP routes for the templates (R-41): list, history, a new version, a preview."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from sqlalchemy.exc import IntegrityError
from starlette.convertors import StringConvertor, register_url_convertor

from notifier.settings import notifier_settings
from notifier.templates import service
from notifier.templates.rules import TemplateError, UnknownTemplate
from notifier.templates.schemas import (
    PreviewRead,
    PreviewRequest,
    TemplateDetail,
    TemplateEdit,
    TemplateSummary,
    VersionRead,
)
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

router = APIRouter(tags=["templates"])


class _TemplateLanguage(StringConvertor):
    # /templates/{name}/preview is never read as a language: other methods there get 405, not a language error
    regex = "(?!preview$)[^/]+"


register_url_convertor("template_language", _TemplateLanguage())

Editor = Annotated[Principal, require_roles(Role.manager, Role.marketing)]
TemplateName = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,80}$")]


def _unprocessable(error: TemplateError) -> ApiError:
    if isinstance(error, UnknownTemplate):
        return ApiError(404, "not_found", str(error), field=error.field)
    return ApiError(422, "template_error", str(error), field=error.field)


@router.get("/templates", response_model=list[TemplateSummary])
async def list_templates(session: DbSession, _: CurrentPrincipal) -> list[TemplateSummary]:
    return [
        TemplateSummary(
            name=t.name, purpose=t.purpose, audience=t.audience, channels=service.channel_list(t.channels), versions=v
        )
        for t, v in await service.get_all(session)
    ]


@router.get("/templates/{name}", response_model=TemplateDetail)
async def template_versions(name: TemplateName, session: DbSession, _: CurrentPrincipal) -> TemplateDetail:
    try:
        template, versions = await service.get_versions(session, name)
    except TemplateError as exc:
        raise _unprocessable(exc) from None
    return TemplateDetail(
        name=template.name,
        purpose=template.purpose,
        audience=template.audience,
        channels=service.channel_list(template.channels),
        versions=[VersionRead.model_validate(v) for v in versions],
    )


@router.put("/templates/{name}/{language:template_language}", response_model=VersionRead)
async def edit_template(
    name: TemplateName, language: Literal["zh", "en"], body: TemplateEdit, session: DbSession, principal: Editor
) -> VersionRead:
    """Every edit is a new version (R-41); the newest renders from now on, older ones stay listed."""
    try:
        row = await service.save_version(
            session,
            name=name,
            language=language,
            parts={"subject": body.subject, "text": body.text, "html": body.html, "short_text": body.short_text},
            by=principal.subject,
            purpose=body.purpose,
            channels=[str(channel) for channel in body.channels] if body.channels else None,
            audience=body.audience,
        )
    except TemplateError as exc:
        raise _unprocessable(exc) from None
    except IntegrityError:  # two editors created the same new template or version at once
        raise ApiError(409, "conflict", f"template {name} changed meanwhile; reload and retry") from None
    return VersionRead.model_validate(row)


@router.post("/templates/{name}/preview", response_model=PreviewRead)
async def preview_template(
    name: TemplateName, body: PreviewRequest, session: DbSession, _: CurrentPrincipal
) -> PreviewRead:
    # a care/marketing template needs the link the pipeline adds; an example stands in unless given
    parameters = {
        "unsubscribe_url": f"{notifier_settings().public_base_url.rstrip('/')}/unsubscribe/example",
        **body.parameters,
    }
    try:
        rendered = await service.preview(
            session, template=name, language=body.language, channel=str(body.channel), parameters=parameters
        )
    except TemplateError as exc:
        raise _unprocessable(exc) from None
    return PreviewRead(
        language=rendered.language,
        template_version=rendered.template_version,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )
