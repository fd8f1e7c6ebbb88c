"""`.env.example` documents every setting (R-09 secure by default), `.env` is never committed, and the compose
file requires every secret instead of falling back to a development value."""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

from pydantic_settings import BaseSettings

from servicekit.settings import COMMON_SECRETS, SERVICES, CommonSettings, ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / ".env.example").read_text()
COMPOSE = (ROOT / "docker-compose.yml").read_text()


def documented() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE, flags=re.MULTILINE))


def settings_variables() -> set[str]:
    names = {f"CRM_{field.upper()}" for field in CommonSettings.model_fields}
    for service in SERVICES:
        names |= {f"CRM_{service.upper()}_{field.upper()}" for field in ServiceSettings.model_fields if field != "name"}
        try:
            module = importlib.import_module(f"{service}.settings")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseSettings) and value.__module__ == module.__name__:
                prefix = value.model_config.get("env_prefix", "")
                names |= {f"{prefix}{field}".upper() for field in value.model_fields}
    return names


def test_every_setting_of_every_service_is_in_env_example() -> None:
    assert settings_variables() - documented() == set()


def test_every_variable_the_compose_file_reads_is_in_env_example() -> None:
    assert set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE)) - documented() == set()


def test_the_compose_file_requires_every_secret_and_has_no_default_admin() -> None:
    for secret in (*COMMON_SECRETS, "CRM_NOTIFIER_UNSUBSCRIBE_SECRET", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"):
        assert re.search(rf"\$\{{{secret}:\?[^}}]+\}}", COMPOSE), f"{secret} is not required by docker-compose.yml"
    assert re.search(r"\$\{GRAFANA_ADMIN_PASSWORD:\?", COMPOSE)
    assert ":-admin}" not in COMPOSE.replace("GRAFANA_ADMIN_USER:-admin}", "")
    assert ":-guest}" not in COMPOSE and "change-me" not in COMPOSE
    assert "CRM_ENV: ${CRM_ENV:-production}" in COMPOSE


def test_the_image_runs_in_production_mode() -> None:
    assert re.search(r"^\s*CRM_ENV=production", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)


def test_env_files_are_never_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, capture_output=True, check=False
    ).returncode
    assert ignored == 0, ".env is not git-ignored"
