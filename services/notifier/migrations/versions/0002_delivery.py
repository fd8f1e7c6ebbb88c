"""notifier delivery tables: recipients and their contacts (R-09), consents (R-42), messages (R-40, R-43)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db
import servicekit.pii

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "contact_id", "channel", "purpose", name=op.f("pk_consents")),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.String(length=36), nullable=True),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("staff", sa.String(length=100), nullable=True),
        sa.Column("address", servicekit.pii.EncryptedText(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("unsubscribe_url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("requested_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_until", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("provider_message_id", sa.String(length=200), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("idempotency_key", "channel", name="uq_messages_key_channel"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_cap", ["customer_id", "purpose", "requested_at"], unique=False)
        batch_op.create_index("ix_messages_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_messages_staff", ["staff"], unique=False)
        batch_op.create_index("ix_messages_status_due_at", ["status", "due_at"], unique=False)

    op.create_table(
        "recipient_contacts",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("email", servicekit.pii.EncryptedText(), nullable=True),
        sa.Column("phone", servicekit.pii.EncryptedText(), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "contact_id", name=op.f("pk_recipient_contacts")),
    )
    op.create_table(
        "recipients",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("contacts_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_recipients")),
    )


def downgrade() -> None:
    op.drop_table("recipients")
    op.drop_table("recipient_contacts")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_status_due_at")
        batch_op.drop_index("ix_messages_staff")
        batch_op.drop_index("ix_messages_customer_id")
        batch_op.drop_index("ix_messages_cap")

    op.drop_table("messages")
    op.drop_table("consents")
