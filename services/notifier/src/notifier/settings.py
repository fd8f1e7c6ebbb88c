"""Notifier settings (`CRM_NOTIFIER_…`). Defaults from docs/business-rules.md (R-42, R-43); every number configurable.

Structured settings are JSON in the environment, e.g.
CRM_NOTIFIER_FREQUENCY_CAPS='{"care": [3, 7], "marketing": [2, 7]}' (count per days, per recipient and purpose),
CRM_NOTIFIER_STAFF_CONTACTS='{"alice": {"email": "alice@corp.example"}, "team:complaints": {"im": "https://..."}}'.
"""

from __future__ import annotations

from datetime import time
from functools import cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifierSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_NOTIFIER_", extra="ignore")

    # restraint
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    default_time_zone: str = "Asia/Shanghai"
    quiet_hours_exempt_open_case: bool = Field(
        default=True, description="service messages about an open case pass quiet hours"
    )
    frequency_caps: dict[str, tuple[int, int]] = Field(
        default_factory=lambda: {"care": (3, 7), "marketing": (2, 7)},
        description="purpose -> (max messages, per days) per recipient",
    )
    frequency_cap_policy: Literal["defer", "drop"] = "defer"

    # staff recipients: subject or "team:<name>" -> {"email": ..., "sms": ..., "im": webhook url}
    staff_contacts: dict[str, dict[str, str]] = Field(default_factory=dict)
    im_flavour: Literal["wecom", "dingtalk", "feishu"] = "wecom"
    im_secret: str | None = Field(default=None, description="DingTalk/Feishu robot signing secret")

    # email (SMTP)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = Field(default=False, description="upgrade the connection with STARTTLS (port 587)")
    smtp_tls: bool = Field(default=False, description="implicit TLS from the first byte (port 465); not with STARTTLS")
    smtp_ca_file: str | None = Field(default=None, description="CA bundle to verify the relay (default: system CAs)")
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "crm@example.com"
    smtp_connections: int = Field(default=8, ge=1, description="persistent SMTP connections per process")
    smtp_timeout_seconds: float = 10.0

    # SMS (Twilio Messages API format)
    sms_url: str = "https://api.twilio.com/2010-04-01/Accounts/ACxxxx/Messages.json"
    sms_account: str = "ACxxxx"
    sms_token: str = ""
    sms_from: str = "+10000000000"
    http_timeout_seconds: float = 10.0

    # content: public links in messages and the unsubscribe signature
    public_base_url: str = Field(default="http://127.0.0.1:8005", description="where recipients reach /unsubscribe")
    unsubscribe_secret: str = Field(
        default="crm-local-unsubscribe-secret-change-me", description="signs unsubscribe links; rotate = old links stop"
    )

    # delivery loop
    request_batch_size: int = Field(default=200, ge=1, description="notification requests per transaction")
    dispatcher_enabled: bool = True
    dispatcher_interval_seconds: float = Field(default=0.2, gt=0)
    dispatcher_batch_size: int = Field(default=200, ge=1)
    dispatcher_concurrency: int = Field(default=32, ge=1, description="sends in flight per process")
    dispatcher_workers: int = Field(default=2, ge=1, description="batches in flight per process")
    lease_seconds: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=12, ge=1)
    backoff_base_seconds: float = Field(default=2.0, gt=0)
    backoff_max_seconds: float = Field(default=600.0, gt=0)
    in_call_retries: int = Field(default=2, ge=1)
    gauges_interval_seconds: float = Field(default=15.0, gt=0)
    # a request for a customer not known yet (its events still on the way) waits, it is not dead-lettered
    customer_wait_hours: float = Field(default=24.0, gt=0, description="then suppressed: customer_not_known")
    waiting_interval_seconds: float = Field(default=60.0, gt=0, description="how often expired waits are closed")


@cache
def notifier_settings() -> NotifierSettings:
    return NotifierSettings()
