"""Alembic environment for the customer service; the kit runs it (SQLite and PostgreSQL alike)."""

from customer.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
