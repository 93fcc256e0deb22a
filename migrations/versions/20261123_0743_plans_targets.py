"""Plans and targets: policy documents, their numeric targets (with the carrier types each
counts) and the dated values bureaus enter for manual targets; an index on the recognitions'
history for counting as of a date.

Revision ID: 0004_plans_targets
Revises: 0003_accounts
Create Date: 2026-11-23 07:43:13
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_plans_targets"
down_revision: str | None = "0003_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values) + 8,
    )


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_end >= period_start",
            name=op.f("ck_plans_period_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plans_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_plans_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("document_no", name=op.f("uq_plans_document_no")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_region_id"), ["region_id"], unique=False)

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=False),
        sa.Column(
            "metric",
            _enum("metric", "count_recognized", "count_new", "sum_indicator", "coverage", "manual"),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("min_level", sa.SmallInteger(), nullable=False),
        sa.Column("max_level", sa.SmallInteger(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("indicator", sa.String(length=48), nullable=True),
        sa.Column(
            "subregion_level",
            _enum("subregion_level", "country", "province", "prefecture", "county"),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "metric <> 'coverage' OR (subregion_level IS NOT NULL AND value <= 1)",
            name=op.f("ck_targets_coverage_is_share_of_subregions"),
        ),
        sa.CheckConstraint(
            "metric <> 'sum_indicator' OR indicator IS NOT NULL",
            name=op.f("ck_targets_sum_has_indicator"),
        ),
        sa.CheckConstraint(
            "deadline >= period_start", name=op.f("ck_targets_deadline_not_before_start")
        ),
        sa.CheckConstraint(
            "max_level IS NULL OR (max_level BETWEEN 1 AND 4 AND max_level >= min_level)",
            name=op.f("ck_targets_level_bounds_ordered"),
        ),
        sa.CheckConstraint("min_level BETWEEN 1 AND 4", name=op.f("ck_targets_min_level_known")),
        sa.CheckConstraint("value > 0", name=op.f("ck_targets_value_positive")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_targets_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_targets_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_targets_plan_id_sort_order", ["plan_id", "sort_order"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_targets_region_id"), ["region_id"], unique=False)

    op.create_table(
        "target_types",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["targets.id"],
            name=op.f("fk_target_types_target_id_targets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["carrier_types.id"],
            name=op.f("fk_target_types_type_id_carrier_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("target_id", "type_id", name=op.f("pk_target_types")),
    )
    op.create_table(
        "target_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_target_values_value_not_negative")),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_target_values_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["targets.id"],
            name=op.f("fk_target_values_target_id_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_values")),
        sa.UniqueConstraint(
            "target_id", "recorded_on", name=op.f("uq_target_values_target_id_recorded_on")
        ),
    )


def downgrade() -> None:
    op.drop_table("target_values")
    op.drop_table("target_types")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targets_region_id"))
        batch_op.drop_index("ix_targets_plan_id_sort_order")
    op.drop_table("targets")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_region_id"))
    op.drop_table("plans")
