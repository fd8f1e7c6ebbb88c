"""The public survey pages in a real headless Chromium (Debian's, driven by Playwright): a customer on a phone
fills in the staff evaluation by its labels in zh-CN and in en, and the answers are recorded (R-33)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import uvicorn
from playwright.async_api import async_playwright
from sqlalchemy import select
from survey_helpers import close_case, invitation_of_case, link_of, service

from servicekit.testing import free_port, running
from surveys.responses.models import Response

pytestmark = [pytest.mark.integration]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

FORMS = {
    "en": {
        "items": {
            "Attitude": "Very satisfied",
            "Skill": "Satisfied",
            "Arrival or response time": "Average",
            "Handling of promised matters": "Poor",
        },
        "comment": "Comments or suggestions (optional)",
        "submit": "Submit",
        "thanks": "Thank you for your feedback",
    },
    "zh-CN": {
        "items": {"服务态度": "非常满意", "技术水平": "满意", "到达/响应时间": "一般", "承诺事项的办理": "不满意"},
        "comment": "您的意见或建议（选填）",
        "submit": "提交",
        "thanks": "感谢您的评价",
    },
}
EXPECTED = {"attitude": "very_satisfied", "skill": "satisfied", "response_time": "average", "promises": "poor"}


@pytest.fixture
async def base_url(clock) -> AsyncIterator[str]:
    """The surveys app served over real HTTP on a free port, in this test's event loop."""
    port = free_port()
    async with running(service().app):
        server = uvicorn.Server(
            uvicorn.Config(service().app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        await task


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_a_customer_fills_in_the_evaluation_on_a_phone(base_url, clock, new_id, language):
    invitation = await invitation_of_case(await close_case(new_id(), clock()))
    link = await link_of(invitation.id)
    form = FORMS[language]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
            await page.goto(f"{base_url}{link}?lang={language}")
            assert await page.evaluate("document.documentElement.lang") == language
            # usable on a phone: nothing wider than the screen
            assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            for item, level in form["items"].items():
                await page.get_by_role("group", name=item).get_by_label(level, exact=True).check()
            await page.get_by_label(form["comment"]).fill("准时 on time")
            await page.get_by_role("button", name=form["submit"]).click()
            await page.get_by_role("heading", name=form["thanks"]).wait_for()
        finally:
            await browser.close()
    async with service().db.session() as session:
        recorded = await session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    assert recorded.scores == EXPECTED and recorded.texts == {"comment": "准时 on time"}
    assert recorded.language == language
