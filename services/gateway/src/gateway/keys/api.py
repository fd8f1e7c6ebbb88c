"""The public key set services verify tokens with, and key rotation for an admin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel

from gateway.keys import service
from servicekit.auth import Principal, Role, require_roles
from servicekit.runtime import DbSession

router = APIRouter(tags=["keys"])


class Rotated(BaseModel):
    kid: str


@router.get("/.well-known/jwks.json", summary="The public keys staff tokens are signed with (JWKS)")
async def jwks(session: DbSession) -> dict[str, Any]:
    return await service.published_keys(session)


@router.post("/keys/rotate", summary="A new signing key; the old one verifies until its tokens expired")
async def rotate(session: DbSession, _: Annotated[Principal, require_roles(Role.admin)]) -> Rotated:
    return Rotated(kid=await service.rotate(session))
