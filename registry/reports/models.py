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
        Index("ix_annual_reports_year_status", "year", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column_type(ReportStatus, "report_status"), default=ReportStatus.draft
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    carrier: Mapped[Carrier] = relationship()
    figures: Mapped[list[ReportFigure]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
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
