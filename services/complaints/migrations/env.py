"""Alembic environment for the complaints service; the kit runs it (SQLite and PostgreSQL alike)."""

from complaints.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
