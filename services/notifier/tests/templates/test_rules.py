"""Pure template rules (R-41): language choice, sandbox, missing parameters, channel parts, compilation."""

from __future__ import annotations

import pytest
from jinja2.sandbox import SandboxedEnvironment

from notifier.templates import rules


def version(**parts: str | None) -> rules.VersionText:
    defaults = {
        "subject": "Hi {{ name }}",
        "text": "Hello {{ name }}",
        "html": "<p>{{ name }}</p>",
        "short_text": "Hi {{ name }}",
    }
    return rules.VersionText("greeting", "en", 1, **{**defaults, **parts})


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh", "zh"), ("zh-CN", "zh"), ("zh-TW", "zh"), ("zh_Hant", "zh"), ("en-GB", "en"), ("fr", "en"), (None, "en")],
)
def test_recipient_language_picks_zh_or_en(locale: str | None, language: str) -> None:
    assert rules.language_for(locale) == language


def test_missing_parameter_is_named() -> None:
    with pytest.raises(rules.MissingParameter) as raised:
        rules.render_version(version(), "email", {})
    assert raised.value.name == "name"
    assert raised.value.field == "parameters.name"
    assert "'name'" in str(raised.value) and "greeting" in str(raised.value)


def test_html_is_escaped_text_is_not() -> None:
    rendered = rules.render_version(version(), "email", {"name": "<b>A&B</b>"})
    assert rendered.html == "<p>&lt;b&gt;A&amp;B&lt;/b&gt;</p>"
    assert rendered.text == "Hello <b>A&B</b>"
    assert rendered.subject == "Hi <b>A&B</b>"


def test_channels_get_their_parts() -> None:
    parts = version(short_text="SMS {{ name }}")
    sms = rules.render_version(parts, "sms", {"name": "x"})
    assert (sms.subject, sms.text, sms.html) == (None, "SMS x", None)
    in_app = rules.render_version(parts, "in_app", {"name": "x"})
    assert (in_app.subject, in_app.text, in_app.html) == ("Hi x", "Hello x", None)


def test_sandbox_refuses_unsafe_attribute_access() -> None:
    with pytest.raises(rules.TemplateError):
        rules.render_version(version(text="{{ name.__class__.__mro__[1].__subclasses__() }}"), "email", {"name": "x"})


def test_syntax_error_names_part_and_line() -> None:
    with pytest.raises(rules.TemplateSyntax) as raised:
        rules.check_syntax({"text": "fine", "html": "<p>\n{% if x %}\n</p>"})
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
        rules.render_version(parts, "email", {"name": str(n)})
    assert compiled.count("cache probe {{ name }}") == 1
