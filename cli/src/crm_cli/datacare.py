"""`crm pii new-key|rekey`, `crm backup`, `crm restore`: care of personal data and of the databases (R-09)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crm_cli.services import service_metadata
from servicekit.settings import SERVICES


def pii_services() -> list[str]:
    """The services whose tables hold encrypted personal data, found in their models (servicekit.pii_rekey)."""
    from servicekit.pii_rekey import encrypted_columns

    return [name for name in SERVICES if encrypted_columns(service_metadata(name))]


def add_commands(commands: Any) -> None:
    pii = commands.add_parser("pii", help="personal-data keys: new key, re-encrypt under the active key")
    pii_commands = pii.add_subparsers(dest="pii_command", required=True)
    new_key = pii_commands.add_parser("new-key", help="print a new key line to put first in CRM_PII_KEYS")
    new_key.add_argument("--id", default=None, help="key id (default k<yyyymmdd>)")
    new_key.add_argument("--index", action="store_true", help="print a value for CRM_PII_INDEX_KEY instead")
    new_key.set_defaults(func=cmd_new_key)
    rekey = pii_commands.add_parser("rekey", help="re-encrypt every value not under the active key (resumable)")
    rekey.add_argument(
        "--service", choices=SERVICES, help="one service (default: every service that keeps personal data)"
    )
    rekey.add_argument("--batch-size", type=int, default=500)
    rekey.add_argument(
        "--reindex", action="store_true", help="also recompute blind indexes (after changing CRM_PII_INDEX_KEY)"
    )
    rekey.set_defaults(func=cmd_rekey)

    backup = commands.add_parser("backup", help="back up a service database (pg_dump -Fc or the SQLite backup API)")
    backup.add_argument("service", choices=SERVICES)
    backup.add_argument("-o", "--output", required=True, type=Path)
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser("restore", help="restore a backup into the service's EMPTY database")
    restore.add_argument("service", choices=SERVICES)
    restore.add_argument("file", type=Path)
    restore.set_defaults(func=cmd_restore)


def cmd_new_key(args: argparse.Namespace) -> int:
    from servicekit.pii import generate_key

    key_id = args.id or f"k{datetime.now(UTC):%Y%m%d}"
    print(generate_key() if args.index else f"{key_id}:{generate_key()}")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from servicekit import pii_rekey
    from servicekit.db import Database
    from servicekit.pii import keyring
    from servicekit.settings import service_settings

    services = [args.service] if args.service else pii_services()

    async def run(service: str) -> pii_rekey.RekeyReport:
        metadata = service_metadata(service)
        db = Database(service_settings(service).database_url, service=service)
        try:
            report = await pii_rekey.rekey(db, metadata, batch_size=args.batch_size)
            if args.reindex:
                report.reindexed = await pii_rekey.reindex(db, metadata, batch_size=args.batch_size)
            return report
        finally:
            await db.dispose()

    unreadable = False
    for service in services:
        report = asyncio.run(run(service))
        if not report.rekeyed:
            print(f"crm: {service} keeps no encrypted personal data")
        for column, count in report.rekeyed.items():
            print(
                f"crm: {service} {column}: {count} re-encrypted under key {keyring().active}, "
                f"{report.unreadable[column]} unreadable"
            )
        if args.reindex:
            print(f"crm: {service}: {report.reindexed} blind indexes recomputed")
        unreadable = unreadable or any(report.unreadable.values())
    if unreadable:
        print("crm: some values are under a key missing from CRM_PII_KEYS; add it and run again", file=sys.stderr)
        return 1
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from servicekit.backup import BackupError, backup
    from servicekit.settings import service_settings

    try:
        result = backup(service_settings(args.service).database_url, args.output)
    except BackupError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return 1
    print(f"crm: {args.service} ({result.kind}) backed up to {result.path} ({result.size_bytes} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from servicekit.backup import BackupError, restore
    from servicekit.settings import service_settings

    try:
        result = restore(service_settings(args.service).database_url, args.file)
    except BackupError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return 1
    print(f"crm: {args.service} ({result.kind}) restored from {result.path}")
    return 0
