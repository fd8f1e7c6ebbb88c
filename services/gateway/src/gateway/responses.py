"""Token answers: the body, and for browsers the refresh token in an httpOnly, SameSite cookie."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from gateway.sessions.schemas import TokenOut
from gateway.sessions.service import Issued, Refused
from gateway.settings import gateway_settings
from servicekit.errors import error_response

COOKIE = "crm_refresh"
COOKIE_PATH = "/auth"


def answer(outcome: Issued | Refused) -> JSONResponse:
    """A refusal is returned, not raised, so the counters and audit lines of the attempt are committed."""
    if isinstance(outcome, Refused):
        headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
        response = error_response(outcome.status, outcome.code, outcome.message, headers=headers)
        if outcome.status == 401:
            response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return response
    body = TokenOut(
        access_token=outcome.access_token,
        expires_in=outcome.expires_in,
        refresh_token=outcome.refresh_token,
        refresh_expires_in=outcome.refresh_expires_in,
    )
    response = JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})
    if outcome.refresh_token:
        # browsers keep the refresh token where scripts cannot read it, sent only to /auth on this site
        response.set_cookie(
            COOKIE,
            outcome.refresh_token,
            max_age=outcome.refresh_expires_in,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=gateway_settings().cookie_secure,
        )
    return response
