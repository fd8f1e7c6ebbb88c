"""Personal data at rest (R-09, R-42): field encryption with key rotation, blind-index lookup, masking.

- Encryption: AES-256-GCM from `cryptography` (a well-kept, audited library).
  A ciphertext is `<key id>$<base64(nonce + ciphertext)>`, so rows written under an
  old key stay readable and `needs_rekey()` finds them for the re-encrypt command.
- Lookup: `blind_index()` is an HMAC-SHA256 of the normalised value under a separate
  key; an exact phone/email lookup compares indexes, never plaintext.
- Masking: what someone who may not see contact data gets instead.

Keys come from `CRM_PII_KEYS` ("id:base64key,id2:base64key", the first encrypts,
all decrypt) and `CRM_PII_INDEX_KEY`. Without them a fixed development key is used
and a warning is logged once: fine for `crm up`, never for production.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

# fixed, public keys for local use; CRM_ENV=production refuses them (servicekit.settings)
DEVELOPMENT_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"crm-local-development-pii-key").digest()).decode()
DEVELOPMENT_INDEX_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"crm-local-development-index-key").digest()).decode()
_SEPARATOR = "$"


class PiiKeyError(RuntimeError):
    """A ciphertext names a key this process does not hold, or fails authentication."""


@dataclass(frozen=True)
class Keyring:
    """The active key encrypts; every listed key decrypts."""

    keys: dict[str, bytes]
    active: str
    index_key: bytes

    @classmethod
    def parse(cls, keys: str, index_key: str) -> Keyring:
        parsed: dict[str, bytes] = {}
        order: list[str] = []
        for item in (part.strip() for part in keys.split(",")):
            if not item:
                continue
            key_id, _, encoded = item.partition(":")
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            if not key_id or _SEPARATOR in key_id or len(raw) != 32:
                raise ValueError("CRM_PII_KEYS: each entry is <id>:<base64 of 32 bytes>")
            parsed[key_id] = raw
            order.append(key_id)
        if not order:
            raise ValueError("CRM_PII_KEYS: at least one key is needed")
        index = base64.urlsafe_b64decode(index_key + "=" * (-len(index_key) % 4))
        if len(index) < 32:
            raise ValueError("CRM_PII_INDEX_KEY: base64 of at least 32 bytes")
        return cls(keys=parsed, active=order[0], index_key=index)

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext.encode(), None)
        return f"{self.active}{_SEPARATOR}{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        key_id, _, body = token.partition(_SEPARATOR)
        key = self.keys.get(key_id)
        if key is None:
            raise PiiKeyError(f"no key {key_id!r} in CRM_PII_KEYS")
        raw = base64.b64decode(body)
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], None).decode()
        except InvalidTag:
            raise PiiKeyError(f"ciphertext under key {key_id!r} failed authentication") from None

    def needs_rekey(self, token: str | None) -> bool:
        return token is not None and not token.startswith(self.active + _SEPARATOR)

    def blind_index(self, normalised: str) -> str:
        return hmac.new(self.index_key, normalised.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    """A new random key, base64, for `CRM_PII_KEYS` / `CRM_PII_INDEX_KEY`."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@cache
def keyring() -> Keyring:
    keys = os.environ.get("CRM_PII_KEYS", "")
    index_key = os.environ.get("CRM_PII_INDEX_KEY", "")
    if not keys or not index_key:
        log.warning("CRM_PII_KEYS / CRM_PII_INDEX_KEY not set: using the development key (never in production)")
    return Keyring.parse(keys or f"dev:{DEVELOPMENT_KEY}", index_key or DEVELOPMENT_INDEX_KEY)


def reset_keyring() -> None:
    """Forget the cached keyring, so changed environment variables take effect (key rotation, tests)."""
    keyring.cache_clear()


def encrypt(value: str | None) -> str | None:
    return None if value is None else keyring().encrypt(value)


def decrypt(token: str | None) -> str | None:
    return None if token is None else keyring().decrypt(token)


def blind_index(normalised: str | None) -> str | None:
    return None if normalised is None else keyring().blind_index(normalised)


class EncryptedText(TypeDecorator[str]):
    """A column that holds ciphertext in the database and plaintext in Python."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return encrypt(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return decrypt(value)


# --- masking: what a caller without the right to see contact data gets (R-09) ---


def mask_phone(phone: str | None) -> str | None:
    """+8613812345678 -> +86138****5678; keeps enough to tell numbers apart on the phone."""
    if not phone:
        return phone
    digits = phone
    if len(digits) <= 6:
        return "*" * len(digits)
    keep_head = 6 if digits.startswith("+") else 3
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def mask_email(email: str | None) -> str | None:
    """zhang.san@example.com -> z***@example.com."""
    if not email:
        return email
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_text(value: str | None) -> str | None:
    """Anything else personal (a birthday, a name in free text): fully hidden."""
    return None if value is None else "***"


# --- logs: a last line of defence if a message ever carries contact data ---

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# international numbers (+86 138 1234 5678) and bare Chinese mobiles (13812345678); not dates or ids
_PHONE = re.compile(r"(?<![\w+-])(\+\d[\d -]{7,16}\d|1[3-9]\d{9})(?![\w-])")


def redact(text: str) -> str:
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))
