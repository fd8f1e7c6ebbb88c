"""One JSON error shape; 422 names the field; bad input the database refuses is a 409/422, only a database outage
is a 503, never a traceback; every status is in the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from servicekit.db import Database
from servicekit.errors import error_responses, field_path, install_error_handlers
from servicekit.testing import create_database


def test_field_path_drops_request_part_and_indexes_lists() -> None:
    assert field_path(("body", "contacts", 0, "phone")) == "contacts[0].phone"
    assert field_path(("query", "limit")) == "limit"
    assert field_path(("body",)) is None


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    size: int = 0


def _client(database_url: str = "sqlite+aiosqlite:///:memory:") -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    db = Database(database_url, service="errors-test")

    @app.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    @app.get("/db")
    async def use_db() -> dict[str, str]:
        async with db.session() as session:
            await session.connection()
        return {"ok": "yes"}

    return TestClient(app, raise_server_exceptions=False)


def test_unknown_wrong_and_missing_fields_are_named() -> None:
    client = _client()
    unknown = client.post("/things", json={"name": "x", "colour": "red"}).json()["error"]
    assert (unknown["code"], unknown["field"], unknown["message"]) == (
        "validation_error",
        "colour",
        "colour: unknown field",
    )
    wrong = client.post("/things", json={"name": "x", "size": "big"}).json()["error"]
    assert wrong["field"] == "size"
    missing = client.post("/things", json={}).json()["error"]
    assert missing["field"] == "name"
    broken = client.post("/things", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422


def test_unknown_route_uses_the_error_shape() -> None:
    response = _client().get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not Found", "field": None}}


def test_database_outage_is_503() -> None:
    # nothing listens on port 1: the driver cannot connect
    response = _client("postgresql+asyncpg://postgres@127.0.0.1:1/none").get("/db")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"


def _store_client(database_url: str) -> TestClient:
    """A route that writes what it is sent to a table with a unique, a NOT NULL and a bounded column."""
    from sqlalchemy import text

    app = FastAPI()
    install_error_handlers(app)
    db = Database(database_url, service="errors-test")

    @app.post("/accounts")
    async def create(body: dict[str, object]) -> dict[str, str]:
        async with db.session() as session:
            await session.execute(
                text("CREATE TABLE IF NOT EXISTS accounts (email VARCHAR(20) UNIQUE, age INTEGER NOT NULL, note TEXT)")
            )
            await session.execute(
                text("INSERT INTO accounts (email, age, note) VALUES (:email, :age, :note)"),
                {"email": body.get("email"), "age": body.get("age"), "note": body.get("note")},
            )
        return {"ok": "yes"}

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.integration
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_database_errors_caused_by_input_are_409_or_422_naming_the_field(backend: str, tmp_path) -> None:
    url = create_database("crm_test_errors") if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}/e.db"
    with _store_client(url) as client:  # one event loop for the pooled connections
        assert client.post("/accounts", json={"email": "a@example.com", "age": 1}).status_code == 200
        taken = client.post("/accounts", json={"email": "a@example.com", "age": 2})
        assert taken.status_code == 409
        assert taken.json()["error"]["field"] == "email" and "a@example.com" not in taken.text  # no value echoed
        missing = client.post("/accounts", json={"email": "b@example.com", "age": None})
        assert (missing.status_code, missing.json()["error"]["field"]) == (422, "age")
        if backend == "postgresql":  # SQLite stores these
            nul = client.post("/accounts", json={"email": "c@example.com", "age": 3, "note": "a\x00b"})
            assert (nul.status_code, nul.json()["error"]["code"]) == (422, "validation_error")
            too_long = client.post("/accounts", json={"email": "x" * 30, "age": 4})
            assert too_long.status_code == 422
            too_big = client.post("/accounts", json={"email": "d@example.com", "age": 2**40})
            assert too_big.status_code == 422


def test_405_names_every_method_of_the_path_and_unparsable_bodies_are_422() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things/{thing_id}")
    async def read(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.delete("/things/{thing_id}")
    async def delete(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    client = TestClient(app)
    refused = client.put("/things/1")
    assert refused.status_code == 405 and refused.headers["allow"] == "DELETE, GET"
    garbage = client.post("/things", content=b"\xff\xfe\x00", headers={"content-type": "application/json"})
    assert garbage.status_code == 422 and garbage.json()["error"]["field"] == "body"


def test_every_operation_documents_the_common_statuses_with_the_error_shape() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things", responses=error_responses(413))
    async def create(thing: Thing) -> Thing:
        return thing

    responses = app.openapi()["paths"]["/things"]["post"]["responses"]
    assert set(responses) == {"200", "401", "403", "404", "409", "413", "422", "503"}
    shape = {"$ref": "#/components/schemas/ErrorResponse"}
    assert all(responses[s]["content"]["application/json"]["schema"] == shape for s in responses if s != "200")
    assert "HTTPValidationError" not in app.openapi()["components"]["schemas"]
