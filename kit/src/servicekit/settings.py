"""Settings from `CRM_` environment variables: shared ones, and per-service ones under `CRM_<SERVICE>_`.

`CRM_ENV` is `development` (the default: `make run` / `crm up` need no configuration) or `production` (the
default of the image and the compose file): then `refuse_development_secrets` stops a service at start-up while
a secret or key is unset or still a development value, naming the variable (R-09). `.env.example` lists every
variable.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# the fixed default ports (docs/architecture.md)
DEFAULT_PORTS = {
    "gateway": 8000,
    "customer": 8001,
    "engagement": 8002,
    "complaints": 8003,
    "surveys": 8004,
    "notifier": 8005,
}
# the services behind the gateway's door (`/api/<service>/...`)
UPSTREAMS = ("customer", "engagement", "complaints", "surveys", "notifier")
# every service: the gateway first (`crm up` starts it first, so the services find its key set)
SERVICES = ("gateway", *UPSTREAMS)


class CommonSettings(BaseSettings):
    """Settings every service shares."""

    model_config = SettingsConfigDict(env_prefix="CRM_", extra="ignore")

    env: Literal["development", "production"] = Field(
        default="development", description="production refuses development secrets and keys at start-up"
    )
    broker_url: str = "amqp://guest:guest@localhost:5672/"
    var_dir: Path = Path("var")
    # the local development key pair (`crm token`, `crm up`, tests, benches); apart from CRM_VAR_DIR so processes
    # started with a var directory of their own still trust the tokens minted beside them; never in production
    dev_keys_dir: Path = Path("var/keys")
    log_level: str = "INFO"
    # staff tokens (auth.py, tokens.py): EdDSA signed by the gateway, verified with its public keys
    jwt_issuer: str = "crm-gateway"
    jwt_audience: str = "crm-services"
    jwt_ttl_seconds: int = Field(default=900, ge=1, le=900, description="access tokens live 15 minutes at most")
    jwks_url: str = Field(default="http://127.0.0.1:8000/.well-known/jwks.json", description="the gateway's key set")
    jwks_cache_seconds: float = Field(default=3600.0, gt=0, description="a known key set is refetched this often")
    jwks_refetch_seconds: float = Field(default=10.0, ge=0, description="at most one refetch per unknown key id")
    # messaging
    delivery_limit: int = Field(default=5, ge=1, description="deliveries before a message is dead-lettered")
    prefetch: int = Field(default=32, ge=1)
    retry_backoff_seconds: float = Field(default=0.5, ge=0)
    outbox_poll_seconds: float = Field(default=2.0, gt=0, description="fallback poll when no commit woke the relay")
    outbox_batch_size: int = Field(default=200, ge=1)
    publish_timeout_seconds: float = Field(default=10.0, gt=0)
    startup_wait_seconds: float = Field(default=30.0, ge=0, description="how long to wait for broker/DB at start-up")

    @property
    def production(self) -> bool:
        """Production refuses development secrets, and neither signs with nor trusts the development key pair."""
        return self.env == "production"


class ServiceSettings(BaseSettings):
    """One service's own settings: `CRM_<SERVICE>_DATABASE_URL`, `_HOST`, `_PORT`."""

    model_config = SettingsConfigDict(extra="ignore")

    name: str
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)

    @model_validator(mode="after")
    def _service_defaults(self) -> ServiceSettings:
        if not self.database_url:
            path = (common_settings().var_dir / f"{self.name}.db").as_posix()
            self.database_url = f"sqlite+aiosqlite:///{path}"
        if not self.port:
            self.port = DEFAULT_PORTS[self.name]
        return self


@cache
def common_settings() -> CommonSettings:
    return CommonSettings()


def service_settings(name: str) -> ServiceSettings:
    return ServiceSettings(_env_prefix=f"CRM_{name.upper()}_", name=name)


# the secrets every service holds; a service names its own in `ServiceRuntime(secrets=...)`
# (no token secret: the gateway signs with keys in its database, encrypted with the PII keys; tokens.py)
COMMON_SECRETS = ("CRM_PII_KEYS", "CRM_PII_INDEX_KEY")
# a shared secret shorter than this is guessable offline (HMAC links)
MIN_SECRET_LENGTH = 32
DEVELOPMENT_MARKERS = ("change-me", "changeme", "crm-local-")

log = logging.getLogger("servicekit.settings")


class InsecureSettings(RuntimeError):
    """CRM_ENV=production with a development secret or key: the service does not start."""


def development_secrets(
    secrets: Iterable[str] = (), *, environ: Mapping[str, str] | None = None, broker_url: str | None = None
) -> list[str]:
    """What is unsafe for production, one line per variable: unset, a known development value, or too short."""
    from servicekit import pii

    environ = os.environ if environ is None else environ
    problems = []
    for name in dict.fromkeys((*COMMON_SECRETS, *secrets)):
        value = environ.get(name, "").strip()
        if not value:
            problems.append(f"{name} is not set (a development default would be used)")
        elif name in ("CRM_PII_KEYS", "CRM_PII_INDEX_KEY"):
            if pii.DEVELOPMENT_KEY in value or pii.DEVELOPMENT_INDEX_KEY in value:
                problems.append(f"{name} holds the development key")
        elif any(marker in value.lower() for marker in DEVELOPMENT_MARKERS):
            problems.append(f"{name} is a development value")
        elif len(value) < MIN_SECRET_LENGTH:
            problems.append(f"{name} is shorter than {MIN_SECRET_LENGTH} characters")
    broker = urlsplit(broker_url if broker_url is not None else common_settings().broker_url)
    if broker.password in (None, "", "guest"):
        problems.append("CRM_BROKER_URL uses the broker's development account (no password or guest)")
    return problems


def refuse_development_secrets(secrets: Iterable[str] = (), *, settings: CommonSettings | None = None) -> None:
    """Called at every service's start: in production, any development secret stops it (R-09)."""
    settings = settings or common_settings()
    if settings.env != "production":
        return
    problems = development_secrets(secrets, broker_url=settings.broker_url)
    if problems:
        message = "CRM_ENV=production refuses to start: " + "; ".join(problems) + " (see .env.example)"
        log.error(message)
        raise InsecureSettings(message)


def new_secret() -> str:
    """A random secret, e.g. for CRM_NOTIFIER_UNSUBSCRIBE_SECRET."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
