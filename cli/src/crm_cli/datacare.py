"""`crm pii new-key|rekey`, `crm backup`, `crm restore`: care of personal data and of the databases (R-09)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from servicekit.settings import SERVICES

# services whose tables hold encrypted personal data
PII_SERVICES = ("customer",)


def add_commands(commands: Any) -> None:
    pii = commands.add_parser("pii", help="personal-data keys: new key, re-encrypt under the active key")
    pii_commands = pii.add_subparsers(dest="pii_command", required=True)
    new_key = pii_commands.add_parser("new-key", help="print a new key line to put first in CRM_PII_KEYS")
    new_key.add_argument("--id", default=None, help="key id (default k<yyyymmdd>)")
    new_key.add_argument("--index", action="store_true", help="print a value for CRM_PII_INDEX_KEY instead")
    new_key.set_defaults(func=cmd_new_key)
    rekey = pii_commands.add_parser("rekey", help="re-encrypt every value not under the active key (resumable)")
    rekey.add_argument("--service", choices=PII_SERVICES, default="customer")
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
    from customer import keys
    from servicekit.db import Database
    from servicekit.pii import keyring
    from servicekit.settings import service_settings

    metadata = importlib.import_module(f"{args.service}.models").Base.metadata

    async def run() -> keys.RekeyReport:
        db = Database(service_settings(args.service).database_url, service=args.service)
        try:
            report = await keys.rekey(db, metadata, batch_size=args.batch_size)
            if args.reindex:
                report.reindexed = await keys.reindex(db, metadata, batch_size=args.batch_size)
            return report
        finally:
            await db.dispose()

    report = asyncio.run(run())
    for column, count in report.rekeyed.items():
        print(
            f"crm: {column}: {count} re-encrypted under key {keyring().active}, {report.unreadable[column]} unreadable"
        )
    if args.reindex:
        print(f"crm: {report.reindexed} blind indexes recomputed")
    if any(report.unreadable.values()):
        print("crm: some values are under a key missing from CRM_PII_KEYS; add it and run again", file=sys.stderr)
        return 1
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from customer.backup import BackupError, backup
    from servicekit.settings import service_settings

    try:
        result = backup(service_settings(args.service).database_url, args.output)
    except BackupError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return 1
    print(f"crm: {args.service} ({result.kind}) backed up to {result.path} ({result.size_bytes} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from customer.backup import BackupError, restore
    from servicekit.settings import service_settings

    try:
        result = restore(service_settings(args.service).database_url, args.file)
    except BackupError as exc:
        print(f"crm: {exc}", file=sys.stderr)
        return 1
    print(f"crm: {args.service} ({result.kind}) restored from {result.path}")
    return 0
