"""Template rules (R-41), pure: the recipient's language (zh-CN/zh-TW/zh -> zh, anything else -> en; the other
language when one is missing), the parts each channel sends, and rendering in a Jinja2 sandbox that names a
missing parameter. Compiled templates are cached per (name, language, version, part, source)."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

LANGUAGES = ("zh", "en")
PARTS = ("subject", "text", "html", "short_text")
_COMPILED_MAX = 1024


class TemplateError(ValueError):
    """A template cannot be used: unknown, wrong purpose, bad syntax or a parameter missing."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownTemplate(TemplateError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown template {name!r}", field="template")
        self.name = name


class MissingParameter(TemplateError):
    def __init__(self, name: str, template: str = "") -> None:
        where = f" by template {template!r}" if template else ""
        super().__init__(f"missing parameter {name!r} needed{where}", field=f"parameters.{name}")
        self.name = name


class WrongPurpose(TemplateError):
    def __init__(self, name: str, purpose: str, expected: str) -> None:
        super().__init__(f"template {name!r} is for purpose {expected!r}, not {purpose!r}", field="purpose")


class TemplateSyntax(TemplateError):
    def __init__(self, field: str, line: int | None, message: str) -> None:
        super().__init__(f"{field}: syntax error on line {line}: {message}", field=field)
        self.line = line


@dataclass(frozen=True)
class Rendered:
    subject: str | None
    text: str
    html: str | None
    template_version: int
    language: str = ""


@dataclass(frozen=True)
class VersionText:
    """One language's wording of one template version, as rendering needs it."""

    template_name: str
    language: str
    version: int
    subject: str | None
    text: str
    html: str | None
    short_text: str


def language_for(locale: str | None) -> str:
    """The template language for a recipient's locale: zh, zh-CN, zh-TW, zh_Hant... -> zh; else en."""
    return "zh" if (locale or "").lower().replace("_", "-").split("-")[0] == "zh" else "en"


def language_order(locale: str | None) -> tuple[str, str]:
    first = language_for(locale)
    return (first, "en" if first == "zh" else "zh")


# which stored parts each channel sends: (subject, body, html)
CHANNEL_PARTS: dict[str, tuple[str | None, str, str | None]] = {
    "email": ("subject", "text", "html"),
    "in_app": ("subject", "text", None),
    "sms": (None, "short_text", None),
    "im": (None, "short_text", None),
}


_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _missing_name(error: UndefinedError) -> str:
    match = _UNDEFINED.search(str(error))
    return next((group for group in match.groups() if group), "?") if match else str(error)


def version_for(versions: dict[str, VersionText], language: str | None) -> VersionText:
    """The recipient's language if the template has it, else the other one."""
    return next(versions[lang] for lang in language_order(language) if lang in versions)


# autoescape only for the HTML part; both sandboxed, a missing variable is an error, never an empty string
_PLAIN = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_HTML = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=False)


def _environment(part: str) -> jinja2.Environment:
    return _HTML if part == "html" else _PLAIN


def check_syntax(parts: dict[str, str | None]) -> None:
    """Raise TemplateSyntax naming the first part (field) and line that does not parse."""
    for part, source in parts.items():
        if source is None:
            continue
        try:
            _environment(part).parse(source)
        except TemplateSyntaxError as exc:
            raise TemplateSyntax(part, exc.lineno, exc.message or "invalid") from None


_compiled: OrderedDict[tuple[str, str, int, str, str], jinja2.Template] = OrderedDict()


def _compiled_part(version: VersionText, part: str) -> jinja2.Template:
    source = getattr(version, part)
    # the source is part of the key: the same (name, version) can differ between databases (tests, environments)
    key = (version.template_name, version.language, version.version, part, source)
    template = _compiled.get(key)
    if template is None:
        template = _environment(part).from_string(source)
        _compiled[key] = template
        if len(_compiled) > _COMPILED_MAX:
            _compiled.popitem(last=False)
    return template


def render_version(version: VersionText, channel: str, parameters: dict) -> Rendered:
    """The parts `channel` sends, rendered with `parameters`; a missing one is named (MissingParameter)."""
    try:
        subject_part, body_part, html_part = CHANNEL_PARTS[channel]
    except KeyError:
        raise TemplateError(f"unknown channel {channel!r}", field="channel") from None

    def part(name: str | None) -> str | None:
        if name is None or getattr(version, name) is None:
            return None
        try:
            return _compiled_part(version, name).render(parameters).strip()
        except UndefinedError as exc:
            raise MissingParameter(_missing_name(exc), version.template_name) from None
        except (SecurityError, TypeError, ValueError, ArithmeticError) as exc:
            raise TemplateError(f"template {version.template_name!r} {name} failed: {exc}") from None

    subject = part(subject_part)
    body = part(body_part) or ""
    # a subject is one header line
    subject = " ".join(subject.split()) if subject is not None else None
    return Rendered(subject, body, part(html_part), version.version, version.language)
