"""Password login, refresh (rotating, reuse revokes the chain), logout, sign-out-everywhere, the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Request, Response
from fastapi.responses import JSONResponse

from gateway.addresses import client_address
from gateway.responses import COOKIE, COOKIE_PATH, answer
from gateway.sessions import service
from gateway.sessions.schemas import AuditOut, LoginBody, RefreshBody, TokenOut
from servicekit.auth import Principal, Role, require_roles
from servicekit.errors import ApiError
from servicekit.runtime import DbSession

router = APIRouter(tags=["sessions"])


def _refresh_token(body: RefreshBody | None, cookie: str | None) -> str:
    token = (body.refresh_token if body else None) or cookie
    if not token:
        raise ApiError(401, "invalid_refresh_token", "a refresh token is required", field="refresh_token")
    return token


@router.post("/auth/login", response_model=TokenOut, summary="Log in with login name and password")
async def login(body: LoginBody, request: Request, session: DbSession) -> JSONResponse:
    return answer(await service.login(session, body.login, body.password, client_address(request)))


@router.post("/auth/refresh", response_model=TokenOut, summary="A new access token for a refresh token (rotated)")
async def refresh(
    request: Request,
    session: DbSession,
    body: RefreshBody | None = None,
    crm_refresh: Annotated[str | None, Cookie()] = None,
) -> JSONResponse:
    return answer(await service.refresh(session, _refresh_token(body, crm_refresh), client_address(request)))


@router.post("/auth/logout", status_code=204, summary="End this session (its refresh chain)")
async def logout(
    request: Request,
    session: DbSession,
    body: RefreshBody | None = None,
    crm_refresh: Annotated[str | None, Cookie()] = None,
) -> Response:
    await service.logout(session, _refresh_token(body, crm_refresh), client_address(request))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


@router.post("/staff/{login}/sign-out-everywhere", status_code=204, summary="Revoke every session of an account")
async def sign_out_everywhere(
    login: str, session: DbSession, principal: Annotated[Principal, require_roles(Role.admin)]
) -> Response:
    from gateway.staff import service as staff_service

    staff = await staff_service.get(session, login)
    await service.revoke_all(session, staff.login, reason="signed out everywhere", actor=principal.subject)
    return Response(status_code=204)


@router.get("/auth/audit", summary="Recent logins, failures, lockouts and revocations")
async def audit_trail(
    session: DbSession,
    _: Annotated[Principal, require_roles(Role.admin, Role.auditor)],
    login: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditOut]:
    entries = await service.recent_audit(session, login=login, limit=limit)
    return [AuditOut.model_validate(entry, from_attributes=True) for entry in entries]
