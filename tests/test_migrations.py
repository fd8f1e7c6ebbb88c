"""Each service's Alembic history builds exactly its models, on PostgreSQL and SQLite, and can be undone."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic import command

from servicekit.migrations import alembic_config
from servicekit.settings import SERVICES
from servicekit.testing import create_database


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("database", ["postgres", "sqlite"])
def test_migrations_match_the_models_and_downgrade(service: str, database: str, tmp_path: Path) -> None:
    url = (
        create_database(f"crm_test_mig_{service}")
        if database == "postgres"
        else f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
    )
    config = alembic_config(importlib.import_module(service).MIGRATIONS, url)
    command.upgrade(config, "head")
    command.check(config)  # raises when the models have changes no migration covers
    command.downgrade(config, "base")
    command.upgrade(config, "head")
