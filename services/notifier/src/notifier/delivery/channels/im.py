"""IM robot webhooks (R-40): WeCom, DingTalk and Feishu JSON; DingTalk and Feishu signed with the robot's
secret. The address is the webhook URL (staff contacts in settings). A non-zero errcode/code is the
provider refusing (permanent); 5xx and timeouts are transient."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

import httpx

from notifier.delivery.channels import Outgoing, Permanent, Transient
from notifier.settings import NotifierSettings


def payload(flavour: str, text: str, secret: str | None, now_ms: int) -> tuple[dict, dict[str, str]]:
    """(JSON body, extra query parameters) for one text message."""
    if flavour == "feishu":
        body: dict = {"msg_type": "text", "content": {"text": text}}
        if secret:
            ts = str(now_ms // 1000)
            key = f"{ts}\n{secret}".encode()
            body |= {"timestamp": ts, "sign": base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()}
        return body, {}
    body = {"msgtype": "text", "text": {"content": text}}
    if flavour == "dingtalk" and secret:
        ts = str(now_ms)
        digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
        return body, {"timestamp": ts, "sign": quote_plus(base64.b64encode(digest).decode())}
    return body, {}


class ImChannel:
    def __init__(self, settings: NotifierSettings) -> None:
        self.settings = settings
        self.client = httpx.AsyncClient(timeout=settings.http_timeout_seconds)

    async def send(self, message: Outgoing) -> str | None:
        text = f"{message.subject}\n{message.text}" if message.subject else message.text
        body, params = payload(self.settings.im_flavour, text, self.settings.im_secret, int(time.time() * 1000))
        url = message.address
        if params:
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in params.items())
        try:
            response = await self.client.post(url, json=body)
        except httpx.HTTPError as exc:
            raise Transient(type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise Transient(f"im http {response.status_code}")
        try:
            reply = response.json()
        except ValueError:
            reply = {}
        code = reply.get("errcode", reply.get("code", 0)) if isinstance(reply, dict) else 0
        if response.status_code >= 400 or code:
            message_text = reply.get("errmsg") or reply.get("msg") or response.reason_phrase
            raise Permanent(f"im {code or response.status_code}: {message_text}"[:300])
        return None

    async def close(self) -> None:
        await self.client.aclose()
