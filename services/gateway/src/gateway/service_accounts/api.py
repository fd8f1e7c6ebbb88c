"""Service accounts: the client-credentials token endpoint, and their administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.addresses import client_address
from gateway.responses import answer
from gateway.service_accounts import service
from gateway.service_accounts.models import ServiceAccount
from gateway.service_accounts.schemas import (
    ClientCredentials,
    ServiceAccountCreate,
    ServiceAccountCreated,
    ServiceAccountOut,
)
from gateway.sessions.schemas import TokenOut
from servicekit.auth import Principal, Role, require_roles
from servicekit.runtime import DbSession

router = APIRouter(tags=["service accounts"])
Admin = Annotated[Principal, require_roles(Role.admin)]


def _out(account: ServiceAccount) -> ServiceAccountOut:
    return ServiceAccountOut.model_validate(account, from_attributes=True)


@router.post("/auth/token", response_model=TokenOut, summary="A token for a service account (client credentials)")
async def token(body: ClientCredentials, request: Request, session: DbSession) -> JSONResponse:
    return answer(await service.token(session, body.client_id, body.client_secret, client_address(request)))


@router.post("/service-accounts", status_code=201, summary="Add a service account (its secret is shown once)")
async def create(body: ServiceAccountCreate, session: DbSession, _: Admin) -> ServiceAccountCreated:
    account, secret = await service.create(session, body)
    return ServiceAccountCreated(account=_out(account), client_secret=secret)


@router.get("/service-accounts", summary="The service accounts")
async def list_accounts(session: DbSession, _: Admin) -> list[ServiceAccountOut]:
    return [_out(account) for account in await service.list_accounts(session)]


@router.post("/service-accounts/{client_id}/disable", summary="The account gets no more tokens")
async def disable(client_id: str, session: DbSession, principal: Admin) -> ServiceAccountOut:
    return _out(await service.disable(session, client_id, actor=principal.subject))
