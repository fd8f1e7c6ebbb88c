"""Templates (issue 5 point 3, R-41): language choice, sandbox, missing parameters, versions, seeding, API."""

from __future__ import annotations

import pytest
from jinja2.sandbox import SandboxedEnvironment

from notifier import templates
from notifier.app import service
from servicekit.testing import bearer

MANAGER = bearer("meg", "manager")
MARKETING = bearer("mia", "marketing")
AGENT = bearer("ann", "agent")


def version(**parts: str | None) -> templates._Version:
    defaults = {"subject": "Hi {{ name }}", "text": "Hello {{ name }}", "html": "<p>{{ name }}</p>", "short_text": "Hi {{ name }}"}
    return templates._Version("greeting", "en", 1, **{**defaults, **parts})


# -- pure rules, no I/O --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh", "zh"), ("zh-CN", "zh"), ("zh-TW", "zh"), ("zh_Hant", "zh"), ("en-GB", "en"), ("fr", "en"), (None, "en")],
)
def test_recipient_language_picks_zh_or_en(locale: str | None, language: str) -> None:
    assert templates.language_for(locale) == language


def test_missing_parameter_is_named() -> None:
    with pytest.raises(templates.MissingParameter) as raised:
        templates.render_version(version(), "email", {})
    assert raised.value.name == "name"
    assert raised.value.field == "parameters.name"
    assert "'name'" in str(raised.value) and "greeting" in str(raised.value)


def test_html_is_escaped_text_is_not() -> None:
    rendered = templates.render_version(version(), "email", {"name": "<b>A&B</b>"})
    assert rendered.html == "<p>&lt;b&gt;A&amp;B&lt;/b&gt;</p>"
    assert rendered.text == "Hello <b>A&B</b>"
    assert rendered.subject == "Hi <b>A&B</b>"


def test_channels_get_their_parts() -> None:
    parts = version(short_text="SMS {{ name }}")
    sms = templates.render_version(parts, "sms", {"name": "x"})
    assert (sms.subject, sms.text, sms.html) == (None, "SMS x", None)
    in_app = templates.render_version(parts, "in_app", {"name": "x"})
    assert (in_app.subject, in_app.text, in_app.html) == ("Hi x", "Hello x", None)


def test_sandbox_refuses_unsafe_attribute_access() -> None:
    with pytest.raises(templates.TemplateError):
        templates.render_version(version(text="{{ name.__class__.__mro__[1].__subclasses__() }}"), "email", {"name": "x"})


def test_syntax_error_names_part_and_line() -> None:
    with pytest.raises(templates.TemplateSyntax) as raised:
        templates.check_syntax({"text": "fine", "html": "<p>\n{% if x %}\n</p>"})
    assert raised.value.field == "html"
    assert raised.value.line is not None and "line" in str(raised.value)


def test_compiled_once_per_version(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    original = SandboxedEnvironment.from_string

    def counting(self, source, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "from_string", counting)
    parts = version(text="cache probe {{ name }}")
    for n in range(50):
        templates.render_version(parts, "email", {"name": str(n)})
    assert compiled.count("cache probe {{ name }}") == 1


def test_every_default_template_has_both_languages_and_parses() -> None:
    defaults = templates.default_templates()
    assert {"case_acknowledged", "case_escalated", "care_holiday_greeting", "marketing_generic"} <= set(defaults)
    assert len(defaults) == 10
    for default in defaults.values():
        assert set(default.languages) == {"zh", "en"}, default.name
        for parts in default.languages.values():
            templates.check_syntax(parts)
        if default.purpose in ("care", "marketing"):  # R-42: every such message carries the link
            for parts in default.languages.values():
                assert all("unsubscribe_url" in (parts[p] or "") for p in ("text", "html", "short_text")), default.name


# -- stored templates on PostgreSQL -----------------------------------------------------------------------

def pg(test):  # type: ignore[no-untyped-def]
    """Integration: real PostgreSQL with the notifier schema."""
    return pytest.mark.integration(pytest.mark.usefixtures("notifier_schema")(test))


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    templates.forget()


@pg
async def test_seeding_is_idempotent_and_renders_by_language() -> None:
    async with service.db.session() as session:
        await templates.seed_defaults(session)
        assert await templates.seed_defaults(session) == 0
        zh = await templates.render(
            session, template="case_acknowledged", purpose="service", language="zh-TW", channel="email",
            parameters={"number": "TS-2026-000001"},
        )
        en = await templates.render(
            session, template="case_acknowledged", purpose="service", language="de", channel="sms",
            parameters={"number": "TS-2026-000001"},
        )
        assert await templates.template_exists(session, "case_acknowledged")
        assert not await templates.template_exists(session, "no_such_template")
        assert await templates.default_channels(session, "case_escalated") == ["in_app", "im"]
    assert "已受理" in zh.subject and "TS-2026-000001" in zh.html and zh.template_version == 1
    assert en.subject is None and en.text.startswith("We received your complaint TS-2026-000001")


@pg
async def test_unknown_template_and_wrong_purpose_are_refused() -> None:
    async with service.db.session() as session:
        with pytest.raises(templates.UnknownTemplate, match="no_such"):
            await templates.render(session, template="no_such", purpose="care", language="en", channel="email", parameters={})
        with pytest.raises(templates.WrongPurpose):
            await templates.render(
                session, template="marketing_generic", purpose="service", language="en", channel="email",
                parameters={"headline": "h", "body": "b", "unsubscribe_url": "u"},
            )


@pg
async def test_falls_back_to_the_other_language() -> None:
    async with service.db.session() as session:
        await templates.save_version(
            session, name="only_english", language="en", parts={"subject": "S", "text": "T {{ x }}"}, by="meg",
            purpose="service", channels=["email"],
        )
    async with service.db.session() as session:
        rendered = await templates.render(
            session, template="only_english", purpose="service", language="zh-CN", channel="email", parameters={"x": 1}
        )
    assert (rendered.language, rendered.text, rendered.html) == ("en", "T 1", None)


@pg
async def test_edit_makes_a_new_version_that_renders_and_keeps_the_old(client) -> None:
    body = {"subject": "新的{{ holiday }}问候", "text": "v2 {{ holiday }} {{ unsubscribe_url }}", "html": "<p>v2</p>",
            "short_text": "v2 {{ unsubscribe_url }}"}
    edited = await client.put("/templates/care_holiday_greeting/zh", json=body, headers=MARKETING)
    assert edited.status_code == 200, edited.json()
    assert edited.json()["version"] == 2 and edited.json()["created_by"] == "mia"
    async with service.db.session() as session:
        rendered = await templates.render(
            session, template="care_holiday_greeting", purpose="care", language="zh", channel="email",
            parameters={"holiday": "春节", "unsubscribe_url": "https://x/u/1"},
        )
    assert (rendered.subject, rendered.template_version) == ("新的春节问候", 2)
    history = (await client.get("/templates/care_holiday_greeting", headers=AGENT)).json()
    assert [(v["language"], v["version"]) for v in history["versions"]] == [("en", 1), ("zh", 2), ("zh", 1)]
    listed = {t["name"]: t for t in (await client.get("/templates", headers=AGENT)).json()}
    assert listed["care_holiday_greeting"]["versions"] == {"zh": 2, "en": 1}


@pg
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


@pg
async def test_preview_renders_parts_and_names_a_missing_parameter(client) -> None:
    ok = await client.post(
        "/templates/case_resolved/preview",
        json={"language": "en-US", "channel": "email", "parameters": {"number": "TS-1"}},
        headers=AGENT,
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["language"] == "en" and "TS-1" in ok.json()["subject"] and ok.json()["html"].startswith("<p>")
    missing = await client.post("/templates/case_resolved/preview", json={"channel": "sms", "parameters": {}}, headers=AGENT)
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "parameters.number"
    care = await client.post("/templates/care_birthday/preview", json={"language": "zh"}, headers=AGENT)
    assert care.status_code == 200 and "/unsubscribe/example" in care.json()["html"]
    unknown = await client.post("/templates/nope/preview", json={}, headers=AGENT)
    assert unknown.status_code == 404
    assert (await client.get("/templates")).status_code == 401
