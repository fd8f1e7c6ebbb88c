"""Where each service's app and migrations live, by name."""

from __future__ import annotations

import importlib
from pathlib import Path

from servicekit.settings import SERVICES


def migrations_dir(name: str) -> Path:
    return importlib.import_module(name).MIGRATIONS


def app_path(name: str) -> str:
    return f"{name}.app:app"


def known(names: list[str] | None) -> list[str]:
    if not names:
        return list(SERVICES)
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        raise SystemExit(f"crm: unknown service {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    return names
