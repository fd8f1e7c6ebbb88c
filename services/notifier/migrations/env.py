"""Alembic environment for the notifier service; the kit runs it (SQLite and PostgreSQL alike)."""

from notifier.database import whole_metadata
from servicekit.migrations import run_env

run_env(whole_metadata())
