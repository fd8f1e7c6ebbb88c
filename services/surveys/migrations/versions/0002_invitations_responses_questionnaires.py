"""surveys: invitations, responses, questionnaires, read models

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:31:30.056856
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import servicekit.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases_view",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("technician", sa.String(length=100), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_cases_view")),
    )
    with op.batch_alter_table("cases_view", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_view_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "contact_consents",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "contact_id", "channel", "purpose", name=op.f("pk_contact_consents")),
    )
    op.create_table(
        "customers_view",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("customer_type", sa.String(length=20), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("tier", sa.String(length=10), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.Column("erased", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers_view")),
    )
    with op.batch_alter_table("customers_view", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_view_customer_type"), ["customer_type"], unique=False)

    op.create_table(
        "invitations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("skip_reason", sa.String(length=30), nullable=True),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("contact_key", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("case_number", sa.String(length=30), nullable=True),
        sa.Column("campaign_id", sa.String(length=36), nullable=True),
        sa.Column("questionnaire_key", sa.String(length=60), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("rated_staff", sa.String(length=100), nullable=True),
        sa.Column("rated_team", sa.String(length=100), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("channels", sa.String(length=60), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("remind_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", servicekit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_invitations_dedupe_key")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_invitations_contact", ["customer_id", "contact_key", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_rated_staff"), ["rated_staff"], unique=False)
        batch_op.create_index("ix_invitations_status_expires_at", ["status", "expires_at"], unique=False)
        batch_op.create_index("ix_invitations_status_remind_at", ["status", "remind_at"], unique=False)

    op.create_table(
        "questionnaires",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", "version", name=op.f("pk_questionnaires")),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("invitation_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("campaign_id", sa.String(length=36), nullable=True),
        sa.Column("questionnaire_key", sa.String(length=60), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("rated_staff", sa.String(length=100), nullable=True),
        sa.Column("rated_team", sa.String(length=100), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("satisfaction", sa.Float(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("wants_complaint", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("low_score_reported", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("complaint_reported", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("first_responded_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("responded_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"], ["invitations.id"], name=op.f("fk_responses_invitation_id_invitations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_responses_invitation_id")),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_responses_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_responses_kind_responded_at", ["kind", "responded_at"], unique=False)
        batch_op.create_index("ix_responses_staff_responded_at", ["rated_staff", "responded_at"], unique=False)

    op.create_table(
        "response_revisions",
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("wants_complaint", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", servicekit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"], ["responses.id"], name=op.f("fk_response_revisions_response_id_responses")
        ),
        sa.PrimaryKeyConstraint("response_id", "revision", name=op.f("pk_response_revisions")),
    )


def downgrade() -> None:
    op.drop_table("response_revisions")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_staff_responded_at")
        batch_op.drop_index("ix_responses_kind_responded_at")
        batch_op.drop_index(batch_op.f("ix_responses_customer_id"))
        batch_op.drop_index(batch_op.f("ix_responses_campaign_id"))

    op.drop_table("responses")
    op.drop_table("questionnaires")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_invitations_status_remind_at")
        batch_op.drop_index("ix_invitations_status_expires_at")
        batch_op.drop_index(batch_op.f("ix_invitations_rated_staff"))
        batch_op.drop_index(batch_op.f("ix_invitations_customer_id"))
        batch_op.drop_index("ix_invitations_contact")
        batch_op.drop_index(batch_op.f("ix_invitations_case_id"))
        batch_op.drop_index(batch_op.f("ix_invitations_campaign_id"))

    op.drop_table("invitations")
    with op.batch_alter_table("customers_view", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_view_customer_type"))

    op.drop_table("customers_view")
    op.drop_table("contact_consents")
    with op.batch_alter_table("cases_view", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_view_customer_id"))

    op.drop_table("cases_view")
