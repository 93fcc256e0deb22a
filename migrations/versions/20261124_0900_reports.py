"""Annual reports and evaluations: who submitted, report events, consistency checks between
figures, reminders sent, the bureau of a grade, scoring rubrics, grade bands, revocation rules
and the rules' applications.

Revision ID: 0006_reports
Revises: 0005_applications
Create Date: 2026-11-23 08:37:08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reports"
down_revision: str | None = "0005_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("draft", "submitted", "accepted", "returned")
GRADES = ("excellent", "good", "pass", "fail")
RULE_KINDS = ("consecutive_fails", "consecutive_missing_reports")


def _enum(values: Sequence[str], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def _type_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["type_id"],
        ["carrier_types.id"],
        name=op.f(f"fk_{table}_type_id_carrier_types"),
        ondelete="CASCADE",
    )


def _indicator_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["indicators.id"],
        name=op.f(f"fk_{table}_{column}_indicators"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_annual_reports_submitted_by_id_users"),
            "users",
            ["submitted_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            "decided_at_only_when_decided",
            "decided_at IS NULL OR status IN ('accepted', 'returned')",
        )
        batch_op.create_index(
            "ix_annual_reports_status_submitted_at", ["status", "submitted_at"], unique=False
        )

    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_evaluations_region_id_regions"), "regions", ["region_id"], ["id"]
        )

    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column(
            "action", _enum(("submit", "accept", "return"), "report_action", 14), nullable=False
        ),
        sa.Column("from_status", _enum(STATUSES, "from_status", 17), nullable=False),
        sa.Column("to_status", _enum(STATUSES, "to_status", 17), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_report_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["annual_reports.id"],
            name=op.f("fk_report_events_report_id_annual_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )
    with op.batch_alter_table("report_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_events_report_id"), ["report_id"])

    op.create_table(
        "figure_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("bound_id", sa.Integer(), nullable=False),
        sa.Column("bound2_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), nullable=False),
        _indicator_fk("figure_checks", "bound2_id"),
        _indicator_fk("figure_checks", "bound_id"),
        _indicator_fk("figure_checks", "indicator_id"),
        _type_fk("figure_checks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_checks")),
        sa.UniqueConstraint(
            "type_id",
            "indicator_id",
            "bound_id",
            name=op.f("uq_figure_checks_type_id_indicator_id_bound_id"),
        ),
    )

    op.create_table(
        "report_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("stage", _enum(("due_soon", "overdue"), "reminder_stage", 16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_report_reminders_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_report_reminders_message_id_outbox_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_report_reminders_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_reminders")),
        sa.UniqueConstraint(
            "carrier_id", "year", "stage", name=op.f("uq_report_reminders_carrier_id_year_stage")
        ),
    )

    op.create_table(
        "rubric_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("section_en", sa.String(length=128), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("per_indicator_id", sa.Integer(), nullable=True),
        sa.Column("per_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("target", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("weight", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "(indicator_id IS NULL) = (target IS NULL)",
            name=op.f("ck_rubric_items_measured_has_target"),
        ),
        sa.CheckConstraint(
            "(per_indicator_id IS NULL) = (per_amount IS NULL)",
            name=op.f("ck_rubric_items_per_pair"),
        ),
        sa.CheckConstraint(
            "target IS NULL OR target > 0", name=op.f("ck_rubric_items_target_positive")
        ),
        sa.CheckConstraint("weight > 0", name=op.f("ck_rubric_items_weight_positive")),
        _indicator_fk("rubric_items", "indicator_id"),
        _indicator_fk("rubric_items", "per_indicator_id"),
        _type_fk("rubric_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_items")),
        sa.UniqueConstraint("type_id", "code", name=op.f("uq_rubric_items_type_id_code")),
    )

    op.create_table(
        "grade_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("grade", _enum(GRADES, "band_grade", 17), nullable=False),
        sa.Column("min_score", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.CheckConstraint(
            "min_score >= 0 AND min_score <= 100", name=op.f("ck_grade_bands_min_score_range")
        ),
        _type_fk("grade_bands"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_bands")),
        sa.UniqueConstraint("type_id", "grade", name=op.f("uq_grade_bands_type_id_grade")),
    )

    op.create_table(
        "revocation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(RULE_KINDS, "rule_kind", 35), nullable=False),
        sa.Column("years", sa.SmallInteger(), nullable=False),
        sa.Column("first_year", sa.SmallInteger(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.CheckConstraint("years BETWEEN 1 AND 10", name=op.f("ck_revocation_rules_years_range")),
        _type_fk("revocation_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation_rules")),
        sa.UniqueConstraint("type_id", "kind", name=op.f("uq_revocation_rules_type_id_kind")),
    )

    op.create_table(
        "rule_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(RULE_KINDS, "applied_rule_kind", 35), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("first_year", sa.SmallInteger(), nullable=False),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_rule_applications_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["recognition_id"],
            ["recognitions.id"],
            name=op.f("fk_rule_applications_recognition_id_recognitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_applications")),
        sa.UniqueConstraint(
            "carrier_id", "kind", "year", name=op.f("uq_rule_applications_carrier_id_kind_year")
        ),
    )
    with op.batch_alter_table("rule_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_applications_carrier_id"), ["carrier_id"])


def downgrade() -> None:
    with op.batch_alter_table("rule_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_applications_carrier_id"))
    op.drop_table("rule_applications")
    op.drop_table("revocation_rules")
    op.drop_table("grade_bands")
    op.drop_table("rubric_items")
    op.drop_table("report_reminders")
    op.drop_table("figure_checks")
    with op.batch_alter_table("report_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_events_report_id"))
    op.drop_table("report_events")

    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_evaluations_region_id_regions"), type_="foreignkey")
        batch_op.drop_column("region_id")

    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_annual_reports_status_submitted_at")
        batch_op.drop_constraint(
            batch_op.f("ck_annual_reports_decided_at_only_when_decided"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_annual_reports_submitted_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("submitted_by_id")
