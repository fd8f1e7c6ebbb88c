"""The staff directory's admin API; anyone logged in may read their own entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from gateway.staff import service
from gateway.staff.models import Staff
from gateway.staff.schemas import PasswordSet, StaffCreate, StaffCreated, StaffOut, StaffUpdate
from servicekit.auth import CurrentPrincipal, Principal, Role, require_roles
from servicekit.runtime import DbSession

router = APIRouter(tags=["staff"])
Admin = Annotated[Principal, require_roles(Role.admin)]


def _out(staff: Staff) -> StaffOut:
    return StaffOut.model_validate(staff, from_attributes=True)


@router.post("/staff", status_code=201, summary="Add a staff member (a password is generated unless given)")
async def add_staff(body: StaffCreate, session: DbSession, _: Admin) -> StaffCreated:
    staff, password = await service.add(session, body)
    return StaffCreated(staff=_out(staff), password=password)


@router.get("/staff", summary="The staff directory")
async def list_staff(
    session: DbSession, _: Annotated[Principal, require_roles(Role.admin, Role.auditor)]
) -> list[StaffOut]:
    return [_out(staff) for staff in await service.list_staff(session)]


@router.get("/staff/me", summary="The caller's own directory entry")
async def me(session: DbSession, principal: CurrentPrincipal) -> StaffOut:
    return _out(await service.get(session, principal.subject))


@router.get("/staff/{login}", summary="One staff member")
async def get_staff(
    login: str, session: DbSession, _: Annotated[Principal, require_roles(Role.admin, Role.auditor)]
) -> StaffOut:
    return _out(await service.get(session, login))


@router.patch("/staff/{login}", summary="Change a staff member's entry")
async def update_staff(login: str, body: StaffUpdate, session: DbSession, _: Admin) -> StaffOut:
    return _out(await service.update(session, login, body))


@router.post("/staff/{login}/disable", summary="No more logins; every session revoked")
async def disable_staff(login: str, session: DbSession, principal: Admin) -> StaffOut:
    return _out(await service.disable(session, login, actor=principal.subject))


@router.post("/staff/{login}/password", summary="Set or generate a new password; every session revoked")
async def reset_password(login: str, body: PasswordSet, session: DbSession, principal: Admin) -> PasswordSet:
    generated = await service.set_password(session, login, body.password, actor=principal.subject)
    return PasswordSet(password=generated)
