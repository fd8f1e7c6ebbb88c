"""notifier content tables: message templates and their versions (R-41), staff inbox items (R-40)

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
        "message_templates",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("channels", sa.String(length=100), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_message_templates")),
    )
    op.create_table(
        "staff_inbox_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff", sa.String(length=100), nullable=False),
        sa.Column("notification_id", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_inbox_items")),
        sa.UniqueConstraint("notification_id", name=op.f("uq_staff_inbox_items_notification_id")),
    )
    with op.batch_alter_table("staff_inbox_items", schema=None) as batch_op:
        batch_op.create_index("ix_staff_inbox_items_staff_id", ["staff", "id"], unique=False)

    op.create_table(
        "message_template_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("template_name", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("short_text", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_name"],
            ["message_templates.name"],
            name=op.f("fk_message_template_versions_template_name_message_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_template_versions")),
        sa.UniqueConstraint("template_name", "language", "version", name="uq_template_version"),
    )


def downgrade() -> None:
    op.drop_table("message_template_versions")
    with op.batch_alter_table("staff_inbox_items", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_inbox_items_staff_id")

    op.drop_table("staff_inbox_items")
    op.drop_table("message_templates")
