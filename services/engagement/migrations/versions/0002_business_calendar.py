"""copy of the company business calendar

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from servicekit.migrations import create_calendar_table_v1, drop_calendar_table_v1

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_calendar_table_v1()


def downgrade() -> None:
    drop_calendar_table_v1()
