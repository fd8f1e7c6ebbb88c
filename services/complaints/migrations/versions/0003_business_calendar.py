"""business calendar book, recomputations after a change, provisional SLA deadlines

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db
from servicekit.migrations import create_calendar_table_v1, drop_calendar_table_v1

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_calendar_table_v1()
    op.create_table(
        "calendar_recomputes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", servicekit.db.UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("after_case_id", sa.String(length=36), nullable=True),
        sa.Column("total", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("done", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("moved", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_run_at", servicekit.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", servicekit.db.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_calendar_recomputes_due",
        "calendar_recomputes",
        ["next_run_at"],
        unique=False,
        postgresql_where=sa.text("next_run_at IS NOT NULL"),
        sqlite_where=sa.text("next_run_at IS NOT NULL"),
    )
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.drop_column("provisional")
    op.drop_index(
        "ix_calendar_recomputes_due",
        table_name="calendar_recomputes",
        postgresql_where=sa.text("next_run_at IS NOT NULL"),
        sqlite_where=sa.text("next_run_at IS NOT NULL"),
    )
    op.drop_table("calendar_recomputes")
    drop_calendar_table_v1()
