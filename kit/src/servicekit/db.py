"""Async SQLAlchemy 2 on SQLite and PostgreSQL alike: engine, one session per request or message.

Services never commit: the boundary (`Database.session()`, used by the HTTP
dependency and the message consumer) commits on success and rolls back on error.

TLS to PostgreSQL (R-09, encrypted in transit) is said one way for the services (asyncpg) and for `crm backup`
(libpq): `?ssl=<mode>` with libpq's modes (`require`, `verify-ca`, `verify-full`, ...) and, to verify the
server, `&sslrootcert=<CA file>`. `sslmode=` is accepted as a synonym of `ssl=`.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from servicekit.clock import Clock, as_clock, utcnow

__all__ = [
    "Database",
    "UTCDateTime",
    "after_commit",
    "create_engine",
    "is_sqlite",
    "make_base",
    "postgres_tls",
    "utcnow",
]

TLS_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")

# stable constraint names so every service's Alembic history gets the same, predictable names
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_base() -> type[DeclarativeBase]:
    """A fresh declarative base with its own metadata, one per service."""

    class Base(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    return Base


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def postgres_tls(url: str) -> tuple[URL, str | None, str | None]:
    """The URL without its TLS parameters, the TLS mode (libpq's names) and the CA file, if any."""
    parsed = make_url(url)
    query = dict(parsed.query)
    modes = {str(query.pop(key)) for key in ("ssl", "sslmode") if key in query}
    root = query.pop("sslrootcert", None)
    if len(modes) > 1:
        raise ValueError("ssl and sslmode disagree in the database URL; give one")
    mode = modes.pop() if modes else None
    if mode is not None and mode not in TLS_MODES:
        raise ValueError(f"ssl={mode} in the database URL is not one of {', '.join(TLS_MODES)}")
    if root is not None and mode is None:
        mode = "verify-full"  # a CA given means: verify the server against it
    return parsed.set(query=query), mode, str(root) if root is not None else None


def _asyncpg_tls(mode: str | None, root: str | None) -> dict[str, Any]:
    if mode is None:
        return {}
    if mode in ("verify-ca", "verify-full"):
        context = ssl.create_default_context(cafile=root)  # no CA file: the system's trusted CAs
        context.check_hostname = mode == "verify-full"
        return {"ssl": context}
    return {"ssl": mode}  # asyncpg takes libpq's other mode names as they are


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # no pre-ping: it costs a round trip per checkout; a dead connection is dropped on its first error
    # (the request gets a 503, the message is redelivered) and pool_recycle retires old ones
    plain, mode, root = postgres_tls(url)
    connect_args = {**_asyncpg_tls(mode, root), **kwargs.pop("connect_args", {})}
    return create_async_engine(
        plain, pool_recycle=1800, pool_size=10, max_overflow=10, connect_args=connect_args, **kwargs
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the relay read while a request writes; busy_timeout waits instead of failing
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_ON_COMMIT = "on_commit_callbacks"


def after_commit(session: AsyncSession | Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this session's transaction has committed (e.g. count a metric only if saved)."""
    session.info.setdefault(_ON_COMMIT, []).append(callback)


class Database:
    """One service's engine, session factory and clock; `after_commit` hooks let the outbox wake its relay."""

    def __init__(self, url: str, *, service: str, clock: Clock | Callable[[], datetime] | None = None) -> None:
        self.url = url
        self.service = service
        self.clock = as_clock(clock)
        self.engine = create_engine(url)
        # a Session subclass per database, so its after_commit listener sees only its own sessions
        session_class = type(f"{service.title()}Session", (Session,), {})
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, sync_session_class=session_class)
        self._commit_hooks: list[Callable[[Session], None]] = []
        # copied into every session's info: lets record_event/next_number find the outbox and tables, handlers the clock
        self.session_info: dict[str, Any] = {"clock": self.clock}
        event.listen(session_class, "after_commit", self._after_commit)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    def on_commit(self, hook: Callable[[Session], None]) -> None:
        self._commit_hooks.append(hook)

    def _after_commit(self, session: Session) -> None:
        for hook in self._commit_hooks:
            hook(session)
        for callback in session.info.pop(_ON_COMMIT, []):
            callback()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            session.info.update(self.session_info)
            try:
                yield session
                await session.commit()
            except BaseException:
                session.info.pop(_ON_COMMIT, None)
                await session.rollback()
                raise

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on PostgreSQL and SQLite alike (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
