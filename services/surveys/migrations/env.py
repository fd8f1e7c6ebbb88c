"""Alembic environment for the surveys service; the kit runs it (SQLite and PostgreSQL alike)."""

from surveys.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
