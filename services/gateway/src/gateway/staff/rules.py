"""Staff directory rules (pure): login names, generated passwords, argon2id hashing, the event snapshot."""

from __future__ import annotations

import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from contracts.events.staff import StaffSnapshot

# argon2id with the library's RFC 9106 "low memory" profile: 64 MiB, 3 passes (argon2-cffi's default type is id)
_HASHER = PasswordHasher()
# verified against when the login is unknown, so a wrong login costs as long as a wrong password
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def normalise_login(login: str) -> str:
    return login.strip().lower()


def generate_password() -> str:
    """A one-time password for a new account or a reset: 20 url-safe characters (~120 bits)."""
    return secrets.token_urlsafe(15)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account has a hash; never raises for a bad password."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


SNAPSHOT_FIELDS = (
    "login",
    "display_name",
    "email",
    "phone",
    "roles",
    "team",
    "supervisor",
    "language",
    "time_zone",
    "active",
)


def snapshot(event_type: type[StaffSnapshot], staff_id: str, fields: dict[str, Any]) -> StaffSnapshot:
    return event_type(staff_id=staff_id, **{name: fields[name] for name in SNAPSHOT_FIELDS})
