"""Applications for recognition: the review chain per round, figures, attachments, and the
append-only events of the workflow; one open application per carrier.

Revision ID: 0005_applications
Revises: 0004_plans_targets
Create Date: 2026-11-23 08:42:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_applications"
down_revision: str | None = "0004_plans_targets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("draft", "in_review", "returned", "approved", "rejected", "withdrawn")
ACTIONS = ("submit", "withdraw", "recommend", "approve", "return", "reject")
OPEN = sa.text("status IN ('draft', 'in_review', 'returned')")


def _status(name: str) -> sa.Enum:
    return sa.Enum(*STATUSES, name=name, native_enum=False, create_constraint=True, length=17)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("status", _status("application_status"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("round", sa.SmallInteger(), nullable=False),
        sa.Column("step_position", sa.SmallInteger(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(status = 'approved') = (recognition_id IS NOT NULL)",
            name=op.f("ck_applications_recognition_iff_approved"),
        ),
        sa.CheckConstraint(
            "(status = 'in_review') = (step_position IS NOT NULL)",
            name=op.f("ck_applications_step_iff_in_review"),
        ),
        sa.CheckConstraint(
            "(status IN ('approved', 'rejected', 'withdrawn')) = (closed_at IS NOT NULL)",
            name=op.f("ck_applications_closed_at_iff_closed"),
        ),
        sa.CheckConstraint(
            "status <> 'draft' OR round = 0", name=op.f("ck_applications_draft_never_submitted")
        ),
        sa.CheckConstraint(
            "status NOT IN ('in_review', 'returned', 'approved', 'rejected') OR round >= 1",
            name=op.f("ck_applications_reviewed_after_submission"),
        ),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_applications_level_known")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_applications_version_positive")),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_applications_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_applications_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recognition_id"],
            ["recognitions.id"],
            name=op.f("fk_applications_recognition_id_recognitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("recognition_id", name=op.f("uq_applications_recognition_id")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applications_carrier_id"), ["carrier_id"], unique=False
        )
        batch_op.create_index(
            "ix_applications_status_state_changed_at",
            ["status", "state_changed_at"],
            unique=False,
        )
        # one open application per carrier, guarded by the database (partial unique index)
        batch_op.create_index(
            "uq_applications_open_carrier_id",
            ["carrier_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )

    op.create_table(
        "application_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')",
            name=op.f("ck_application_attachments_content_type_allowed"),
        ),
        sa.CheckConstraint(
            "(removed_at IS NULL) = (removed_by_id IS NULL)",
            name=op.f("ck_application_attachments_removed_by_iff_removed"),
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_application_attachments_size_positive")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_attachments_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_application_attachments_removed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_application_attachments_uploaded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_application_attachments_stored_name")),
    )
    with op.batch_alter_table("application_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_attachments_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "application_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.CheckConstraint(
            "value IS NULL OR value >= 0", name=op.f("ck_application_figures_value_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_figures_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_application_figures_indicator_id_indicators"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_figures")),
        sa.UniqueConstraint(
            "application_id",
            "indicator_id",
            name=op.f("uq_application_figures_application_id_indicator_id"),
        ),
    )

    op.create_table(
        "application_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "round >= 1 AND position >= 0",
            name=op.f("ck_application_steps_round_and_position_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_steps_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_application_steps_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_steps")),
        sa.UniqueConstraint(
            "application_id",
            "round",
            "position",
            name=op.f("uq_application_steps_application_id_round_position"),
        ),
    )
    with op.batch_alter_table("application_steps", schema=None) as batch_op:
        batch_op.create_index("ix_application_steps_region_id", ["region_id"], unique=False)

    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("round", sa.SmallInteger(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                *ACTIONS,
                name="application_action",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("from_status", _status("from_status_known"), nullable=False),
        sa.Column("to_status", _status("to_status_known"), nullable=False),
        sa.Column("from_step_id", sa.Integer(), nullable=True),
        sa.Column("to_step_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_application_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_events_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["from_step_id"],
            ["application_steps.id"],
            name=op.f("fk_application_events_from_step_id_application_steps"),
        ),
        sa.ForeignKeyConstraint(
            ["to_step_id"],
            ["application_steps.id"],
            name=op.f("fk_application_events_to_step_id_application_steps"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
        sa.UniqueConstraint(
            "application_id", "version", name=op.f("uq_application_events_application_id_version")
        ),
    )
    _create_keep_triggers()


# Nothing about an application is ever deleted, and its events are never edited: the
# database refuses it, whatever the code does.
KEEP = {
    "applications": ("DELETE",),
    "application_steps": ("UPDATE", "DELETE"),
    "application_figures": ("DELETE",),
    "application_attachments": ("DELETE",),
    "application_events": ("UPDATE", "DELETE"),
}


def _create_keep_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION workflow_records_kept() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% of % refused: workflow records are kept', "
            "TG_OP, TG_TABLE_NAME; END $$"
        )
        for table, verbs in KEEP.items():
            op.execute(
                f"CREATE TRIGGER {table}_kept BEFORE {' OR '.join(verbs)} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION workflow_records_kept()"
            )
        return
    for table, verbs in KEEP.items():
        for verb in verbs:
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{verb} of {table} refused: workflow records "
                "are kept'); END"
            )


def _drop_keep_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in KEEP:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table}")
        op.execute("DROP FUNCTION IF EXISTS workflow_records_kept()")
        return
    for table, verbs in KEEP.items():
        for verb in verbs:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}")


def downgrade() -> None:
    _drop_keep_triggers()
    op.drop_table("application_events")
    with op.batch_alter_table("application_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_application_steps_region_id")
    op.drop_table("application_steps")
    op.drop_table("application_figures")
    with op.batch_alter_table("application_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_attachments_application_id"))
    op.drop_table("application_attachments")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("uq_applications_open_carrier_id")
        batch_op.drop_index("ix_applications_status_state_changed_at")
        batch_op.drop_index(batch_op.f("ix_applications_carrier_id"))
    op.drop_table("applications")
