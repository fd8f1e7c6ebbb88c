"""Joining the services' OpenAPI documents into one (pure): paths under `/api/<service>`, schema names and tags
prefixed by the service so nothing collides, references rewritten to match."""

from __future__ import annotations

import copy
from typing import Any

from servicekit.openapi import METHODS, PUBLIC_PATHS, complete

SCHEMA_REF = "#/components/schemas/"


def _renamed(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        return {
            key: (SCHEMA_REF + prefix + value[len(SCHEMA_REF) :])
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF)
            else _renamed(value, prefix)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(item, prefix) for item in node]
    return node


def join(gateway: dict[str, Any], services: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The gateway's own document plus every reachable service's, each completed by the kit first."""
    joined = copy.deepcopy(gateway)
    joined["info"] = {
        **joined.get("info", {}),
        "title": "CRM API (through the gateway)",
        "description": "Every service's API behind one door: `/api/<service>/...`; log in at POST /auth/login.",
    }
    joined["servers"] = [{"url": "/", "description": "the gateway"}]
    schemas = joined.setdefault("components", {}).setdefault("schemas", {})
    tag_groups = [{"name": "gateway", "tags": [tag["name"] for tag in joined.get("tags", [])]}]
    missing = []
    for service, document in sorted(services.items()):
        if document is None:
            missing.append(service)
            continue
        prefix = f"{service}_"
        document = _renamed(complete(copy.deepcopy(document), service), prefix)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas[prefix + name] = schema
        group = []
        for path, item in document.get("paths", {}).items():
            if path in PUBLIC_PATHS:
                continue  # each service's probes are the gateway's business, not the API's
            for method in METHODS:
                if method in item:
                    item[method]["tags"] = [f"{service}.{tag}" for tag in item[method].get("tags") or [service]]
                    group.extend(tag for tag in item[method]["tags"] if tag not in group)
            joined.setdefault("paths", {})[f"/api/{service}{path}"] = item
        joined.setdefault("tags", []).extend(
            {"name": tag, "description": f"The {service} service: {tag}"} for tag in group
        )
        tag_groups.append({"name": service, "tags": group})
    joined["x-tagGroups"] = tag_groups
    if missing:
        joined["info"]["description"] += f" Not reachable when this was built: {', '.join(missing)}."
    return joined
