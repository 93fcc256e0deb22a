"""Annual reports: a recognised carrier's figures for a calendar year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.carriers.models import Carrier, Indicator
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type


class ReportStatus(Choice):
    """Where an annual report stands."""

    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"

    __titles__ = {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "accepted": _l("Accepted"),
        "returned": _l("Returned for changes"),
    }
    __badges__ = {
        "draft": "secondary",
        "submitted": "info",
        "accepted": "success",
        "returned": "warning",
    }


class AnnualReport(Base):
    """One carrier's report for one year."""

    __tablename__ = "annual_reports"
    __table_args__ = (
        UniqueConstraint("carrier_id", "year"),
        CheckConstraint("year BETWEEN 1980 AND 2200", name="year_plausible"),
        CheckConstraint(
            "(submitted_at IS NULL) = (status = 'draft')", name="submitted_at_iff_not_draft"
        ),
        CheckConstraint(
            "decided_at IS NULL OR status IN ('accepted', 'returned')",
            name="decided_at_only_when_decided",
        ),
        Index("ix_annual_reports_year_status", "year", "status"),
        # the bureaus' queue: reports awaiting a decision, oldest first
        Index("ix_annual_reports_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column_type(ReportStatus, "report_status"), default=ReportStatus.draft
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the first submission: a report returned for changes and filed again is not late
    submitted_at: Mapped[dt.datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    carrier: Mapped[Carrier] = relationship()
    figures: Mapped[list[ReportFigure]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    events: Mapped[list[ReportEvent]] = relationship(
        back_populates="report", order_by="ReportEvent.id"
    )

    def __repr__(self) -> str:
        return f"<AnnualReport carrier={self.carrier_id} {self.year} {self.status.value}>"


class ReportFigure(Base):
    """One indicator's value in a report."""

    __tablename__ = "report_figures"
    __table_args__ = (
        UniqueConstraint("report_id", "indicator_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        Index("ix_report_figures_indicator_id", "indicator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_reports.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    report: Mapped[AnnualReport] = relationship(back_populates="figures")
    indicator: Mapped[Indicator] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ReportFigure {self.indicator_id}={self.value}>"


class ReportAction(Choice):
    """What happens to a report: the owner submits, a bureau accepts or returns it."""

    submit = "submit"
    accept = "accept"
    return_ = "return"

    __titles__ = {
        "submit": _l("Submitted"),
        "accept": _l("Accepted"),
        "return": _l("Returned for changes"),
    }
    __badges__ = {"submit": "info", "accept": "success", "return": "warning"}


class ReportEvent(Base):
    """One step of a report's life (who, what, from, to, comment); never edited."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_reports.id"), index=True)
    action: Mapped[ReportAction] = mapped_column(enum_column_type(ReportAction, "report_action"))
    from_status: Mapped[ReportStatus] = mapped_column(enum_column_type(ReportStatus, "from_status"))
    to_status: Mapped[ReportStatus] = mapped_column(enum_column_type(ReportStatus, "to_status"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[AnnualReport] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ReportEvent {self.id} {self.action.value} report={self.report_id}>"


class FigureCheck(Base):
    """A consistency check between a type's figures: `indicator` <= `bound` (+ `bound2`),
    e.g. 在孵企业使用面积 <= 孵化场地面积. Seed data per type."""

    __tablename__ = "figure_checks"
    __table_args__ = (UniqueConstraint("type_id", "indicator_id", "bound_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    bound_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    bound2_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)

    indicator: Mapped[Indicator] = relationship(foreign_keys=[indicator_id], lazy="joined")
    bound: Mapped[Indicator] = relationship(foreign_keys=[bound_id], lazy="joined")
    bound2: Mapped[Indicator | None] = relationship(foreign_keys=[bound2_id], lazy="joined")

    def __repr__(self) -> str:
        return f"<FigureCheck {self.indicator_id} <= {self.bound_id}+{self.bound2_id}>"


class ReminderStage(Choice):
    """When a reminder to file went out: as the due date nears, or after it passed."""

    due_soon = "due_soon"
    overdue = "overdue"

    __titles__ = {"due_soon": _l("Due soon"), "overdue": _l("Overdue")}
    __badges__ = {"due_soon": "info", "overdue": "danger"}


class ReportReminder(Base):
    """A reminder sent to a carrier for a year's report at a stage (at most one each)."""

    __tablename__ = "report_reminders"
    __table_args__ = (UniqueConstraint("carrier_id", "year", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    stage: Mapped[ReminderStage] = mapped_column(enum_column_type(ReminderStage, "reminder_stage"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ReportReminder carrier={self.carrier_id} {self.year} {self.stage.value}>"
