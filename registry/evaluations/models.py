"""Annual evaluations: a bureau's grade of a carrier for a year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.carriers.models import Carrier, CarrierType, Indicator
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region


class Grade(Choice):
    """Grades of the annual evaluation, best first."""

    excellent = "excellent"
    good = "good"
    passed = "pass"
    fail = "fail"

    __titles__ = {
        "excellent": _l("Excellent (A)"),
        "good": _l("Good (B)"),
        "pass": _l("Pass (C)"),
        "fail": _l("Fail (D)"),
    }
    __badges__ = {"excellent": "success", "good": "primary", "pass": "secondary", "fail": "danger"}

    @property
    def letter(self) -> str:
        return {"excellent": "A", "good": "B", "pass": "C", "fail": "D"}[self.value]


class Evaluation(Base):
    """The grade a bureau gave a carrier for one year."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("carrier_id", "year"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        Index("ix_evaluations_year_grade", "year", "grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    grade: Mapped[Grade] = mapped_column(enum_column_type(Grade, "grade"))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    suggested_grade: Mapped[Grade | None] = mapped_column(
        enum_column_type(Grade, "suggested_grade")
    )
    suggested_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    comment: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the bureau that graded: the granting region of the carrier's highest recognition
    # (NULL for grades imported from published lists)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    carrier: Mapped[Carrier] = relationship()
    region: Mapped[Region | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Evaluation carrier={self.carrier_id} {self.year} {self.grade.value}>"


class RubricItem(Base):
    """One line of a type's scoring rubric: an indicator (or a density, indicator per
    `per_amount` of another) earns `weight` points at `target`, in proportion below it.
    A line without an indicator is judged by the reviewer (规范管理, 社会信誉): the suggested
    score scales the measured lines up to 100."""

    __tablename__ = "rubric_items"
    __table_args__ = (
        UniqueConstraint("type_id", "code"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("(indicator_id IS NULL) = (target IS NULL)", name="measured_has_target"),
        CheckConstraint("target IS NULL OR target > 0", name="target_positive"),
        CheckConstraint("(per_indicator_id IS NULL) = (per_amount IS NULL)", name="per_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(48))
    section: Mapped[str] = mapped_column(String(64))
    section_en: Mapped[str] = mapped_column(String(128), default="")
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE")
    )
    per_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE")
    )
    per_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)

    carrier_type: Mapped[CarrierType] = relationship()
    indicator: Mapped[Indicator | None] = relationship(foreign_keys=[indicator_id], lazy="joined")
    per_indicator: Mapped[Indicator | None] = relationship(
        foreign_keys=[per_indicator_id], lazy="joined"
    )

    def __repr__(self) -> str:
        return f"<RubricItem {self.code} weight={self.weight}>"


class GradeBand(Base):
    """The lowest suggested score that earns a grade for a type (below every band: fail)."""

    __tablename__ = "grade_bands"
    __table_args__ = (
        UniqueConstraint("type_id", "grade"),
        CheckConstraint("min_score >= 0 AND min_score <= 100", name="min_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    grade: Mapped[Grade] = mapped_column(enum_column_type(Grade, "band_grade"))
    min_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    def __repr__(self) -> str:
        return f"<GradeBand {self.type_id} {self.grade.value} >= {self.min_score}>"


class RuleKind(Choice):
    """Rules that revoke a carrier's highest active recognition automatically."""

    consecutive_fails = "consecutive_fails"
    consecutive_missing_reports = "consecutive_missing_reports"

    __titles__ = {
        "consecutive_fails": _l("Consecutive failing grades"),
        "consecutive_missing_reports": _l("Consecutive years without an accepted report"),
    }


class RevocationRule(Base):
    """A type's revocation rule: `years` consecutive failing grades (or years without an
    accepted report), counted from `first_year`. Seed data, so a province follows its own
    documents."""

    __tablename__ = "revocation_rules"
    __table_args__ = (
        UniqueConstraint("type_id", "kind"),
        CheckConstraint("years BETWEEN 1 AND 10", name="years_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    kind: Mapped[RuleKind] = mapped_column(enum_column_type(RuleKind, "rule_kind"))
    years: Mapped[int] = mapped_column(SmallInteger, default=2)
    first_year: Mapped[int | None] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(Text, default="")

    carrier_type: Mapped[CarrierType] = relationship()

    def __repr__(self) -> str:
        return f"<RevocationRule {self.type_id} {self.kind.value} {self.years}>"


class RuleApplication(Base):
    """A rule fired for a carrier: the run of years ending at `year` revoked a recognition.
    Years up to `year` never count again for that rule, so applying rules twice changes
    nothing."""

    __tablename__ = "rule_applications"
    __table_args__ = (UniqueConstraint("carrier_id", "kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    kind: Mapped[RuleKind] = mapped_column(enum_column_type(RuleKind, "applied_rule_kind"))
    year: Mapped[int] = mapped_column(SmallInteger)
    first_year: Mapped[int] = mapped_column(SmallInteger)
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RuleApplication carrier={self.carrier_id} {self.kind.value} {self.year}>"
