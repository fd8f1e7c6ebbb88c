"""Shared surveys fixtures: the migrated schema, the service's clock fixed at NOON, a client on the running app,
and helpers that deliver case events the way the broker consumer would and read the invitation link."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from servicekit.clock import Clock
from servicekit.testing import app_service, migrate, service_client

sys.path.insert(0, str(Path(__file__).resolve().parent))  # survey_helpers, for the tests (importlib mode)

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture(scope="session")
def surveys_schema() -> None:
    migrate("surveys")


@pytest.fixture
def clock(surveys_schema: None) -> Iterator[Clock]:
    service = app_service("surveys")
    service.clock.set(NOON)
    yield service.clock
    service.clock.reset()


@pytest.fixture
async def client(clock: Clock) -> AsyncIterator[Any]:
    async with service_client("surveys") as client:
        yield client


@pytest.fixture
def new_id() -> Any:
    return lambda: str(uuid.uuid4())
