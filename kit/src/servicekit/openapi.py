"""Each service's OpenAPI document as the service really behaves, so the gateway can join them into one.
Pure document work (the runtime serves the result at /openapi.json).

FastAPI's own document names operations after the Python function (the same names in every service),
documents 422 with its `{detail}` shape while the services answer `{"error": ...}` (servicekit.errors),
and says nothing of the bearer token. This post-processing fixes that once for every service:
- operationId `<service>_<function>` (unique across the joined document), a tag per service where none is set;
- the `bearer` security scheme on every operation but the health probes;
- 401, 403, 404, 409, 422 and 503 documented on every operation with the one error shape.
"""

from __future__ import annotations

import re
from typing import Any

ERROR_SCHEMA = "ErrorResponse"
ERROR_RESPONSES = {
    "401": "Missing, expired or invalid bearer token",
    "403": "The caller's roles or object-level access (R-09) do not allow this",
    "404": "No such resource",
    "409": "Conflicts with the resource's current state",
    "422": "Invalid input; `field` names the first offending field",
    "503": "A dependency (database, upstream service) is unavailable; retry later",
}
PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_ERROR_COMPONENTS: dict[str, Any] = {
    "ErrorBody": {
        "type": "object",
        "required": ["code", "message", "field"],
        "properties": {
            "code": {"type": "string", "description": "machine-readable, e.g. validation_error, not_found"},
            "message": {"type": "string"},
            "field": {"type": ["string", "null"], "description": "the offending field, e.g. contacts[0].phone"},
            "details": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "message": {"type": "string"},
                        "type": {"type": ["string", "null"]},
                    },
                },
            },
        },
    },
    ERROR_SCHEMA: {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
    },
}


def _function_name(operation_id: str, path: str, method: str) -> str | None:
    """FastAPI's default id is `<function><path with non-word characters as _>_<method>`: the function's name."""
    suffix = re.sub(r"\W", "_", path) + "_" + method
    return operation_id[: -len(suffix)] if operation_id.endswith(suffix) else None


def complete(document: dict[str, Any], service: str) -> dict[str, Any]:
    """Add what FastAPI leaves out (see the module's docstring); idempotent."""
    document.setdefault("info", {}).setdefault("description", f"The {service} service")
    document["info"].setdefault("license", {"name": "Proprietary", "identifier": "LicenseRef-Proprietary"})
    document.setdefault("servers", [{"url": "/", "description": f"the {service} service itself"}])
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(_ERROR_COMPONENTS)
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A staff access token from the gateway (POST /auth/login), EdDSA-signed, 15 minutes",
    }
    document.setdefault("tags", [])
    known_tags = {tag["name"] for tag in document["tags"]}
    seen: set[str] = set()
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            function = _function_name(operation.get("operationId", ""), path, method)
            _operation(operation, service, path, method, function, seen)
            for tag in operation.get("tags", []):
                if tag not in known_tags:
                    known_tags.add(tag)
                    document["tags"].append({"name": tag, "description": f"{service}: {tag}"})
    return document


def _operation(
    operation: dict[str, Any], service: str, path: str, method: str, function: str | None, seen: set[str]
) -> None:
    if function:  # `<service>_<function>`, or with method and path where two routes share a function name
        identifier = f"{service}_{_identifier(function)}"
        if identifier in seen:
            identifier = f"{identifier}_{method}_{_identifier(path)}"
        operation["operationId"] = identifier
    seen.add(operation.get("operationId", ""))
    if not operation.get("tags"):
        operation["tags"] = [service]
    operation.setdefault("summary", (function or operation.get("operationId", path)).replace("_", " ").capitalize())
    operation.setdefault("description", operation["summary"])
    responses = operation.setdefault("responses", {})
    if path in PUBLIC_PATHS:
        operation["security"] = []
        responses.pop("422", None)
        responses.setdefault("503", _error_response(ERROR_RESPONSES["503"]))
        return
    operation["security"] = [{"bearer": []}]
    for status, description in ERROR_RESPONSES.items():
        responses[status] = _error_response(description)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
    }


def _identifier(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in text)
    return "_".join(part for part in cleaned.split("_") if part)
