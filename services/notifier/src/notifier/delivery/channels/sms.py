"""SMS in Twilio's Messages API format (R-40): form-encoded To/From/Body, basic auth, and the
I-Twilio-Idempotency-Token header so a re-send after a crash is not a second text. 4xx = permanent with
the provider's message; 5xx and timeouts = transient."""

from __future__ import annotations

import httpx

from notifier.delivery.channels import Outgoing, Permanent, Transient
from notifier.settings import NotifierSettings


class SmsChannel:
    def __init__(self, settings: NotifierSettings) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(
            timeout=settings.http_timeout_seconds, auth=(settings.sms_account, settings.sms_token)
        )

    async def send(self, message: Outgoing) -> str | None:
        s = self.settings
        try:
            response = await self.client.post(
                s.sms_url,
                data={"To": message.address, "From": s.sms_from, "Body": message.text},
                headers={"I-Twilio-Idempotency-Token": message.provider_key},
            )
        except httpx.HTTPError as exc:
            raise Transient(type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise Transient(f"sms http {response.status_code}")
        body = _json(response)
        if response.status_code >= 400:
            raise Permanent(
                f"sms {body.get('code', response.status_code)}: {body.get('message', response.reason_phrase)}"[:300]
            )
        return body.get("sid")

    async def close(self) -> None:
        await self.client.aclose()


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
