"""case origin: a complaint asked for in a survey, linked to its response (R-35)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("origin_id", sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_cases_origin_id"), ["origin_id"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cases_origin_id"), type_="unique")
        batch_op.drop_column("origin_id")
        batch_op.drop_column("origin")
