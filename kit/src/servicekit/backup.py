"""R-09 backup with a tested restore, for a service database on PostgreSQL or SQLite.

- PostgreSQL: `pg_dump -Fc` (custom format: compressed, restorable selectively) and
  `pg_restore` in one transaction into an EMPTY database; the binaries come from PATH or
  /usr/lib/postgresql/*/bin (newest version first).
- SQLite: the online backup API (`sqlite3.Connection.backup`), consistent while the
  service keeps writing (WAL).

Personal data stays encrypted inside the dump (it is ciphertext in the tables); the
keys are not in it, so a backup is only readable with CRM_PII_KEYS.
Nothing here is specific to a service: `crm backup SERVICE` and `crm restore SERVICE` use it for every one.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from servicekit.db import is_sqlite, postgres_tls

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    kind: str  # postgresql | sqlite


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version, reverse=True)
    if versions:
        return versions[0]
    raise BackupError(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin; install the PostgreSQL client")


def _version(path: str) -> float:
    try:
        return float(Path(path).parts[-3])
    except ValueError:
        return 0.0


def libpq_url(database_url: str) -> str:
    """postgresql+asyncpg://...?ssl=require -> postgresql://...?sslmode=require for pg_dump, pg_restore and psql
    (the services' TLS parameters, servicekit.db, in libpq's words)."""
    plain, mode, root = postgres_tls(database_url)
    query = dict(plain.query)
    if mode is not None:
        query["sslmode"] = mode
    if root is not None:
        query["sslrootcert"] = root
    return plain.set(drivername="postgresql", query=query).render_as_string(hide_password=False)


def sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # the URL (maybe with a password) goes in argv of our own child only; errors show stderr, not argv
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[:2000]}")
    return done


def backup(database_url: str, target: Path) -> BackupResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")  # never leave a half-written file under the final name
    if is_sqlite(database_url):
        source = sqlite_path(database_url)
        if not source.exists():
            raise BackupError(f"{source} does not exist")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
        dst.close()
        src.close()
        kind = "sqlite"
    else:
        _run(
            find_binary("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(partial),
            "--dbname",
            libpq_url(database_url),
        )
        kind = "postgresql"
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, kind)


def restore(database_url: str, source: Path) -> BackupResult:
    """Restore into an EMPTY database (never over live data: restore elsewhere, then switch over)."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    head = source.read_bytes()[:16]
    if is_sqlite(database_url):
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup")
        target = sqlite_path(database_url)
        if target.exists() and _sqlite_tables(target):
            raise BackupError(f"{target} is not empty; restore into a new file")
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        dst.close()
        src.close()
        return BackupResult(source, source.stat().st_size, "sqlite")
    if not head.startswith(PG_MAGIC):
        raise BackupError(f"{source} is not a pg_dump custom-format backup")
    url = libpq_url(database_url)
    tables = _run(
        find_binary("psql"),
        "--no-psqlrc",
        "-tA",
        "-c",
        "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
        url,
    )
    if int(tables.stdout.strip() or 0):
        raise BackupError("the target database is not empty; create an empty one and restore into it")
    _run(
        find_binary("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        url,
        str(source),
    )
    return BackupResult(source, source.stat().st_size, "postgresql")


def _sqlite_tables(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        count = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    connection.close()
    return int(count)
