"""Where each service's app and migrations live, by name."""

from __future__ import annotations

import importlib
from pathlib import Path

from sqlalchemy import MetaData

from servicekit.settings import SERVICES


def migrations_dir(name: str) -> Path:
    return importlib.import_module(name).MIGRATIONS


def service_metadata(name: str) -> MetaData:
    """All of a service's tables: the metadata its Alembic environment builds. Not from `<name>.app`: importing it
    binds the app to the database settings of that moment."""
    return importlib.import_module(f"{name}.models").Base.metadata  # type: ignore[no-any-return]


def app_path(name: str) -> str:
    return f"{name}.app:app"


def known(names: list[str] | None) -> list[str]:
    if not names:
        return list(SERVICES)
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        raise SystemExit(f"crm: unknown service {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    return names
