"""Staff tokens: a signed, short-lived JWT (EdDSA with a key id, audience, issuer, expiry) -> a typed Principal.

The gateway issues tokens; `crm token` mints one for local use with the development key. Every service
verifies them itself with public keys only (servicekit.tokens) and checks roles with the dependencies below.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, params
from sqlalchemy import or_

from servicekit import tokens
from servicekit.errors import ApiError
from servicekit.settings import CommonSettings, common_settings


class Role(StrEnum):
    """Roles of the business rules (docs/business-rules.md, 部门职责)."""

    agent = "agent"  # customer-service staff
    complaint_handler = "complaint_handler"
    order_handler = "order_handler"
    sales = "sales"  # account owners
    supervisor = "supervisor"
    manager = "manager"
    marketing = "marketing"
    rnd = "rnd"
    vice_president = "vice_president"
    auditor = "auditor"
    admin = "admin"


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
        roles = frozenset(Role(role) for role in claims.get("roles") or [])
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


# roles that work every account, not only their team's (R-09: authorised roles)
ALL_ACCOUNTS = (Role.supervisor, Role.manager, Role.vice_president, Role.auditor, Role.admin)


def account_filter(principal: Principal, owner: Any, team: Any, *also: Any) -> Any:
    """The SQL twin of `sees_account` over the given columns; None when the caller sees every account."""
    if principal.has_any(*ALL_ACCOUNTS):
        return None
    return or_(owner == principal.subject, team.is_(None), team == principal.team, *also)


def sees_account(principal: Principal, *, owner: str | None, team: str | None) -> bool:
    """R-09 object-level access: all-account roles, the owner, the owning team; unassigned records are open."""
    if principal.has_any(*ALL_ACCOUNTS) or owner == principal.subject:
        return True
    return team is None or team == principal.team
