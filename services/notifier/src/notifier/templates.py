"""Message templates (issue 5 point 3, R-41): Jinja2 in a sandbox, zh and en, stored and versioned.

`render` picks the recipient's language (zh-CN/zh-TW/zh -> zh, anything else -> en; the other language when
one is missing), renders the parts the channel needs and names a missing parameter. Compiled templates are
cached per (name, language, version); which version is newest is cached for HEAD_TTL_SECONDS per process so
a campaign does not look it up per message (an edit through this process's API clears it at once; other
replicas see it within the TTL).
"""

from __future__ import annotations

import re
import time
import tomllib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.models_content import MessageTemplate, TemplateVersion
from servicekit.db import Database, utcnow

LANGUAGES = ("zh", "en")
PARTS = ("subject", "text", "html", "short_text")
HEAD_TTL_SECONDS = 2.0
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


# -- pure rules -------------------------------------------------------------------------------------------


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


# -- compilation -------------------------------------------------------------------------------------------

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


def _compiled_part(version: _Version, part: str) -> jinja2.Template:
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


# -- stored templates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    template_name: str
    language: str
    version: int
    subject: str | None
    text: str
    html: str | None
    short_text: str


@dataclass(frozen=True)
class _Head:
    purpose: str
    channels: list[str]
    audience: str
    versions: dict[str, _Version]  # language -> newest active version
    loaded_at: float


_heads: dict[str, _Head | None] = {}


def forget(name: str | None = None) -> None:
    """Drop cached heads (one template, or all) so the next render reads the newest version."""
    if name is None:
        _heads.clear()
    else:
        _heads.pop(name, None)


async def _head(session: AsyncSession, name: str) -> _Head | None:
    cached = _heads.get(name)
    if cached is not None and time.monotonic() - cached.loaded_at < HEAD_TTL_SECONDS:
        return cached
    template = await session.get(MessageTemplate, name)
    if template is None and name in default_templates():
        await seed_defaults(session, only=name)
        template = await session.get(MessageTemplate, name)
    if template is None:
        _heads.pop(name, None)
        return None
    newest = (
        select(TemplateVersion.language, func.max(TemplateVersion.version).label("version"))
        .where(TemplateVersion.template_name == name, TemplateVersion.active.is_(True))
        .group_by(TemplateVersion.language)
        .subquery()
    )
    rows = await session.scalars(
        select(TemplateVersion).join(
            newest,
            (TemplateVersion.language == newest.c.language) & (TemplateVersion.version == newest.c.version),
        ).where(TemplateVersion.template_name == name)
    )
    versions = {
        row.language: _Version(name, row.language, row.version, row.subject, row.text, row.html, row.short_text)
        for row in rows
    }
    head = _Head(template.purpose, channel_list(template.channels), template.audience, versions, time.monotonic())
    _heads[name] = head
    return head


def channel_list(channels: str) -> list[str]:
    return [channel for channel in channels.split(",") if channel]


async def template_exists(session: AsyncSession, name: str) -> bool:
    return await _head(session, name) is not None


async def default_channels(session: AsyncSession, name: str) -> list[str]:
    head = await _head(session, name)
    if head is None:
        raise UnknownTemplate(name)
    return list(head.channels)


async def render(
    session: AsyncSession,
    *,
    template: str,
    purpose: str,
    language: str | None,
    channel: str,
    parameters: dict,
) -> Rendered:
    """Render `template` for one channel in the recipient's language (R-41)."""
    head = await _head(session, template)
    if head is None or not head.versions:
        raise UnknownTemplate(template)
    if head.purpose != purpose:
        raise WrongPurpose(template, purpose, head.purpose)
    return render_version(_version_for(head, language), channel, parameters)


async def preview(session: AsyncSession, *, template: str, language: str | None, channel: str, parameters: dict) -> Rendered:
    """What `render` would send now, with the newest stored version (no cached head)."""
    forget(template)
    head = await _head(session, template)
    if head is None or not head.versions:
        raise UnknownTemplate(template)
    return render_version(_version_for(head, language), channel, parameters)


def _version_for(head: _Head, language: str | None) -> _Version:
    return next(head.versions[lang] for lang in language_order(language) if lang in head.versions)


def render_version(version: _Version, channel: str, parameters: dict) -> Rendered:
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


# -- editing -----------------------------------------------------------------------------------------------


async def save_version(
    session: AsyncSession,
    *,
    name: str,
    language: str,
    parts: dict[str, str | None],
    by: str,
    purpose: str | None = None,
    channels: list[str] | None = None,
    audience: str = "customer",
) -> TemplateVersion:
    """A new version of one language of `name` (a new template needs `purpose`); old versions stay."""
    check_syntax(parts)
    template = await session.get(MessageTemplate, name, with_for_update=True)
    if template is None:
        if purpose is None:
            raise TemplateError("a new template needs its purpose", field="purpose")
        template = MessageTemplate(
            name=name, purpose=purpose, channels=",".join(channels or ["email"]), audience=audience, created_at=utcnow()
        )
        session.add(template)
        await session.flush()
    elif purpose is not None and purpose != template.purpose:
        raise WrongPurpose(name, purpose, template.purpose)
    if channels is not None:
        template.channels = ",".join(channels)
    latest = await session.scalar(
        select(func.max(TemplateVersion.version)).where(
            TemplateVersion.template_name == name, TemplateVersion.language == language
        )
    )
    row = TemplateVersion(
        template_name=name,
        language=language,
        version=(latest or 0) + 1,
        subject=parts.get("subject"),
        text=parts["text"] or "",
        html=parts.get("html"),
        short_text=parts.get("short_text") or parts["text"] or "",
        active=True,
        created_at=utcnow(),
        created_by=by,
    )
    session.add(row)
    await session.flush()
    forget(name)
    return row


# -- defaults (template_defaults/*.toml) -------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultTemplate:
    name: str
    purpose: str
    audience: str
    channels: list[str]
    languages: dict[str, dict[str, str | None]]


@cache
def default_templates() -> dict[str, DefaultTemplate]:
    found: dict[str, DefaultTemplate] = {}
    for entry in resources.files("notifier.template_defaults").iterdir():
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        name = entry.name.removesuffix(".toml")
        languages = {lang: {part: data[lang].get(part) for part in PARTS} for lang in LANGUAGES if lang in data}
        found[name] = DefaultTemplate(name, data["purpose"], data.get("audience", "customer"), data["channels"], languages)
    return found


async def seed_defaults(session: AsyncSession, *, only: str | None = None) -> int:
    """Insert the default templates the database lacks (idempotent; a concurrent seeder's rows win)."""
    existing = set(await session.scalars(select(MessageTemplate.name)))
    now = utcnow()
    seeded = 0
    for default in default_templates().values():
        if default.name in existing or (only is not None and default.name != only):
            continue
        statement = _insert_ignoring_duplicates(session).values(
            name=default.name,
            purpose=default.purpose,
            channels=",".join(default.channels),
            audience=default.audience,
            created_at=now,
        )
        if (await session.execute(statement)).rowcount != 1:
            continue  # another replica seeded it meanwhile
        await session.execute(
            insert(TemplateVersion),
            [
                {
                    "template_name": default.name,
                    "language": language,
                    "version": 1,
                    **{part: parts.get(part) for part in ("subject", "html")},
                    "text": parts["text"],
                    "short_text": parts.get("short_text") or parts["text"],
                    "active": True,
                    "created_at": now,
                    "created_by": "system",
                }
                for language, parts in default.languages.items()
            ],
        )
        seeded += 1
    return seeded


def _insert_ignoring_duplicates(session: AsyncSession):  # noqa: ANN202 - dialect-specific Insert
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(MessageTemplate).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(MessageTemplate).on_conflict_do_nothing()


# -- reading for the API -----------------------------------------------------------------------------------


async def get_all(session: AsyncSession) -> list[tuple[MessageTemplate, dict[str, int]]]:
    """Every template with the newest version number per language."""
    newest = await session.execute(
        select(TemplateVersion.template_name, TemplateVersion.language, func.max(TemplateVersion.version))
        .where(TemplateVersion.active.is_(True))
        .group_by(TemplateVersion.template_name, TemplateVersion.language)
    )
    by_name: dict[str, dict[str, int]] = {}
    for name, language, version in newest:
        by_name.setdefault(name, {})[language] = version
    templates = await session.scalars(select(MessageTemplate).order_by(MessageTemplate.name))
    return [(template, by_name.get(template.name, {})) for template in templates]


async def get_versions(session: AsyncSession, name: str) -> tuple[MessageTemplate, list[TemplateVersion]]:
    template = await session.get(MessageTemplate, name)
    if template is None:
        raise UnknownTemplate(name)
    versions = await session.scalars(
        select(TemplateVersion)
        .where(TemplateVersion.template_name == name)
        .order_by(TemplateVersion.language, TemplateVersion.version.desc())
    )
    return template, list(versions)


def seeder(db: Database) -> Callable[[], Awaitable[int]]:
    """A start-up job for `service.every(...)`: seed the defaults in a transaction of its own."""

    async def seed() -> int:
        async with db.session() as session:
            return await seed_defaults(session)

    return seed
