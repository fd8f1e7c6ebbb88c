"""Gateway settings (`CRM_GATEWAY_…`): sessions, lockout, the proxy. Every number configurable."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.settings import UPSTREAMS, service_settings


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_GATEWAY_", extra="ignore")

    # sessions: the access token's life is CRM_JWT_TTL_SECONDS (15 minutes at most)
    refresh_ttl_seconds: int = Field(default=8 * 3600, ge=60, description="one refresh token, unused, lives this long")
    session_max_seconds: int = Field(default=7 * 24 * 3600, ge=60, description="a chain of refreshes ends then")
    cookie_secure: bool = Field(default=False, description="the refresh cookie only over HTTPS (true in production)")
    service_token_ttl_seconds: int = Field(default=900, ge=1, le=900)
    # lockout (sessions/rules.py): per account, per client address, per (account, address)
    free_attempts: int = Field(default=3, ge=1, description="failures before any wait")
    account_lock_max_seconds: int = Field(default=300, ge=1, description="a stranger locks a real user out this long")
    pair_lock_max_seconds: int = Field(default=3600, ge=1)
    address_lock_max_seconds: int = Field(default=3600, ge=1)
    base_lock_seconds: int = Field(default=2, ge=1, description="the first wait, doubled per further failure")
    failure_window_seconds: int = Field(default=900, ge=1, description="failures older than this are forgotten")
    address_free_attempts: int = Field(default=20, ge=1, description="failures from one address, any accounts")
    # keys: a retired key still verifies this long after it stopped signing (longer than any access token)
    key_overlap_seconds: int = Field(default=960, ge=60)
    key_reload_seconds: float = Field(default=30.0, gt=0, description="replicas pick up a rotated key this often")
    # the door
    trusted_proxies: list[str] = Field(
        default_factory=list, description="load balancers whose X-Forwarded-For names the client (else the peer)"
    )
    upstreams: dict[str, str] = Field(default_factory=dict, description="service -> base URL; default its local port")
    connect_timeout_seconds: float = Field(default=2.0, gt=0)
    read_timeout_seconds: float = Field(default=30.0, gt=0)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    max_connections: int = Field(default=200, ge=1, description="open connections per upstream")

    def upstream(self, service: str) -> str | None:
        if service in self.upstreams:
            return self.upstreams[service].rstrip("/")
        if service not in UPSTREAMS:
            return None
        settings = service_settings(service)
        return f"http://{settings.host}:{settings.port}"


@cache
def gateway_settings() -> GatewaySettings:
    return GatewaySettings()
