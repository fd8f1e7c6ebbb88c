"""Token keys: the gateway signs staff tokens with an asymmetric key (EdDSA over Ed25519) named by a key id;
every service verifies with public keys only, from the gateway's JWKS (cached, refetched for an unknown key id).

For local use (`crm token`, `crm up`, the tests) a development key pair lives in `CRM_DEV_KEYS_DIR` (var/keys):
the private half for whoever mints locally, the public half (`dev-jwks.json`) for the verifiers. Production
mode (`CRM_ENV=production`) never trusts it and never signs with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from servicekit.settings import CommonSettings, common_settings

log = logging.getLogger("servicekit.tokens")

# asymmetric only: an HS256 token (e.g. one "signed" with a public key) or `alg: none` never verifies
ALGORITHMS = ("EdDSA", "RS256")
SIGNING_ALGORITHM = "EdDSA"
DEV_KID_PREFIX = "dev-"


class DevelopmentKeyRefused(RuntimeError):
    """Production mode refuses to sign with, or trust, the local development key."""


# -- key pairs ----------------------------------------------------------------------------------------------------


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def load_private_pem(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("signing keys are Ed25519")
    return key


def key_id(key: Ed25519PrivateKey, *, prefix: str = "") -> str:
    """The RFC 7638 thumbprint of the public key (stable, unique per key), shortened."""
    jwk = public_jwk(key, "")
    members = {name: jwk[name] for name in ("crv", "kty", "x")}  # the required members, in lexical order
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    return f"{prefix}{jwt.utils.base64url_encode(digest).decode()[:16]}"


def public_jwk(key: Ed25519PrivateKey, kid: str) -> dict[str, Any]:
    jwk = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": SIGNING_ALGORITHM, "use": "sig"}


def sign(claims: dict[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    return jwt.encode(claims, key, algorithm=SIGNING_ALGORITHM, headers={"kid": kid})


# -- the local development key pair -------------------------------------------------------------------------------


def dev_key_dir(settings: CommonSettings) -> Path:
    return settings.dev_keys_dir


def ensure_dev_keys(settings: CommonSettings | None = None) -> Path:
    """Create the development key pair in `CRM_DEV_KEYS_DIR` once (private key readable by its owner only)."""
    settings = settings or common_settings()
    if settings.production:
        raise DevelopmentKeyRefused("production mode does not use the development key pair")
    directory = dev_key_dir(settings)
    private_path = directory / "dev-signing-key.pem"
    if private_path.exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    key = new_private_key()
    kid = key_id(key, prefix=DEV_KID_PREFIX)
    temporary = private_path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(private_pem(key))
    (directory / "dev-jwks.json").write_text(json.dumps({"keys": [public_jwk(key, kid)]}))
    os.replace(temporary, private_path)  # last: a half-written pair is never taken for a whole one
    return directory


def dev_signing_key(settings: CommonSettings | None = None) -> tuple[str, Ed25519PrivateKey]:
    """The development key and its id, for `crm token` and the tests; refused in production mode."""
    settings = settings or common_settings()
    directory = ensure_dev_keys(settings)
    key = load_private_pem((directory / "dev-signing-key.pem").read_text())
    return key_id(key, prefix=DEV_KID_PREFIX), key


def dev_public_jwks(settings: CommonSettings) -> dict[str, Any]:
    """The development public key set, or none (production mode, or never created)."""
    if settings.production:
        return {"keys": []}
    path = dev_key_dir(settings) / "dev-jwks.json"
    if not path.exists():
        return {"keys": []}
    return cast(dict[str, Any], json.loads(path.read_text()))


# -- verification: public keys only -------------------------------------------------------------------------------


async def fetch_jwks_over_http(url: str) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(timeout=5.0) as client:
        response = await client.get(url)
        response.raise_for_status()
        return cast(dict[str, Any], response.json())


@dataclass
class Verifier:
    """The public keys a process trusts, by key id: the development set (not in production) and the JWKS."""

    settings: CommonSettings
    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    fetched_at: float = float("-inf")
    fetch: Any = None  # async () -> JWKS dict; default: GET settings.jwks_url
    _lock: asyncio.Lock | None = None

    def __post_init__(self) -> None:
        self.trust(dev_public_jwks(self.settings))

    def trust(self, jwks: dict[str, Any]) -> None:
        """Add these public keys (a JWKS); development keys are skipped in production mode."""
        for item in jwks.get("keys", []):
            if item.get("alg") not in ALGORITHMS or not item.get("kid"):
                continue
            if self.settings.production and str(item["kid"]).startswith(DEV_KID_PREFIX):
                continue
            try:
                self.keys[item["kid"]] = jwt.PyJWK(item)
            except jwt.PyJWKError as exc:
                log.warning("unusable key in the key set", extra={"kid": item.get("kid"), "error": str(exc)})

    def key(self, kid: str | None) -> jwt.PyJWK | None:
        return self.keys.get(kid) if kid else None

    def due(self, kid: str | None) -> bool:
        """Refetch when the set is stale, or for an unknown key id at most once per `jwks_refetch_seconds`."""
        age = time.monotonic() - self.fetched_at
        if age > self.settings.jwks_cache_seconds:
            return True
        return bool(kid) and kid not in self.keys and age > self.settings.jwks_refetch_seconds

    async def refresh(self, kid: str | None = None) -> None:
        if not self.due(kid):
            return
        if self.fetch is None and not self.settings.jwks_url:
            self.fetched_at = time.monotonic()
            return
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if not self.due(kid):
                return
            self.fetched_at = time.monotonic()
            try:
                jwks = await (self.fetch() if self.fetch else fetch_jwks_over_http(self.settings.jwks_url))
            except Exception as exc:  # a gateway away keeps the keys already known
                log.warning("key set fetch failed", extra={"error": repr(exc)[:200]})
                return
            fresh = Verifier(self.settings)
            fresh.trust(jwks)
            # keys that left the set stop verifying; the development set stays as loaded
            self.keys = {**fresh.keys}


@cache
def verifier() -> Verifier:
    return Verifier(common_settings())


def reset_verifier() -> None:
    verifier.cache_clear()


def token_kid(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError:
        return None
    return str(kid) if kid else None


async def prepare(token: str) -> None:
    """Before a synchronous verify: fetch the key set if this token names a key not known yet."""
    await verifier().refresh(token_kid(token))


def decode_claims(token: str, settings: CommonSettings) -> dict[str, Any]:
    """Verify signature (by key id, asymmetric algorithms only), audience, issuer and expiry; the claims."""
    header = jwt.get_unverified_header(token)
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise jwt.InvalidAlgorithmError(f"algorithm {algorithm!r} is not accepted")
    key = verifier().key(header.get("kid"))
    if key is None:
        raise jwt.InvalidSignatureError("unknown key id")
    if key.algorithm_name != algorithm:
        raise jwt.InvalidAlgorithmError("the key's algorithm and the token's differ")
    return jwt.decode(
        token,
        key.key,
        algorithms=[algorithm],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        leeway=5,
    )
