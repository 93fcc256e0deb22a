"""Accounts: password-change flag, sign-in throttling, the email outbox, credit-code reviews,
and an index for the carriers flagged for their region.

Revision ID: 0003_accounts
Revises: 0002_imports
Create Date: 2026-11-23 07:46:43
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_accounts"
down_revision: str | None = "0002_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the bureaus' "region to complete" list finds the few flagged carriers by index
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_carriers_needs_region_review"), ["needs_region_review"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )

    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.create_index("ix_throttle_events_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_throttle_events_kind_ip_created_at", ["kind", "ip", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_throttle_events_kind_subject_created_at",
            ["kind", "subject", "created_at"],
            unique=False,
        )

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                "failed",
                name="outbox_status",
                native_enum=False,
                create_constraint=True,
                length=14,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)",
            name=op.f("ck_outbox_messages_sent_at_iff_sent"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_messages_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outbox_messages_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_messages_status_next_attempt_at",
            ["status", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_outbox_messages_user_id"), ["user_id"], unique=False)

    op.create_table(
        "credit_code_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                name="review_decision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(decision = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_credit_code_reviews_decided_at_iff_decided"),
        ),
        sa.CheckConstraint(
            "decision = 'pending' OR (decided_by_id IS NOT NULL AND reason <> '')",
            name=op.f("ck_credit_code_reviews_decision_has_reviewer_and_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_credit_code_reviews_carrier_id_carriers"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_credit_code_reviews_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_credit_code_reviews_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_code_reviews")),
        sa.UniqueConstraint(
            "carrier_id", "uscc", name=op.f("uq_credit_code_reviews_carrier_id_uscc")
        ),
    )
    with op.batch_alter_table("credit_code_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_code_reviews_carrier_id"), ["carrier_id"], unique=False
        )
        batch_op.create_index("ix_credit_code_reviews_decision", ["decision"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_code_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_code_reviews_decision")
        batch_op.drop_index(batch_op.f("ix_credit_code_reviews_carrier_id"))
    op.drop_table("credit_code_reviews")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_user_id"))
        batch_op.drop_index("ix_outbox_messages_status_next_attempt_at")
    op.drop_table("outbox_messages")

    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.drop_index("ix_throttle_events_kind_subject_created_at")
        batch_op.drop_index("ix_throttle_events_kind_ip_created_at")
        batch_op.drop_index("ix_throttle_events_created_at")
    op.drop_table("throttle_events")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")

    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carriers_needs_region_review"))
