"""One JSON error shape for every service: {"error": {"code", "message", "field", "details"?}}.

A 5xx is a bug, except 503 when the database cannot be reached. A database error that the input caused (a unique
key taken, a value the column cannot hold) is a 409 or 422 naming the field where the database names it; request
models use `servicekit.fields` so such input is normally refused before it reaches the database.
`error_responses(...)` documents a route's own statuses with this shape (FastAPI `responses=`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("servicekit.errors")


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, *, field: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers


class ErrorDetail(BaseModel):
    field: str
    message: str
    type: str | None = None


class ErrorBody(BaseModel):
    code: str = Field(description="stable, machine-readable: validation_error, not_found, conflict, ...")
    message: str
    field: str | None = Field(description="the request field at fault, e.g. contacts[0].phone; null if none")
    details: list[ErrorDetail] | None = Field(default=None, description="every invalid field (422)")


class ErrorResponse(BaseModel):
    """The error shape of every service."""

    error: ErrorBody


STATUS_MEANINGS = {
    400: "Bad request",
    401: "Not authenticated: no valid staff token",
    403: "Not allowed for this principal",
    404: "Not found (or not visible to this principal)",
    405: "Method not allowed",
    409: "Conflict with the current state (a unique value taken, a version or state that moved on)",
    413: "Request too large",
    422: "Invalid input: the field is named",
    503: "The database is unavailable; retry later",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route's own error statuses, with the one error shape."""
    return {
        status: {"model": ErrorResponse, "description": STATUS_MEANINGS.get(status, "Error")} for status in statuses
    }


# what any route may answer: no or a bad token, not allowed, not found or not visible, conflict, bad input, outage
COMMON_ERROR_STATUSES = (401, 403, 404, 409, 422, 503)


def document_errors(app: FastAPI, statuses: tuple[int, ...] = COMMON_ERROR_STATUSES) -> None:
    """Every operation's OpenAPI names `statuses` with the one error shape (FastAPI's own 422 model replaced);
    a route adds its other statuses with `responses=error_responses(...)`. Health routes are left as they are."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        shapes = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(shapes.pop("$defs", {}), ErrorResponse=shapes)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        shape = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if "health" in operation.get("tags", ()):
                    continue
                responses = operation.setdefault("responses", {})
                for status in statuses:
                    documented = responses.setdefault(str(status), {"description": STATUS_MEANINGS[status]})
                    documented["content"] = shape
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, "not_found", f"{what} {ident} not found")


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "field": field}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """("body", "contacts", 0, "phone") -> "contacts[0].phone"; the request part is dropped."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _validation_message(error: dict[str, Any]) -> str:
    if error.get("type") == "extra_forbidden":
        return "unknown field"
    if error.get("type") == "json_invalid":
        return "request body is not valid JSON"
    return str(error.get("msg", "invalid value"))


def install_error_handlers(app: FastAPI) -> None:
    document_errors(app)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.field, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "field": field_path(err.get("loc", ())) or "body",
                "message": _validation_message(err),
                "type": err.get("type"),
            }
            for err in exc.errors()
        ]
        first = details[0] if details else {"field": None, "message": "invalid request"}
        message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
        return error_response(422, "validation_error", message, first["field"], details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        headers = getattr(exc, "headers", None)
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a body that is not even text: bad input like any other JSON error
            return error_response(422, "validation_error", "request body is not valid JSON", "body")
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail), headers=headers
        )

    async def _database_error(request: Request, exc: Exception) -> JSONResponse:
        caused_by_input = input_error(exc) if isinstance(exc, DBAPIError) else None
        if caused_by_input is not None:
            status, message, field = caused_by_input
            log.info("input refused by the database", extra={"status": status, "field": field})
            code = "conflict" if status == 409 else "validation_error"
            return error_response(status, code, f"{field}: {message}" if field else message, field)
        if isinstance(exc, ProgrammingError):
            return await _bug(request, exc)  # a wrong query is a bug, not an outage
        log.error("database unavailable", extra={"error": type(exc).__name__})
        return error_response(
            503, "database_unavailable", "the database is unavailable; retry later", headers={"Retry-After": "5"}
        )

    for exc_type in (OperationalError, DBAPIError, PoolTimeoutError, ConnectionError, OSError):
        app.add_exception_handler(exc_type, _database_error)

    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "internal error; it has been logged")

    app.add_exception_handler(Exception, _bug)


def allowed_methods(request: Request) -> list[str]:
    """Every method of every route on this path: FastAPI has one route per method, Starlette names only one."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in request.app.router.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


# PostgreSQL SQLSTATE classes and codes (asyncpg) and SQLite's messages, for errors the input caused
_UNIQUE, _FOREIGN_KEY, _NOT_NULL, _CHECK = "23505", "23503", "23502", "23514"
_PG_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)")
_SQLITE = re.compile(r"(?P<kind>UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (?P<columns>.*))?")
_DATA_MESSAGES = {
    "22001": "too long for its field",
    "22003": "a number out of range",
    "22021": "contains a character that cannot be stored (NUL)",
    "22P05": "contains a character that cannot be stored (NUL)",
    "22007": "not a valid date or time",
    "22008": "a date or time out of range",
}


def input_error(exc: DBAPIError) -> tuple[int, str, str | None] | None:
    """(status, message, field) when the input caused this database error; None for an outage or a bug.

    Messages never repeat the value: it may be personal data."""
    orig = exc.orig
    cause = getattr(orig, "__cause__", None) or orig
    sqlstate = str(getattr(cause, "sqlstate", None) or getattr(orig, "sqlstate", None) or "")
    if sqlstate.startswith("23"):
        field = getattr(cause, "column_name", None) or _last_column(getattr(cause, "detail", None) or "")
        if sqlstate == _UNIQUE:
            return 409, "already taken by another record", field
        if sqlstate == _FOREIGN_KEY:
            return 409, "refers to a record that does not exist, or is referred to by one", field
        if sqlstate == _NOT_NULL:
            return 422, "may not be null", field
        return 422, "not an allowed value", field
    if sqlstate.startswith("22"):
        return 422, _DATA_MESSAGES.get(sqlstate, "a value its field cannot hold"), None
    if type(cause).__name__ == "DataError" and isinstance(cause, ValueError):
        return 422, "a value its field cannot hold", None  # asyncpg refused a parameter before sending it
    if type(orig).__module__ == "sqlite3" and type(orig).__name__ == "IntegrityError":
        found = _SQLITE.search(str(orig))
        if found is None:
            return 409, "conflicts with a stored record", None
        field = _last_column(found["columns"] or "")
        status = {"UNIQUE": 409, "FOREIGN KEY": 409}.get(found["kind"], 422)
        message = {"UNIQUE": "already taken by another record", "NOT NULL": "may not be null"}.get(
            found["kind"], "not an allowed value"
        )
        return status, message, field
    return None


def _last_column(columns: str) -> str | None:
    # "Key (customer_id, value_index)=(...)", "customers.number, customers.team": the last names the field
    found = _PG_KEY.search(columns)
    names = (found["columns"] if found else columns).split(",")
    name = names[-1].strip().rsplit(".", 1)[-1]
    return name or None
