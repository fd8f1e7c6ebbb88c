"""notifier waiting requests: a request for a customer not known yet waits here, not in the dead-letter queue

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db
import servicekit.pii

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waiting_requests",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("request", servicekit.pii.EncryptedText(), nullable=False),
        sa.Column("parked_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_waiting_requests")),
    )
    with op.batch_alter_table("waiting_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waiting_requests_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_waiting_requests_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waiting_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waiting_requests_expires_at"))
        batch_op.drop_index(batch_op.f("ix_waiting_requests_customer_id"))
    op.drop_table("waiting_requests")
