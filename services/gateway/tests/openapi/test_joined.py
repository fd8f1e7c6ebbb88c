"""One API description: every service's operations under /api/<service>, unique operationIds, the bearer scheme,
the real error shape on 401/403/404/409/422/503 of every operation; Redocly's linter finds zero errors."""

from __future__ import annotations

import json
import subprocess

import pytest

from servicekit.openapi import ERROR_RESPONSES, METHODS
from servicekit.settings import UPSTREAMS
from servicekit.testing import app_service, npm_package

pytestmark = pytest.mark.integration

REDOCLY = ("@redocly/cli", "2.77.0")  # 1.34.21 does not install; 2.77.0 and 1.34.20 do


@pytest.fixture
async def joined(bare_door) -> dict:
    import httpx

    from gateway.openapi.service import JOINED
    from gateway.settings import gateway_settings

    for name in UPSTREAMS:
        bare_door.upstreams.apps[name] = httpx.ASGITransport(app=app_service(name).app)
        gateway_settings().upstreams[name] = f"http://{name}"
    JOINED.document = None
    response = await bare_door.client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_the_joined_document_covers_every_service_with_the_real_error_shape(joined, tmp_path) -> None:
    operations = [
        (path, method, item[method]) for path, item in joined["paths"].items() for method in METHODS if method in item
    ]
    for service in UPSTREAMS:
        own = set(app_service(service).app.openapi()["paths"]) - {"/healthz", "/readyz", "/metrics"}
        assert all(f"/api/{service}{path}" in joined["paths"] for path in own), service
    assert any(path == "/auth/login" for path, _, _ in operations)
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids))
    assert joined["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, method, operation in operations:
        if operation.get("security") == []:
            continue
        for status in ERROR_RESPONSES:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("ErrorResponse"), (path, method, status)
        assert joined["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["required"] == ["error"]

    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(joined))
    linter = npm_package(*REDOCLY).parents[1] / ".bin" / "redocly"  # node_modules/.bin
    command = [str(linter), "lint", str(document), "--format", "json"]
    linted = subprocess.run(command, capture_output=True, text=True, timeout=300)
    report = json.loads(linted.stdout)
    errors = [problem for problem in report["problems"] if problem["severity"] == "error"]
    assert report["totals"]["errors"] == 0, json.dumps(errors[:5], indent=1, ensure_ascii=False)
