"""Settings from `CRM_` environment variables: shared ones, and per-service ones under `CRM_<SERVICE>_`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

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

    broker_url: str = "amqp://guest:guest@localhost:5672/"
    var_dir: Path = Path("var")
    log_level: str = "INFO"
    # "production" refuses the local development key pair (tokens.py) and other development defaults
    environment: Literal["development", "production"] = "development"
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
        return self.environment == "production"


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
