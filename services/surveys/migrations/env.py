"""Alembic environment for the surveys service; the kit runs it (SQLite and PostgreSQL alike)."""

from servicekit.migrations import run_env
from surveys.models import Base

run_env(Base.metadata)
