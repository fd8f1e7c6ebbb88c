"""Signing keys: create, rotate (the new key signs, the old one verifies until its tokens expired), publish.

Each replica caches the signing key and reloads it from the database every `key_reload_seconds`, so a
rotation reaches every replica without a restart; services learn a new key id from the JWKS on first sight.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.keys import rules
from gateway.keys.models import SigningKey
from gateway.settings import gateway_settings
from servicekit import tokens
from servicekit.clock import now
from servicekit.db import Database
from servicekit.settings import common_settings


async def rotate(session: AsyncSession) -> str:
    """A new signing key; the keys that signed until now stop signing and stay published for the overlap."""
    at = now(session)
    stops_signing, stops_verifying = rules.retire_times(at, gateway_settings().key_overlap_seconds)
    await session.execute(
        update(SigningKey)
        .where(SigningKey.signs_until.is_(None))
        .values(signs_until=stops_signing, verify_until=stops_verifying)
    )
    key = tokens.new_private_key()
    kid = tokens.key_id(key)
    session.add(
        SigningKey(
            kid=kid,
            private_key=tokens.private_pem(key),
            public_jwk=tokens.public_jwk(key, kid),
            created_at=at,
            signs_until=None,
            verify_until=None,
        )
    )
    await session.flush()
    KEYS.forget()
    return kid


async def ensure_signing_key(session: AsyncSession) -> None:
    """A first key on an empty key table (two replicas starting together may both make one: both publish)."""
    if await session.scalar(select(SigningKey.kid).where(SigningKey.signs_until.is_(None)).limit(1)) is None:
        await rotate(session)


async def published_keys(session: AsyncSession) -> dict[str, Any]:
    """The JWKS: every key whose tokens may still be alive; in development also the local development key."""
    at = now(session)
    keys = [key.public_jwk for key in await session.scalars(select(SigningKey)) if rules.published(key, at)]
    development = tokens.dev_public_jwks(common_settings())["keys"]
    return {"keys": [*keys, *development]}


@dataclass
class KeyCache:
    """This replica's signing key, reloaded from the database every `key_reload_seconds`."""

    kid: str | None = None
    key: Ed25519PrivateKey | None = None
    loaded_at: float = float("-inf")
    published: dict[str, Any] = field(default_factory=dict)

    def forget(self) -> None:
        self.loaded_at = float("-inf")

    async def signing_key(self, session: AsyncSession) -> tuple[str, Ed25519PrivateKey]:
        if self.key is None or time.monotonic() - self.loaded_at > gateway_settings().key_reload_seconds:
            await self._load(session)
        assert self.kid and self.key
        return self.kid, self.key

    async def _load(self, session: AsyncSession) -> None:
        await ensure_signing_key(session)
        at = now(session)
        candidates = (await session.scalars(select(SigningKey).order_by(SigningKey.created_at.desc()))).all()
        newest = next(key for key in candidates if rules.signs(key, at))
        self.kid, self.key = newest.kid, tokens.load_private_pem(newest.private_key)
        self.published = await published_keys(session)
        tokens.verifier().trust(self.published)  # the gateway verifies its own new key at once
        self.loaded_at = time.monotonic()


KEYS = KeyCache()


async def key_set(db: Database) -> dict[str, Any]:
    """For the kit's verifier in this process: the key set straight from the database."""
    async with db.session() as session:
        return await published_keys(session)
