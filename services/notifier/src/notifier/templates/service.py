"""Stored templates (R-41): versioned per language, the newest active version renders. Which version is newest
is cached for HEAD_TTL_SECONDS per process so a campaign does not look it up per message (an edit through this
process's API clears it at once; other replicas see it within the TTL). Defaults ship in template_defaults/."""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.templates.models import MessageTemplate, TemplateVersion
from notifier.templates.rules import (
    LANGUAGES,
    PARTS,
    Rendered,
    TemplateError,
    UnknownTemplate,
    VersionText,
    WrongPurpose,
    check_syntax,
    render_version,
    version_for,
)
from servicekit.clock import now

HEAD_TTL_SECONDS = 2.0


@dataclass(frozen=True)
class _Head:
    purpose: str
    channels: list[str]
    audience: str
    versions: dict[str, VersionText]  # language -> newest active version
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
        select(TemplateVersion)
        .join(
            newest,
            (TemplateVersion.language == newest.c.language) & (TemplateVersion.version == newest.c.version),
        )
        .where(TemplateVersion.template_name == name)
    )
    versions = {
        row.language: VersionText(name, row.language, row.version, row.subject, row.text, row.html, row.short_text)
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
    return render_version(version_for(head.versions, language), channel, parameters)


async def preview(
    session: AsyncSession, *, template: str, language: str | None, channel: str, parameters: dict
) -> Rendered:
    """What `render` would send now, with the newest stored version (no cached head)."""
    forget(template)
    head = await _head(session, template)
    if head is None or not head.versions:
        raise UnknownTemplate(template)
    return render_version(version_for(head.versions, language), channel, parameters)


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
            name=name,
            purpose=purpose,
            channels=",".join(channels or ["email"]),
            audience=audience,
            created_at=now(session),
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
        created_at=now(session),
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
    for entry in resources.files("notifier.templates").joinpath("template_defaults").iterdir():
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        name = entry.name.removesuffix(".toml")
        languages = {lang: {part: data[lang].get(part) for part in PARTS} for lang in LANGUAGES if lang in data}
        found[name] = DefaultTemplate(
            name, data["purpose"], data.get("audience", "customer"), data["channels"], languages
        )
    return found


async def seed_defaults(session: AsyncSession, *, only: str | None = None) -> int:
    """Insert the default templates the database lacks (idempotent; a concurrent seeder's rows win)."""
    existing = set(await session.scalars(select(MessageTemplate.name)))
    at = now(session)
    seeded = 0
    for default in default_templates().values():
        if default.name in existing or (only is not None and default.name != only):
            continue
        statement = _insert_ignoring_duplicates(session).values(
            name=default.name,
            purpose=default.purpose,
            channels=",".join(default.channels),
            audience=default.audience,
            created_at=at,
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
                    "created_at": at,
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
