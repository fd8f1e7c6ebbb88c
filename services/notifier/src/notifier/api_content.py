"""Thin HTTP routes for the notifier's content: templates (R-41), the staff inbox (R-40), unsubscribe (R-42)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from contracts.events.customer import MessageChannel, Purpose
from notifier import inbox, templates, unsubscribe
from notifier.settings import notifier_settings
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

templates_router = APIRouter(tags=["templates"])
inbox_router = APIRouter(tags=["inbox"])
unsubscribe_router = APIRouter(tags=["unsubscribe"])

Editor = Annotated[Principal, require_roles(Role.manager, Role.marketing)]
TemplateName = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,80}$")]


def _unprocessable(error: templates.TemplateError) -> ApiError:
    if isinstance(error, templates.UnknownTemplate):
        return ApiError(404, "not_found", str(error), field=error.field)
    return ApiError(422, "template_error", str(error), field=error.field)


# -- templates ---------------------------------------------------------------------------------------------


class TemplateSummary(BaseModel):
    name: str
    purpose: str
    audience: str
    channels: list[str]
    versions: dict[str, int] = Field(description="language -> newest version")


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    language: str
    version: int
    subject: str | None
    text: str
    html: str | None
    short_text: str
    active: bool
    created_at: datetime
    created_by: str


class TemplateDetail(BaseModel):
    name: str
    purpose: str
    audience: str
    channels: list[str]
    versions: list[VersionRead]


class TemplateEdit(BaseModel):
    """A new version of one language; `purpose` is needed when the template is new."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, max_length=500)
    text: str = Field(min_length=1, max_length=20_000)
    html: str | None = Field(default=None, max_length=100_000)
    short_text: str | None = Field(default=None, max_length=1_000, description="SMS/IM body; default: text")
    purpose: Purpose | None = None
    channels: list[MessageChannel] | None = Field(default=None, min_length=1)
    audience: Literal["customer", "staff"] = "customer"


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(default=None, max_length=20, description="the recipient's locale, e.g. zh-CN")
    channel: MessageChannel = MessageChannel.email
    parameters: dict[str, Any] = Field(default_factory=dict)


class PreviewRead(BaseModel):
    language: str
    template_version: int
    subject: str | None
    text: str
    html: str | None


@templates_router.get("/templates", response_model=list[TemplateSummary])
async def list_templates(session: DbSession, _: CurrentPrincipal) -> list[TemplateSummary]:
    return [
        TemplateSummary(name=t.name, purpose=t.purpose, audience=t.audience, channels=templates.channel_list(t.channels), versions=v)
        for t, v in await templates.get_all(session)
    ]


@templates_router.get("/templates/{name}", response_model=TemplateDetail)
async def template_versions(name: TemplateName, session: DbSession, _: CurrentPrincipal) -> TemplateDetail:
    try:
        template, versions = await templates.get_versions(session, name)
    except templates.TemplateError as exc:
        raise _unprocessable(exc) from None
    return TemplateDetail(
        name=template.name,
        purpose=template.purpose,
        audience=template.audience,
        channels=templates.channel_list(template.channels),
        versions=[VersionRead.model_validate(v) for v in versions],
    )


@templates_router.put("/templates/{name}/{language}", response_model=VersionRead)
async def edit_template(
    name: TemplateName, language: Literal["zh", "en"], body: TemplateEdit, session: DbSession, principal: Editor
) -> VersionRead:
    """Every edit is a new version (R-41); the newest renders from now on, older ones stay listed."""
    try:
        row = await templates.save_version(
            session,
            name=name,
            language=language,
            parts={"subject": body.subject, "text": body.text, "html": body.html, "short_text": body.short_text},
            by=principal.subject,
            purpose=body.purpose,
            channels=[str(channel) for channel in body.channels] if body.channels else None,
            audience=body.audience,
        )
    except templates.TemplateError as exc:
        raise _unprocessable(exc) from None
    except IntegrityError:  # two editors created the same new template or version at once
        raise ApiError(409, "conflict", f"template {name} changed meanwhile; reload and retry") from None
    return VersionRead.model_validate(row)


@templates_router.post("/templates/{name}/preview", response_model=PreviewRead)
async def preview_template(name: TemplateName, body: PreviewRequest, session: DbSession, _: CurrentPrincipal) -> PreviewRead:
    # a care/marketing template needs the link the pipeline adds; an example stands in unless given
    parameters = {"unsubscribe_url": f"{notifier_settings().public_base_url.rstrip('/')}/unsubscribe/example", **body.parameters}
    try:
        rendered = await templates.preview(
            session, template=name, language=body.language, channel=str(body.channel), parameters=parameters
        )
    except templates.TemplateError as exc:
        raise _unprocessable(exc) from None
    return PreviewRead(
        language=rendered.language,
        template_version=rendered.template_version,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )


# -- staff inbox -------------------------------------------------------------------------------------------


class InboxItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    purpose: str
    subject: str | None
    text: str
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItemRead]
    next_cursor: int | None = Field(description="pass as `cursor` for the next (older) page; null at the end")


@inbox_router.get("/inbox", response_model=InboxPage)
async def my_inbox(
    session: DbSession,
    principal: CurrentPrincipal,
    unread_only: bool = False,
    cursor: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InboxPage:
    """The caller's own in-app messages, newest first (R-40)."""
    items = await inbox.get_all(session, staff=principal.subject, unread_only=unread_only, before=cursor, limit=limit)
    next_cursor = items[-1].id if len(items) == limit else None
    return InboxPage(items=[InboxItemRead.model_validate(i) for i in items], next_cursor=next_cursor)


@inbox_router.get("/inbox/unread-count")
async def my_unread_count(session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"unread": await inbox.unread_count(session, staff=principal.subject)}


@inbox_router.post("/inbox/read-all")
async def read_all(session: DbSession, principal: CurrentPrincipal) -> dict[str, int]:
    return {"marked": await inbox.mark_all_read(session, staff=principal.subject)}


@inbox_router.post("/inbox/{item_id}/read", response_model=InboxItemRead)
async def read_one(item_id: Annotated[int, Path(ge=1)], session: DbSession, principal: CurrentPrincipal) -> InboxItemRead:
    return InboxItemRead.model_validate(await inbox.mark_read(session, staff=principal.subject, item_id=item_id))


# -- unsubscribe (public, no staff token: the signature is the authority) ----------------------------------

_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:3em auto">{body}</body></html>"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), body=body), headers={"Cache-Control": "no-store"})


def _read(token: str) -> unsubscribe.Unsubscription:
    try:
        return unsubscribe.read_token(token)
    except unsubscribe.BadToken as exc:
        raise ApiError(400, "invalid_token", str(exc), field="token") from None


_WHAT = {"care": ("关怀消息", "care messages"), "marketing": ("营销消息", "marketing messages"), "service": ("服务通知", "service messages")}


@unsubscribe_router.get("/unsubscribe/{token}", response_class=HTMLResponse)
async def confirm_unsubscribe(token: Annotated[str, Path(max_length=1000)]) -> HTMLResponse:
    """A confirmation page with one button; a GET never unsubscribes (link scanners follow GETs)."""
    found = _read(token)
    zh, en = _WHAT.get(found.purpose, (found.purpose, found.purpose))
    form = (
        f"<p>不再通过 {escape(found.channel)} 接收{escape(zh)}？<br>Stop receiving {escape(en)} by {escape(found.channel)}?</p>"
        f'<form method="post"><button type="submit">退订 / Unsubscribe</button></form>'
    )
    return _page("退订 / Unsubscribe", form)


@unsubscribe_router.post("/unsubscribe/{token}", response_class=HTMLResponse)
async def do_unsubscribe(token: Annotated[str, Path(max_length=1000)], session: DbSession) -> HTMLResponse:
    """The button and RFC 8058 one-click POSTs: consent is withdrawn in this transaction (R-42), at once."""
    await unsubscribe.apply(session, _read(token))
    return _page("已退订 / Unsubscribed", "<p>您已退订，立即生效。<br>You are unsubscribed, effective immediately.</p>")
