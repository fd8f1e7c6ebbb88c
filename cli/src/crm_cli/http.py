"""Talking to a running service's API from the `crm` command: one set of client options, one error message."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

import httpx


def client_options(default_role: str = "manager") -> argparse.ArgumentParser:
    """Options every API-calling command shares (a parent parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=None, help="the service's base URL (default: its configured host:port)")
    common.add_argument(
        "--token", default=os.environ.get("CRM_TOKEN"), help="staff token (default: $CRM_TOKEN, else one is minted)"
    )
    common.add_argument("--as", dest="sub", default=None, help="subject of a minted token (default: your user name)")
    common.add_argument(
        "--as-role",
        dest="role",
        action="append",
        default=None,
        help=f"role of a minted token (default: {default_role})",
    )
    common.add_argument("--as-team", dest="token_team", default=None, help="team of a minted token")
    common.set_defaults(default_role=default_role)
    return common


def service_client(args: argparse.Namespace, service: str) -> httpx.Client:
    from servicekit.auth import mint_token
    from servicekit.settings import service_settings

    settings = service_settings(service)
    role = args.role or [getattr(args, "default_role", "manager")]
    token = args.token or mint_token(args.sub or getpass.getuser(), role, team=args.token_team)
    base = args.url or f"http://{settings.host}:{settings.port}"
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def refused(response: httpx.Response, service: str) -> int:
    """Print the service's own error (with the field it names) and return exit code 1."""
    try:
        error = response.json()["error"]
        message = (
            f"{error['field']}: {error['message']}"
            if error.get("field") and error["field"] not in error["message"]
            else error["message"]
        )
    except (ValueError, KeyError, TypeError):
        message = response.text[:300]
    print(f"crm: the {service} service answered {response.status_code}: {message}", file=sys.stderr)
    return 1
