"""Stored templates (R-41): the shipped defaults, seeding, rendering by language, refusals, versions."""

from __future__ import annotations

import pytest

from notifier.app import service
from notifier.templates import service as templates
from notifier.templates.rules import UnknownTemplate, WrongPurpose, check_syntax


def test_every_default_template_has_both_languages_and_parses() -> None:
    defaults = templates.default_templates()
    assert {"case_acknowledged", "case_escalated", "care_holiday_greeting", "marketing_generic"} <= set(defaults)
    assert len(defaults) == 10
    for default in defaults.values():
        assert set(default.languages) == {"zh", "en"}, default.name
        for parts in default.languages.values():
            check_syntax(parts)
        if default.purpose in ("care", "marketing"):  # every such message carries the link
            for parts in default.languages.values():
                assert all("unsubscribe_url" in (parts[p] or "") for p in ("text", "html", "short_text")), default.name


def pg(test):  # type: ignore[no-untyped-def]
    """Integration: real PostgreSQL with the notifier schema."""
    return pytest.mark.integration(pytest.mark.usefixtures("notifier_schema")(test))


@pg
async def test_seeding_is_idempotent_and_renders_by_language() -> None:
    async with service.db.session() as session:
        await templates.seed_defaults(session)
        assert await templates.seed_defaults(session) == 0
        zh = await templates.render(
            session,
            template="case_acknowledged",
            purpose="service",
            language="zh-TW",
            channel="email",
            parameters={"number": "TS-2026-000001"},
        )
        en = await templates.render(
            session,
            template="case_acknowledged",
            purpose="service",
            language="de",
            channel="sms",
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
        with pytest.raises(UnknownTemplate, match="no_such"):
            await templates.render(
                session, template="no_such", purpose="care", language="en", channel="email", parameters={}
            )
        with pytest.raises(WrongPurpose):
            await templates.render(
                session,
                template="marketing_generic",
                purpose="service",
                language="en",
                channel="email",
                parameters={"headline": "h", "body": "b", "unsubscribe_url": "u"},
            )


@pg
async def test_falls_back_to_the_other_language() -> None:
    async with service.db.session() as session:
        await templates.save_version(
            session,
            name="only_english",
            language="en",
            parts={"subject": "S", "text": "T {{ x }}"},
            by="meg",
            purpose="service",
            channels=["email"],
        )
    async with service.db.session() as session:
        rendered = await templates.render(
            session, template="only_english", purpose="service", language="zh-CN", channel="email", parameters={"x": 1}
        )
    assert (rendered.language, rendered.text, rendered.html) == ("en", "T 1", None)
