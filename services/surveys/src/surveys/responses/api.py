"""Public survey pages (no login): GET shows the form and records nothing; only POST records (R-33, R-34).

An unknown or tampered link gets one "not found" page (404) whatever failed; an expired one a clear page (410).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from servicekit.errors import ApiError
from servicekit.runtime import DbSession
from surveys.auth import Staff
from surveys.questionnaires.rules import AnswerError, pick_language
from surveys.responses import pages, service
from surveys.responses.schemas import ResponseRead

router = APIRouter(prefix="/s", tags=["public survey pages"])
staff_router = APIRouter(prefix="/responses", tags=["responses"])

# the link is a credential: never cached, never sent on as a referrer
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
_PAGES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "the form, or the thank-you page"},
    404: {"content": {"text/html": {}}, "description": "unknown or tampered link"},
    410: {"content": {"text/html": {}}, "description": "expired link"},
    422: {"content": {"text/html": {}}, "description": "an answer is missing or out of range; the form again"},
}


def _page(status: int, template: str, language: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(pages.render(template, language, **context), status_code=status, headers=_HEADERS)


def _closed(exc: Exception, language: str) -> HTMLResponse:
    kind = "expired" if isinstance(exc, service.ExpiredLink) else "unknown"
    return _page(
        410 if kind == "expired" else 404, "message.html", language, kind=kind, message=pages.TEXT[language][kind]
    )


@router.get("/{token}", response_class=HTMLResponse, responses=_PAGES)
async def show_form(token: str, request: Request, session: DbSession) -> HTMLResponse:
    """A score in the link (`?attitude=poor`) only preselects it."""
    requested = request.query_params.get("lang")
    try:
        opened = await service.open_link(session, token)
    except (service.UnknownLink, service.ExpiredLink) as exc:
        return _closed(exc, pick_language(requested, request.headers.get("accept-language"), None))
    language = pick_language(requested, request.headers.get("accept-language"), opened.customer_language)
    selected: dict[str, Any] = dict(opened.response.scores) if opened.response else {}
    selected.update({k: v for k, v in request.query_params.items() if k != "lang"})
    return _page(
        200,
        "form.html",
        language,
        definition=opened.definition,
        case_number=opened.invitation.case_number,
        answered=opened.response is not None,
        selected=selected,
        error=None,
    )


@router.post("/{token}", response_class=HTMLResponse, responses=_PAGES)
async def submit_form(token: str, request: Request, session: DbSession) -> HTMLResponse:
    form = await request.form()
    submitted = {key: str(value) for key, value in form.items()}
    language = pick_language(
        submitted.get("lang") or request.query_params.get("lang"), request.headers.get("accept-language"), None
    )
    try:
        response = await service.record(session, token, submitted, language)
    except (service.UnknownLink, service.ExpiredLink) as exc:
        return _closed(exc, language)
    except AnswerError as exc:
        if "application/json" in request.headers.get("accept", ""):
            raise ApiError(422, "validation_error", str(exc), field=exc.field) from None
        opened = await service.open_link(session, token)
        return _page(
            422,
            "form.html",
            language,
            definition=opened.definition,
            case_number=opened.invitation.case_number,
            answered=opened.response is not None,
            selected=submitted,
            error=str(exc),
            error_field=exc.field,
        )
    opened_until = await service.open_link(session, token)
    until = pages.local_date(opened_until.invitation.expires_at) if opened_until.invitation.expires_at else ""
    return _page(
        200,
        "message.html",
        language,
        kind="thanks",
        message=pages.TEXT[language]["thanks"].format(until=until),
        change_url=f"?lang={language}",
        revision=response.revision,
    )


@staff_router.get("", response_model=list[ResponseRead])
async def customer_responses(customer_id: str, session: DbSession, principal: Staff) -> object:
    """A customer's responses with their comments, for the roles that may see the customer (R-09)."""
    return await service.of_customer(session, principal, customer_id)
