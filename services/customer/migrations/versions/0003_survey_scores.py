"""survey scores behind the R-03 survey_score figure

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_scores",
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("satisfaction", sa.Float(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("responded_at", servicekit.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_survey_scores")),
    )
    with op.batch_alter_table("survey_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_scores_customer_id"), ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_scores_customer_id"))
    op.drop_table("survey_scores")
