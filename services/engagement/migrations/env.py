"""Alembic environment for the engagement service; the kit runs it (SQLite and PostgreSQL alike)."""

from engagement.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
