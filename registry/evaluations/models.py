"""Annual evaluations: a bureau's grade of a carrier for a year."""

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

from registry.carriers.models import Carrier
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type


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

    carrier: Mapped[Carrier] = relationship()

    def __repr__(self) -> str:
        return f"<Evaluation carrier={self.carrier_id} {self.year} {self.grade.value}>"
