"""engagement concepts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:43:38.360043
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
        "cadence_overrides",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(length=100), nullable=True),
        sa.Column("ended_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_overrides")),
    )
    with op.batch_alter_table("cadence_overrides", schema=None) as batch_op:
        batch_op.create_index("ix_cadence_overrides_customer_ended", ["customer_id", "ended_at"], unique=False)

    op.create_table(
        "cadence_policy",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("crisis_rules", sa.JSON(), nullable=False),
        sa.Column("crisis_on", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_policy")),
    )
    op.create_table(
        "communications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("happened_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("need_changes", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=False),
        sa.Column("entered_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entry_lag_seconds", sa.Float(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communications")),
        sa.UniqueConstraint("number", name=op.f("uq_communications_number")),
    )
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.create_index("ix_communications_customer_happened", ["customer_id", "happened_at"], unique=False)

    op.create_table(
        "crisis_switches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("on", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_switches")),
    )
    op.create_table(
        "known_customers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("customer_type", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("service_level", sa.String(length=10), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("risk_state", sa.String(length=30), nullable=False),
        sa.Column("open_complaints", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("registered_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("planned_version", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.Column("erased_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_customers")),
    )
    with op.batch_alter_table("known_customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_customers_planned_version"), ["planned_version"], unique=False)

    op.create_table(
        "last_interactions",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("last_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("since", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("silent_check_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_last_interactions")),
    )
    with op.batch_alter_table("last_interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_last_interactions_silent_check_at"), ["silent_check_at"], unique=False)

    op.create_table(
        "maintenance_plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("cycle", sa.String(length=20), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("execute_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("obligation_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_plans")),
        sa.UniqueConstraint("number", name=op.f("uq_maintenance_plans_number")),
    )
    with op.batch_alter_table("maintenance_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_maintenance_plans_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_maintenance_plans_obligation_id"), ["obligation_id"], unique=False)

    op.create_table(
        "obligations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("focus", sa.String(length=20), nullable=False),
        sa.Column("window_start", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("window_end", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("due_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("met_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index("ix_obligations_customer_status", ["customer_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_due_at"), ["due_at"], unique=False)

    op.create_table(
        "reactivation_tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("silent_since", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("done_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reactivation_tasks")),
    )
    with op.batch_alter_table("reactivation_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reactivation_tasks_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reactivation_tasks_status"), ["status"], unique=False)

    op.create_table(
        "todos",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("communication_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("due_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("informed_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_todos")),
        sa.UniqueConstraint("source_key", name=op.f("uq_todos_source_key")),
    )
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_todos_communication_id"), ["communication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_next_check_at"), ["next_check_at"], unique=False)

    op.create_table(
        "plan_postponements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("postponed_by", sa.String(length=100), nullable=False),
        sa.Column("postponed_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["maintenance_plans.id"], name=op.f("fk_plan_postponements_plan_id_maintenance_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_postponements")),
    )
    with op.batch_alter_table("plan_postponements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_postponements_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_postponements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_postponements_plan_id"))

    op.drop_table("plan_postponements")
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_todos_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_todos_customer_id"))
        batch_op.drop_index(batch_op.f("ix_todos_communication_id"))

    op.drop_table("todos")
    with op.batch_alter_table("reactivation_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reactivation_tasks_status"))
        batch_op.drop_index(batch_op.f("ix_reactivation_tasks_customer_id"))

    op.drop_table("reactivation_tasks")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligations_due_at"))
        batch_op.drop_index("ix_obligations_customer_status")

    op.drop_table("obligations")
    with op.batch_alter_table("maintenance_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_maintenance_plans_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_maintenance_plans_customer_id"))

    op.drop_table("maintenance_plans")
    with op.batch_alter_table("last_interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_last_interactions_silent_check_at"))

    op.drop_table("last_interactions")
    with op.batch_alter_table("known_customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_customers_planned_version"))

    op.drop_table("known_customers")
    op.drop_table("crisis_switches")
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.drop_index("ix_communications_customer_happened")

    op.drop_table("communications")
    op.drop_table("cadence_policy")
    with op.batch_alter_table("cadence_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_cadence_overrides_customer_ended")

    op.drop_table("cadence_overrides")
