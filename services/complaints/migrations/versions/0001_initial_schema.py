"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:21:10.086003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db
from servicekit.migrations import create_kit_tables_v1, drop_kit_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables_v1()
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("requested_outcome", sa.Text(), nullable=True),
        sa.Column("cause_category", sa.String(length=60), nullable=True),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("close_outcome", sa.String(length=20), nullable=True),
        sa.Column("department", sa.String(length=30), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("paused_since", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("service_mode", sa.String(length=20), nullable=True),
        sa.Column("technician", sa.String(length=100), nullable=True),
        sa.Column("approval_needed", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("reopened_from", sa.String(length=36), nullable=True),
        sa.Column("reopened_as", sa.String(length=36), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("acknowledged_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_department"), ["department"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_reopened_from"), ["reopened_from"], unique=False)
        batch_op.create_index("ix_cases_state_received_at", ["state", "received_at"], unique=False)

    op.create_table(
        "customers_view",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("tier", sa.String(length=10), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.Column("erased", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers_view")),
    )
    op.create_table(
        "case_clock_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=True),
        sa.Column("tier", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_clock_events_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_clock_events")),
    )
    with op.batch_alter_table("case_clock_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_clock_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_timeline",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_timeline_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_timeline")),
    )
    with op.batch_alter_table("case_timeline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_timeline_case_id"), ["case_id"], unique=False)

    op.create_table(
        "compensations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.String(length=100), nullable=False),
        sa.Column("proposed_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_compensations_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensations")),
    )
    with op.batch_alter_table("compensations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compensations_case_id"), ["case_id"], unique=False)

    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_corrective_actions_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_actions")),
    )
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrective_actions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "sla_targets",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("deadline", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("met_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("breached_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_sla_targets_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", "target", name=op.f("pk_sla_targets")),
    )
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sla_targets_due",
            ["next_check_at"],
            unique=False,
            postgresql_where=sa.text("next_check_at IS NOT NULL"),
            sqlite_where=sa.text("next_check_at IS NOT NULL"),
        )
        batch_op.create_index("ix_sla_targets_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sla_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_targets_state")
        batch_op.drop_index(
            "ix_sla_targets_due",
            postgresql_where=sa.text("next_check_at IS NOT NULL"),
            sqlite_where=sa.text("next_check_at IS NOT NULL"),
        )

    op.drop_table("sla_targets")
    with op.batch_alter_table("corrective_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrective_actions_case_id"))

    op.drop_table("corrective_actions")
    with op.batch_alter_table("compensations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compensations_case_id"))

    op.drop_table("compensations")
    with op.batch_alter_table("case_timeline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_timeline_case_id"))

    op.drop_table("case_timeline")
    with op.batch_alter_table("case_clock_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_clock_events_case_id"))

    op.drop_table("case_clock_events")
    op.drop_table("customers_view")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_state_received_at")
        batch_op.drop_index(batch_op.f("ix_cases_reopened_from"))
        batch_op.drop_index(batch_op.f("ix_cases_owner"))
        batch_op.drop_index(batch_op.f("ix_cases_department"))
        batch_op.drop_index(batch_op.f("ix_cases_customer_id"))
        batch_op.drop_index(batch_op.f("ix_cases_closed_at"))

    op.drop_table("cases")
    drop_kit_tables_v1()
