"""The templates API (R-41): a new version per edit, editor roles, syntax errors named, previews."""

from __future__ import annotations

import pytest

from notifier.app import service
from notifier.templates import service as templates
from servicekit.testing import bearer

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("notifier_schema")]

MANAGER = bearer("meg", "manager")
MARKETING = bearer("mia", "marketing")
AGENT = bearer("ann", "agent")


async def test_edit_makes_a_new_version_that_renders_and_keeps_the_old(client) -> None:
    body = {
        "subject": "新的{{ holiday }}问候",
        "text": "v2 {{ holiday }} {{ unsubscribe_url }}",
        "html": "<p>v2</p>",
        "short_text": "v2 {{ unsubscribe_url }}",
    }
    edited = await client.put("/templates/care_holiday_greeting/zh", json=body, headers=MARKETING)
    assert edited.status_code == 200, edited.json()
    assert edited.json()["version"] == 2 and edited.json()["created_by"] == "mia"
    async with service.db.session() as session:
        rendered = await templates.render(
            session,
            template="care_holiday_greeting",
            purpose="care",
            language="zh",
            channel="email",
            parameters={"holiday": "春节", "unsubscribe_url": "https://x/u/1"},
        )
    assert (rendered.subject, rendered.template_version) == ("新的春节问候", 2)
    history = (await client.get("/templates/care_holiday_greeting", headers=AGENT)).json()
    assert [(v["language"], v["version"]) for v in history["versions"]] == [("en", 1), ("zh", 2), ("zh", 1)]
    listed = {t["name"]: t for t in (await client.get("/templates", headers=AGENT)).json()}
    assert listed["care_holiday_greeting"]["versions"] == {"zh": 2, "en": 1}


async def test_edit_needs_an_editor_role_and_valid_syntax(client) -> None:
    body = {"text": "ok", "html": "<p>\n{{ name }\n</p>"}
    assert (await client.put("/templates/case_progress/en", json=body, headers=AGENT)).status_code == 403
    bad = await client.put("/templates/case_progress/en", json=body, headers=MANAGER)
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "html" and "line 2" in bad.json()["error"]["message"]
    wrong_language = await client.put("/templates/case_progress/fr", json={"text": "x"}, headers=MANAGER)
    assert wrong_language.status_code == 422 and wrong_language.json()["error"]["field"] == "language"
    new_without_purpose = await client.put("/templates/brand_new/en", json={"text": "x"}, headers=MANAGER)
    assert new_without_purpose.status_code == 422 and new_without_purpose.json()["error"]["field"] == "purpose"


async def test_preview_renders_parts_and_names_a_missing_parameter(client) -> None:
    ok = await client.post(
        "/templates/case_resolved/preview",
        json={"language": "en-US", "channel": "email", "parameters": {"number": "TS-1"}},
        headers=AGENT,
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["language"] == "en" and "TS-1" in ok.json()["subject"] and ok.json()["html"].startswith("<p>")
    missing = await client.post(
        "/templates/case_resolved/preview", json={"channel": "sms", "parameters": {}}, headers=AGENT
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "parameters.number"
    care = await client.post("/templates/care_birthday/preview", json={"language": "zh"}, headers=AGENT)
    assert care.status_code == 200 and "/unsubscribe/example" in care.json()["html"]
    unknown = await client.post("/templates/nope/preview", json={}, headers=AGENT)
    assert unknown.status_code == 404
    assert (await client.get("/templates")).status_code == 401
