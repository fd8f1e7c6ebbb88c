"""The one-click unsubscribe pages (R-42, RFC 8058): public, no staff token; the link's signature is the authority."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from notifier.consent import service
from notifier.consent.rules import BadToken, Unsubscription
from servicekit.errors import ApiError, error_responses
from servicekit.fields import RawText
from servicekit.runtime import DbSession

router = APIRouter(tags=["unsubscribe"])

_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:3em auto">{body}</body></html>"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), body=body), headers={"Cache-Control": "no-store"})


def _read(token: str) -> Unsubscription:
    try:
        return service.read_unsubscribe_link(token)
    except BadToken as exc:
        raise ApiError(400, "invalid_token", str(exc), field="token") from None


_WHAT = {
    "care": ("关怀消息", "care messages"),
    "marketing": ("营销消息", "marketing messages"),
    "service": ("服务通知", "service messages"),
}


@router.get("/unsubscribe/{token}", response_class=HTMLResponse, responses=error_responses(400))
async def confirm_unsubscribe(token: Annotated[RawText, Path(max_length=1000)]) -> HTMLResponse:
    """A confirmation page with one button; a GET never unsubscribes (link scanners follow GETs)."""
    found = _read(token)
    zh, en = _WHAT.get(found.purpose, (found.purpose, found.purpose))
    form = (
        f"<p>不再通过 {escape(found.channel)} 接收{escape(zh)}？<br>"
        f"Stop receiving {escape(en)} by {escape(found.channel)}?</p>"
        f'<form method="post"><button type="submit">退订 / Unsubscribe</button></form>'
    )
    return _page("退订 / Unsubscribe", form)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse, responses=error_responses(400))
async def do_unsubscribe(token: Annotated[RawText, Path(max_length=1000)], session: DbSession) -> HTMLResponse:
    """The button and RFC 8058 one-click POSTs: consent is withdrawn in this transaction (R-42), at once."""
    await service.unsubscribe(session, _read(token))
    return _page("已退订 / Unsubscribed", "<p>您已退订，立即生效。<br>You are unsubscribed, effective immediately.</p>")
