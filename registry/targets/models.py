"""Plans (policy documents) and their numeric targets, with dated values for manual ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.carriers.levels import Level, LevelType
from registry.carriers.models import CarrierType
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region, RegionLevel


class Metric(Choice):
    """How a target's actual value is measured from the registry."""

    count_recognized = "count_recognized"
    count_new = "count_new"
    sum_indicator = "sum_indicator"
    coverage = "coverage"
    manual = "manual"

    __titles__ = {
        "count_recognized": _l("Carriers recognised"),
        "count_new": _l("New recognitions in the period"),
        "sum_indicator": _l("Sum of a reported figure"),
        "coverage": _l("Share of subregions covered"),
        "manual": _l("Figure entered by a bureau"),
    }

    @property
    def counts_carriers(self) -> bool:
        """Whether the metric reads carriers (and so needs types and level bounds)."""
        return self is not Metric.manual


class TargetStatus(Choice):
    """Where a target stands as of a date."""

    met = "met"
    on_track = "on_track"
    behind = "behind"
    missed = "missed"

    __titles__ = {
        "met": _l("Met"),
        "on_track": _l("On track"),
        "behind": _l("Behind"),
        "missed": _l("Missed"),
    }
    __badges__ = {"met": "success", "on_track": "primary", "behind": "warning", "missed": "danger"}


class Plan(Base):
    """A policy document (规划, 方案, 意见) issued by a region's government."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_end >= period_start",
            name="period_ordered",
        ),
        UniqueConstraint("document_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    document_no: Mapped[str | None] = mapped_column(String(100))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")
    targets: Mapped[list[Target]] = relationship(
        back_populates="plan",
        order_by="(Target.sort_order, Target.id)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.document_no or self.title[:20]}>"


target_types = Table(
    "target_types",
    Base.metadata,
    Column("target_id", ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True),
    Column("type_id", ForeignKey("carrier_types.id", ondelete="CASCADE"), primary_key=True),
)


class Target(Base):
    """A numeric target of a plan, measured by one of the metrics."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("value > 0", name="value_positive"),
        CheckConstraint("deadline >= period_start", name="deadline_not_before_start"),
        CheckConstraint("min_level BETWEEN 1 AND 4", name="min_level_known"),
        CheckConstraint(
            "max_level IS NULL OR (max_level BETWEEN 1 AND 4 AND max_level >= min_level)",
            name="level_bounds_ordered",
        ),
        CheckConstraint(
            "metric <> 'sum_indicator' OR indicator IS NOT NULL", name="sum_has_indicator"
        ),
        CheckConstraint(
            "metric <> 'coverage' OR (subregion_level IS NOT NULL AND value <= 1)",
            name="coverage_is_share_of_subregions",
        ),
        Index("ix_targets_plan_id_sort_order", "plan_id", "sort_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)
    phrase: Mapped[str] = mapped_column(Text)
    metric: Mapped[Metric] = mapped_column(enum_column_type(Metric, "metric"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    min_level: Mapped[Level] = mapped_column(LevelType(), default=Level.county)
    max_level: Mapped[Level | None] = mapped_column(LevelType())
    period_start: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(16), default="")
    indicator: Mapped[str | None] = mapped_column(String(48))
    subregion_level: Mapped[RegionLevel | None] = mapped_column(
        enum_column_type(RegionLevel, "subregion_level")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="targets")
    region: Mapped[Region] = relationship(lazy="joined")
    types: Mapped[list[CarrierType]] = relationship(
        secondary=target_types, order_by=CarrierType.sort_order, lazy="selectin"
    )
    values: Mapped[list[TargetValue]] = relationship(
        back_populates="target",
        order_by="TargetValue.recorded_on",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Target {self.id} {self.metric.value} {self.value}>"

    @property
    def type_codes(self) -> list[str]:
        return [t.code for t in self.types]


class TargetValue(Base):
    """The figure of a `manual` target on a date, as a bureau entered it."""

    __tablename__ = "target_values"
    __table_args__ = (
        UniqueConstraint("target_id", "recorded_on"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    target: Mapped[Target] = relationship(back_populates="values")

    def __repr__(self) -> str:
        return f"<TargetValue target={self.target_id} {self.recorded_on} {self.value}>"
