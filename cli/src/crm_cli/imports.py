"""`crm import customers FILE` and `crm export customers -o FILE`: through the customer service's HTTP API.

The import uploads the file, then polls the job resource (`GET /imports/{id}`) with a progress bar and prints
the report (every bad row with its field and message, likely duplicates). Exit code 1 when the job failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from crm_cli.http import client_options, refused, service_client

FILTERS = (
    "q",
    "customer_type",
    "stage",
    "tier",
    "service_level",
    "risk_state",
    "owner",
    "team",
    "industry",
    "last_contact_before",
    "last_contact_after",
)


def add_commands(commands: Any) -> None:
    common = client_options()

    imports = commands.add_parser("import", help="import customers from a CSV or XLSX file")
    what = imports.add_subparsers(dest="what", required=True)
    customers = what.add_parser("customers", parents=[common], help="CSV (UTF-8 or GB18030) or XLSX")
    customers.add_argument("file", type=Path)
    customers.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    customers.add_argument("--import-valid-rows", action="store_true", help="import the good rows even if some are bad")
    customers.set_defaults(func=cmd_import)

    exports = commands.add_parser("export", help="export customers to CSV or XLSX")
    what = exports.add_subparsers(dest="what", required=True)
    customers = what.add_parser("customers", parents=[common], help="the filtered list, contact data masked as for you")
    customers.add_argument("-o", "--output", type=Path, required=True, help="file to write (.csv or .xlsx)")
    for name in FILTERS:
        customers.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None)
    customers.add_argument("--tag", dest="tags_any", action="append", default=None, help="has any of these tags")
    customers.set_defaults(func=cmd_export)


def _client(args: argparse.Namespace) -> httpx.Client:
    return service_client(args, "customer")


def cmd_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    if not args.file.is_file():
        print(f"crm: no such file {args.file}", file=sys.stderr)
        return 2
    with _client(args) as client:
        with args.file.open("rb") as handle:
            response = client.post(
                "/imports",
                files={"file": (args.file.name, handle)},
                params={"dry_run": str(args.dry_run).lower(), "import_valid_rows": str(args.import_valid_rows).lower()},
            )
        if response.status_code != 202:
            return _refused(response)
        job = response.json()
        with tqdm(
            total=100.0, unit="%", desc="dry run" if args.dry_run else "import", bar_format="{l_bar}{bar}| {n:.0f}%"
        ) as bar:
            while job["status"] not in ("done", "failed"):
                time.sleep(0.5)
                job = client.get(f"/imports/{job['id']}").json()
                bar.update(job["percent"] - bar.n)
    print(report(job))
    return 0 if job["status"] == "done" else 1


def report(job: dict[str, Any]) -> str:
    lines = [
        f"import {job['id']}: {job['status']}{' (dry run: nothing written)' if job['dry_run'] else ''}",
        f"rows {job['total_rows']}, created {job['created']}, updated {job['updated']}, unchanged {job['unchanged']}, "
        f"bad rows {len({e['row'] for e in job['errors']})}",
    ]
    lines += [f"  row {e['row']}: {e['field']}: {e['message']}" for e in job["errors"]]
    if job["duplicates"]:
        lines.append("likely duplicates of existing customers:")
        lines += [f"  row {d['row']}: {d['reason']} -> {d['number']} {d['existing_name']}" for d in job["duplicates"]]
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace) -> int:
    file_format = "xlsx" if args.output.suffix.lower() == ".xlsx" else "csv"
    params: dict[str, Any] = {name: getattr(args, name) for name in FILTERS if getattr(args, name)}
    if args.tags_any:
        params["tags_any"] = args.tags_any
    with (
        _client(args) as client,
        client.stream("GET", "/exports/customers", params={**params, "format": file_format}) as response,
    ):
        if response.status_code != 200:
            response.read()
            return _refused(response)
        with args.output.open("wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)
    print(f"crm: wrote {args.output}")
    return 0


def _refused(response: httpx.Response) -> int:
    return refused(response, "customer")
