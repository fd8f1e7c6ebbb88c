"""open-targets index for the SLA gauges

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_targets_state")
        batch_op.create_index(
            "ix_sla_targets_open",
            ["target", "state"],
            unique=False,
            postgresql_where=sa.text("met_at IS NULL"),
            sqlite_where=sa.text("met_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_sla_targets_open", postgresql_where=sa.text("met_at IS NULL"), sqlite_where=sa.text("met_at IS NULL")
        )
        batch_op.create_index("ix_sla_targets_state", ["state"], unique=False)
