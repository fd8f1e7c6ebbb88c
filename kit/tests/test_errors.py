"""One JSON error shape; 422 names the field; a database outage is a 503, not a traceback."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from servicekit.db import Database
from servicekit.errors import field_path, install_error_handlers


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
