"""Secure by default (R-09): CRM_ENV=production refuses to start with a development secret or key, naming it;
development (the default) starts with none set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from servicekit import pii
from servicekit.settings import (
    CommonSettings,
    InsecureSettings,
    development_secrets,
    new_secret,
    refuse_development_secrets,
)
from servicekit.testing import free_port

BROKER = "amqp://crm:a-long-broker-password@rabbitmq:5672/"
SAFE = {
    "CRM_PII_KEYS": f"k1:{pii.generate_key()}",
    "CRM_PII_INDEX_KEY": pii.generate_key(),
    "CRM_NOTIFIER_UNSUBSCRIBE_SECRET": new_secret(),
}
NOTIFIER = ("CRM_NOTIFIER_UNSUBSCRIBE_SECRET",)


def test_real_secrets_pass() -> None:
    assert development_secrets(NOTIFIER, environ=SAFE, broker_url=BROKER) == []


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("CRM_NOTIFIER_UNSUBSCRIBE_SECRET", "short", "CRM_NOTIFIER_UNSUBSCRIBE_SECRET is shorter than 32"),
        ("CRM_PII_KEYS", None, "CRM_PII_KEYS is not set"),
        ("CRM_PII_KEYS", f"dev:{pii.DEVELOPMENT_KEY}", "CRM_PII_KEYS holds the development key"),
        ("CRM_PII_INDEX_KEY", pii.DEVELOPMENT_INDEX_KEY, "CRM_PII_INDEX_KEY holds the development key"),
        ("CRM_NOTIFIER_UNSUBSCRIBE_SECRET", "", "CRM_NOTIFIER_UNSUBSCRIBE_SECRET is not set"),
        (
            "CRM_NOTIFIER_UNSUBSCRIBE_SECRET",
            "crm-local-unsubscribe-secret-change-me",
            "CRM_NOTIFIER_UNSUBSCRIBE_SECRET is a development value",
        ),
    ],
)
def test_each_development_secret_is_named(variable: str, value: str | None, problem: str) -> None:
    environ = {k: v for k, v in SAFE.items() if k != variable} | ({} if value is None else {variable: value})
    [found] = development_secrets(NOTIFIER, environ=environ, broker_url=BROKER)
    assert found.startswith(problem)


def test_the_guest_broker_account_is_refused() -> None:
    problems = development_secrets(environ=SAFE, broker_url="amqp://guest:guest@localhost:5672/")
    assert [p.split()[0] for p in problems] == ["CRM_BROKER_URL"]


def test_development_starts_with_nothing_set_and_production_does_not() -> None:
    refuse_development_secrets(NOTIFIER, settings=CommonSettings(env="development"))
    with pytest.raises(InsecureSettings, match="CRM_PII_KEYS") as refused:
        refuse_development_secrets(NOTIFIER, settings=CommonSettings(env="production", broker_url=BROKER))
    assert "CRM_NOTIFIER_UNSUBSCRIBE_SECRET" in str(refused.value)


@pytest.mark.parametrize("service", ["customer", "notifier"])
def test_a_service_in_production_with_development_secrets_does_not_start(service: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SAFE} | {"CRM_ENV": "production"}
    env["CRM_" + service.upper() + "_PORT"] = str(free_port())
    started = subprocess.run(
        [sys.executable, "-m", "crm_cli.main", "serve", service], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert "CRM_ENV=production refuses to start" in started.stderr + started.stdout
    assert "CRM_PII_KEYS is not set" in started.stderr + started.stdout
    if service == "notifier":
        assert "CRM_NOTIFIER_UNSUBSCRIBE_SECRET" in started.stderr + started.stdout
