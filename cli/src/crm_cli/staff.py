"""`crm staff add|list|disable|reset-password` and `crm keys rotate`: straight on the gateway's database, so they
work before the system runs (the first admin) and need no token. Changes are staff.*.v1 events in the gateway's
outbox, published by the running gateway; a rotated key is picked up by every replica within a minute."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from servicekit.auth import Role

T = TypeVar("T")


def _on_gateway_db(work: Callable[[Any], Awaitable[T]]) -> T:
    from gateway.database import kit
    from servicekit.db import Database
    from servicekit.outbox import Outbox
    from servicekit.settings import service_settings

    async def run() -> T:
        db = Database(service_settings("gateway").database_url, service="gateway")
        db.session_info.update(outbox=Outbox(producer="gateway", table=kit.outbox), kit_tables=kit)
        try:
            async with db.session() as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


def bootstrap_admin() -> str | None:
    """On the first run only: the `admin` account with a generated password; None when staff exist."""
    from gateway.staff import service

    return _on_gateway_db(service.bootstrap_admin)


def login_hint(password: str) -> str:
    from servicekit.settings import service_settings

    settings = service_settings("gateway")
    return (
        f"crm: first run: log in as admin with password {password} "
        f"(POST http://{settings.host}:{settings.port}/auth/login; change it with `crm staff reset-password admin`)"
    )


def cmd_add(args: argparse.Namespace) -> int:
    from gateway.staff import service
    from gateway.staff.schemas import StaffCreate

    body = StaffCreate(
        login=args.login,
        display_name=args.name or args.login,
        email=args.email,
        phone=args.phone,
        roles=args.role,
        team=args.team,
        supervisor=args.supervisor,
        language=args.language,
        time_zone=args.time_zone,
    )
    staff, password = _on_gateway_db(lambda session: service.add(session, body))
    print(f"crm: {staff.login} added ({', '.join(staff.roles)}); password, shown once: {password}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gateway.staff import service

    for staff in _on_gateway_db(service.list_staff):
        state = "active" if staff.active else "disabled"
        print(f"{staff.login:<20} {state:<9} {','.join(staff.roles):<30} team={staff.team or '-'}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    from gateway.staff import service

    _on_gateway_db(lambda session: service.disable(session, args.login, actor="crm"))
    print(f"crm: {args.login} disabled; every session revoked")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    from gateway.staff import service

    password = _on_gateway_db(lambda session: service.set_password(session, args.login, None, actor="crm"))
    print(f"crm: new password for {args.login}, shown once: {password} (every session revoked)")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from gateway.keys import service

    kid = _on_gateway_db(service.rotate)
    print(f"crm: key {kid} signs from now on; the previous key verifies until its tokens expired")
    return 0


def add_commands(commands: Any) -> None:
    staff = commands.add_parser("staff", help="the staff directory: add, list, disable, reset a password")
    sub = staff.add_subparsers(dest="staff_command", required=True)
    add = sub.add_parser("add", help="add a staff member; a password is generated and shown once")
    add.add_argument("login")
    add.add_argument("--name", default=None, help="display name (default: the login)")
    add.add_argument("--role", action="append", required=True, choices=[role.value for role in Role])
    add.add_argument("--email", default=None)
    add.add_argument("--phone", default=None)
    add.add_argument("--team", default=None)
    add.add_argument("--supervisor", default=None, help="the supervisor's login")
    add.add_argument("--language", default="zh-CN")
    add.add_argument("--time-zone", default="Asia/Shanghai")
    add.set_defaults(func=cmd_add)
    listing = sub.add_parser("list", help="every staff member")
    listing.set_defaults(func=cmd_list)
    disable = sub.add_parser("disable", help="no more logins; every session revoked")
    disable.add_argument("login")
    disable.set_defaults(func=cmd_disable)
    reset = sub.add_parser("reset-password", help="a new generated password, shown once; every session revoked")
    reset.add_argument("login")
    reset.set_defaults(func=cmd_reset_password)

    keys = commands.add_parser("keys", help="the gateway's token signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="a new signing key; the old one verifies until its tokens expired")
    rotate.set_defaults(func=cmd_rotate)
