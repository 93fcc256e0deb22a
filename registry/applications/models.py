"""Applications for recognition, their review chain, figures, attachments and events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.carriers.levels import Level, LevelType
from registry.carriers.models import Carrier, Indicator, Recognition
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region


class ApplicationStatus(Choice):
    """Where an application stands in the workflow."""

    draft = "draft"
    in_review = "in_review"
    returned = "returned"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"

    __titles__ = {
        "draft": _l("Draft"),
        "in_review": _l("In review"),
        "returned": _l("Returned for changes"),
        "approved": _l("Approved"),
        "rejected": lazy_pgettext("application", "Rejected"),
        "withdrawn": _l("Withdrawn"),
    }
    __badges__ = {
        "draft": "secondary",
        "in_review": "info",
        "returned": "warning",
        "approved": "success",
        "rejected": "danger",
        "withdrawn": "light",
    }

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = (ApplicationStatus.draft, ApplicationStatus.in_review, ApplicationStatus.returned)
_OPEN_SQL = "status IN ('draft', 'in_review', 'returned')"


class ApplicationAction(Choice):
    """What an owner or a reviewer does to an application."""

    submit = "submit"
    withdraw = "withdraw"
    recommend = "recommend"
    approve = "approve"
    return_ = "return"
    reject = "reject"

    __titles__ = {
        "submit": _l("Submit"),
        "withdraw": _l("Withdraw"),
        "recommend": _l("Recommend"),
        "approve": _l("Approve"),
        "return": _l("Return for changes"),
        "reject": _l("Reject"),
    }
    __badges__ = {
        "submit": "primary",
        "withdraw": "secondary",
        "recommend": "info",
        "approve": "success",
        "return": "warning",
        "reject": "danger",
    }
    __past__ = {
        "submit": _l("submitted"),
        "withdraw": _l("withdrew"),
        "recommend": _l("recommended"),
        "approve": _l("approved"),
        "return": _l("returned for changes"),
        "reject": _l("rejected"),
    }

    @property
    def past(self) -> str:
        return str(type(self).__past__[self.value])


class Application(Base):
    """A carrier's request to be recognised at a level; reviewed step by step up its chain.

    `version` grows with every change; an action applies only to the version its actor saw.
    While in review, (`round`, `step_position`) name the current ApplicationStep.
    """

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "(status = 'in_review') = (step_position IS NOT NULL)", name="step_iff_in_review"
        ),
        CheckConstraint("status <> 'draft' OR round = 0", name="draft_never_submitted"),
        CheckConstraint(
            "status NOT IN ('in_review', 'returned', 'approved', 'rejected') OR round >= 1",
            name="reviewed_after_submission",
        ),
        CheckConstraint(
            "(status = 'approved') = (recognition_id IS NOT NULL)",
            name="recognition_iff_approved",
        ),
        CheckConstraint(
            "(status IN ('approved', 'rejected', 'withdrawn')) = (closed_at IS NOT NULL)",
            name="closed_at_iff_closed",
        ),
        # one open application per carrier, whatever the application code does
        Index(
            "uq_applications_open_carrier_id",
            "carrier_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_applications_status_state_changed_at", "status", "state_changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    level: Mapped[Level] = mapped_column(LevelType())
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus, "application_status"),
        default=ApplicationStatus.draft,
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    round: Mapped[int] = mapped_column(SmallInteger, default=0)
    step_position: Mapped[int | None] = mapped_column(SmallInteger)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    state_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"), unique=True)

    carrier: Mapped[Carrier] = relationship(lazy="joined")
    recognition: Mapped[Recognition | None] = relationship()
    figures: Mapped[list[ApplicationFigure]] = relationship(
        back_populates="application", order_by="ApplicationFigure.id"
    )
    steps: Mapped[list[ApplicationStep]] = relationship(
        back_populates="application",
        order_by="(ApplicationStep.round, ApplicationStep.position)",
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} carrier={self.carrier_id} {self.status.value}>"

    @property
    def chain(self) -> list[ApplicationStep]:
        """The steps of the current (latest) round, first step first."""
        return [s for s in self.steps if s.round == self.round]

    @property
    def current_step(self) -> ApplicationStep | None:
        if self.step_position is None:
            return None
        return next((s for s in self.chain if s.position == self.step_position), None)

    def figure_values(self) -> dict[int, Decimal | None]:
        return {f.indicator_id: f.value for f in self.figures}


class ApplicationStep(Base):
    """One bureau of an application's review chain in one round (a submission); rounds
    are kept, so a resubmitted application shows every chain it went through."""

    __tablename__ = "application_steps"
    __table_args__ = (
        UniqueConstraint("application_id", "round", "position"),
        CheckConstraint("round >= 1 AND position >= 0", name="round_and_position_valid"),
        Index("ix_application_steps_region_id", "region_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    round: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)

    application: Mapped[Application] = relationship(back_populates="steps")
    region: Mapped[Region] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ApplicationStep {self.application_id}/{self.round}/{self.position}>"


class ApplicationFigure(Base):
    """A figure the applicant gives for one of its type's indicators (None: left empty)."""

    __tablename__ = "application_figures"
    __table_args__ = (
        UniqueConstraint("application_id", "indicator_id"),
        CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))

    application: Mapped[Application] = relationship(back_populates="figures")
    indicator: Mapped[Indicator] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ApplicationFigure {self.indicator_id}={self.value}>"


class ApplicationAttachment(Base):
    """A file attached to an application, stored outside the web root under a random name.

    Removing one only hides it: the file and the row are kept.
    """

    __tablename__ = "application_attachments"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint(
            "content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')",
            name="content_type_allowed",
        ),
        CheckConstraint(
            "(removed_at IS NULL) = (removed_by_id IS NULL)", name="removed_by_iff_removed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<ApplicationAttachment {self.id} {self.filename}>"


class ApplicationEvent(Base):
    """One state change of an application: who did what, at which step, from and to which
    status, with the comment. Append-only (database triggers refuse UPDATE and DELETE);
    `version` is the application's version the change produced, so no two events can
    claim the same change."""

    __tablename__ = "application_events"
    __table_args__ = (UniqueConstraint("application_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    version: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(SmallInteger)
    action: Mapped[ApplicationAction] = mapped_column(
        enum_column_type(ApplicationAction, "application_action")
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus, "from_status_known")
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus, "to_status_known")
    )
    from_step_id: Mapped[int | None] = mapped_column(ForeignKey("application_steps.id"))
    to_step_id: Mapped[int | None] = mapped_column(ForeignKey("application_steps.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User] = relationship(lazy="joined")
    from_step: Mapped[ApplicationStep | None] = relationship(
        foreign_keys=[from_step_id], lazy="joined"
    )
    to_step: Mapped[ApplicationStep | None] = relationship(foreign_keys=[to_step_id], lazy="joined")

    def __repr__(self) -> str:
        return f"<ApplicationEvent {self.application_id} v{self.version} {self.action.value}>"
