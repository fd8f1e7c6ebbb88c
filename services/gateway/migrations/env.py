"""Alembic environment for the gateway; the kit runs it (SQLite and PostgreSQL alike)."""

from gateway.database import whole_metadata
from servicekit.migrations import run_env

run_env(whole_metadata())
