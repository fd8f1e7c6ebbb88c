"""Staff tokens: a signed, short-lived JWT (EdDSA with a key id, audience, issuer, expiry) -> a typed Principal.

The gateway issues tokens; `crm token` mints one for local use with the development key. Every service
verifies them itself with public keys only (servicekit.tokens) and checks roles with the dependencies below.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request, params

from servicekit import tokens
from servicekit.access import OVERSIGHT, Role, roles_from_claim, sees_record, visible_filter
from servicekit.errors import ApiError
from servicekit.settings import CommonSettings, common_settings


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[Role]
    team: str | None = None

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


def mint_token(
    subject: str,
    roles: list[str] | tuple[str, ...],
    *,
    team: str | None = None,
    ttl_seconds: int | None = None,
    settings: CommonSettings | None = None,
) -> str:
    settings = settings or common_settings()
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": [Role(role).value for role in roles],
        "team": team,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + (ttl_seconds or settings.jwt_ttl_seconds),
    }
    kid, key = tokens.dev_signing_key(settings)  # local use only: refused in production mode
    return tokens.sign(claims, key, kid)


def _unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "Bearer"})


def verify_token(token: str, settings: CommonSettings | None = None) -> Principal:
    settings = settings or common_settings()
    try:
        claims = tokens.decode_claims(token, settings)
    except jwt.ExpiredSignatureError:
        raise _unauthenticated("token expired") from None
    except jwt.InvalidTokenError as exc:
        raise _unauthenticated(f"invalid token: {exc}") from None
    try:
        roles = roles_from_claim(claims.get("roles"))
    except ValueError as exc:
        raise _unauthenticated(f"invalid token: {exc}") from None
    team = claims.get("team")
    return Principal(subject=str(claims["sub"]), roles=roles, team=str(team) if team else None)


async def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthenticated("a staff bearer token is required")
    await tokens.prepare(token.strip())  # an unknown key id: refetch the gateway's key set first
    return verify_token(token.strip())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> params.Depends:
    """Dependency: the caller holds at least one of `roles` (admin always passes)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*roles, Role.admin):
            raise ApiError(403, "forbidden", f"requires one of the roles: {', '.join(sorted(roles))}")
        return principal

    return params.Depends(check)


# The object-level rules live in servicekit.access (R-09, docs/access.md); these names stay for older callers.
ALL_ACCOUNTS = OVERSIGHT
account_filter = visible_filter
sees_account = sees_record
