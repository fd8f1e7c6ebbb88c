"""Channel payloads: IM robot webhooks (WeCom, DingTalk and Feishu) and their signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac

from notifier.delivery.channels.im import payload


def test_im_payloads_and_signatures() -> None:
    body, params = payload("wecom", "hi", None, 1_700_000_000_000)
    assert body == {"msgtype": "text", "text": {"content": "hi"}} and params == {}
    body, params = payload("dingtalk", "hi", "SEC", 1_700_000_000_000)
    digest = hmac.new(b"SEC", b"1700000000000\nSEC", hashlib.sha256).digest()
    assert params["timestamp"] == "1700000000000"
    assert params["sign"] == base64.b64encode(digest).decode().replace("+", "%2B").replace("/", "%2F").replace(
        "=", "%3D"
    )
    body, params = payload("feishu", "hi", "SEC", 1_700_000_000_000)
    expected = base64.b64encode(hmac.new(b"1700000000\nSEC", b"", hashlib.sha256).digest()).decode()
    assert body["sign"] == expected and body["timestamp"] == "1700000000" and body["content"] == {"text": "hi"}
