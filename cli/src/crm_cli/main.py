"""`crm`: the one entry point operators use (docs/architecture.md, fixed interface)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import threading

from crm_cli import calendar, datacare, imports, staff
from servicekit.errors import ApiError
from servicekit.settings import SERVICES, common_settings

NO_BROKER = (
    "crm: cannot reach RabbitMQ at {url}; start one with `rabbitmq-server -detached` "
    "(Debian package rabbitmq-server) or `docker compose up -d rabbitmq`, or point CRM_BROKER_URL at yours."
)


def broker_reachable(url: str) -> bool:
    import aio_pika

    async def probe() -> None:
        connection = await aio_pika.connect(url, timeout=5)
        await connection.close()

    logging.disable(logging.CRITICAL)  # the client library's own connection-error log would repeat our message
    try:
        asyncio.run(probe())
    except Exception:
        return False
    finally:
        logging.disable(logging.NOTSET)
    return True


def cmd_migrate(args: argparse.Namespace) -> int:
    from crm_cli.services import known, migrations_dir
    from servicekit.migrations import upgrade
    from servicekit.settings import service_settings

    for name in known(args.services):
        upgrade(migrations_dir(name), service_settings(name).database_url)
        print(f"crm: {name} database is at the latest migration", flush=True)
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    from crm_cli.up import run_services

    url = common_settings().broker_url
    if not broker_reachable(url):
        print(NO_BROKER.format(url=_hide_password(url)), file=sys.stderr)
        return 2
    cmd_migrate(args)
    if not common_settings().production:
        from servicekit.tokens import ensure_dev_keys

        ensure_dev_keys()  # for `crm token`; the services trust its public half in development only
    if (not args.services or "gateway" in args.services) and (password := staff.bootstrap_admin()):
        print(staff.login_hint(password), flush=True)
    return run_services(args.services)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from crm_cli.services import app_path
    from servicekit.logs import configure_logging
    from servicekit.settings import service_settings

    settings = service_settings(args.service)
    configure_logging(args.service, common_settings().log_level)
    uvicorn.run(
        app_path(args.service), host=settings.host, port=settings.port, log_config=None, timeout_graceful_shutdown=15
    )
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from servicekit.auth import mint_token
    from servicekit.tokens import DevelopmentKeyRefused

    try:
        print(mint_token(args.sub, args.role, team=args.team, ttl_seconds=args.ttl))
    except DevelopmentKeyRefused:
        print("crm: production mode: `crm token` signs with the development key only; log in at the gateway")
        return 2
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    import httpx

    from crm_cli.seed import seed_demo

    try:
        count = seed_demo()
    except httpx.HTTPError as exc:
        print(
            f"crm: could not reach the customer service ({exc}); start the system with `crm up` first", file=sys.stderr
        )
        return 2
    print(f"crm: {count} demo customers created; their onboarding follow-ups appear in the engagement service")
    return 0


def cmd_dlq(args: argparse.Namespace) -> int:
    from crm_cli import dlq

    url = common_settings().broker_url
    if args.dlq_command == "list":
        dlq.run_list(url, args.service, args.limit)
    else:
        dlq.run_replay(url, args.service, args.limit, args.message_id)
    return 0


def _hide_password(url: str) -> str:
    from yarl import URL

    return str(URL(url).with_password("***")) if URL(url).password else url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm", description="Run and operate the CRM services.")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="migrate, then run every service until Ctrl-C")
    up.add_argument("services", nargs="*", help=f"subset of: {', '.join(SERVICES)}")
    up.set_defaults(func=cmd_up)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("services", nargs="*", help=f"subset of: {', '.join(SERVICES)}")
    migrate.set_defaults(func=cmd_migrate)

    serve = commands.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=SERVICES)
    serve.set_defaults(func=cmd_serve)

    token = commands.add_parser("token", help="print a staff token for local use")
    token.add_argument("--sub", required=True, help="staff subject, e.g. alice")
    token.add_argument("--role", action="append", required=True, help="role (repeatable), e.g. agent, manager")
    token.add_argument("--team", default=None)
    token.add_argument("--ttl", type=int, default=None, help="seconds (default CRM_JWT_TTL_SECONDS)")
    token.set_defaults(func=cmd_token)

    seed = commands.add_parser("seed-demo", help="create demo customers through the running system's API")
    seed.set_defaults(func=cmd_seed_demo)

    dlq = commands.add_parser("dlq", help="dead letters")
    dlq_commands = dlq.add_subparsers(dest="dlq_command", required=True)
    for name, text in (("list", "show dead letters"), ("replay", "send dead letters back to their queue")):
        sub = dlq_commands.add_parser(name, help=text)
        sub.add_argument("--service", default=None, help="only this service's <service>.dlq")
        sub.add_argument("--limit", type=int, default=100)
        if name == "replay":
            sub.add_argument("--message-id", default=None, help="only the dead letter with this message id")
    dlq.set_defaults(func=cmd_dlq)
    datacare.add_commands(commands)  # pii new-key|rekey, backup, restore
    imports.add_commands(commands)  # import customers FILE, export customers -o FILE
    calendar.add_commands(commands)  # import a year's schedule, years covered, a year's days
    staff.add_commands(commands)  # staff add|list|disable|reset-password, keys rotate
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `crm … | head` ends quietly, as other tools do
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, ApiError) as exc:  # e.g. an unknown role given to `crm token`, a login already taken
        if isinstance(exc, ApiError):
            exc = ValueError(f"{exc.field}: {exc.message}" if exc.field else exc.message)
        print(f"crm: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
