"""docker-compose.yml is a valid Compose file (the Compose Specification's JSON schema, as the dclint package on
npm ships it), and every service the system runs, the gateway first, is in it with its database."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from servicekit.settings import DEFAULT_PORTS, SERVICES
from servicekit.testing import npm_package

ROOT = Path(__file__).resolve().parents[1]


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((npm_package("dclint", "3.1.0") / "schemas" / "compose.schema.json").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    jsonschema.validate(compose, schema, cls=jsonschema.Draft7Validator)
    init_sql = (ROOT / "deploy" / "postgres" / "init.sql").read_text()
    for service in SERVICES:
        assert compose["services"][service]["command"] == ["serve", service]
        assert f"CREATE DATABASE {service} " in init_sql
        assert f"CRM_{service.upper()}_DATABASE_URL" in compose["services"]["migrate"]["environment"]
    gateway = compose["services"]["gateway"]
    assert gateway["environment"]["CRM_GATEWAY_PORT"] == str(DEFAULT_PORTS["gateway"])
    assert "CRM_JWT_SECRET" not in json.dumps(compose)  # no shared signing secret anywhere
