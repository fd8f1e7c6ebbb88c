"""The error responses every engagement route documents: the kit's one error shape."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (401, "no or an invalid staff token"),
        (403, "the caller's roles do not allow this"),
        (404, "unknown, or another team's record (R-09)"),
        (409, "not allowed in the record's current state"),
        (422, "invalid input; `field` names it"),
        (503, "the database is unavailable"),
    )
}
