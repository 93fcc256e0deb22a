"""Carrier types with their indicators and criteria, carriers, and their recognitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import get_locale
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

from registry.carriers.levels import Level, LevelType
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region


def _localized(zh: str, en: str | None) -> str:
    try:
        locale = get_locale()
    except Exception:  # outside a request: Chinese
        locale = None
    if locale is not None and locale.language == "en" and en:
        return en
    return zh


class RecognitionKind(Choice):
    """Whether a type is recognised (认定) or filed (备案)."""

    recognition = "recognition"
    filing = "filing"

    __titles__ = {"recognition": _l("Recognised"), "filing": _l("Filed")}


class CarrierType(Base):
    """A kind of carrier (科技企业孵化器, 众创空间 ...) with its indicators and criteria."""

    __tablename__ = "carrier_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    kind: Mapped[RecognitionKind] = mapped_column(
        enum_column_type(RecognitionKind, "recognition_kind"), default=RecognitionKind.recognition
    )
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)
    report_due_month: Mapped[int] = mapped_column(SmallInteger, default=3)
    report_due_day: Mapped[int] = mapped_column(SmallInteger, default=31)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="carrier_type", order_by="Indicator.sort_order"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="carrier_type", order_by="(Criterion.level, Criterion.sort_order)"
    )

    def __repr__(self) -> str:
        return f"<CarrierType {self.code}>"

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)


class Indicator(Base):
    """A figure a carrier of this type reports or gives in an application (with its unit)."""

    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("type_id", "code"),
        CheckConstraint("value_kind IN ('integer', 'decimal')", name="value_kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(48))
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    unit: Mapped[str] = mapped_column(String(16))
    value_kind: Mapped[str] = mapped_column(String(8), default="integer")
    is_required: Mapped[bool] = mapped_column(Boolean, default=True)
    in_report: Mapped[bool] = mapped_column(Boolean, default=True)
    in_application: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)
    help: Mapped[str] = mapped_column(Text, default="")

    carrier_type: Mapped[CarrierType] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"<Indicator {self.code} ({self.unit})>"

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)


class Criterion(Base):
    """A recognition condition for a type and level: indicator ≥ min (optionally per N of another).

    Criteria sharing an `alt_group` are alternatives: meeting any one of them is enough.
    """

    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_known"),
        CheckConstraint("(per_indicator_id IS NULL) = (per_amount IS NULL)", name="per_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id", ondelete="CASCADE"))
    level: Mapped[Level] = mapped_column(LevelType())
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    min_value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    per_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE")
    )
    per_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    alt_group: Mapped[str | None] = mapped_column(String(32))
    is_configurable: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(SmallInteger, default=0)

    carrier_type: Mapped[CarrierType] = relationship(back_populates="criteria")
    indicator: Mapped[Indicator] = relationship(foreign_keys=[indicator_id], lazy="joined")
    per_indicator: Mapped[Indicator | None] = relationship(
        foreign_keys=[per_indicator_id], lazy="joined"
    )

    def __repr__(self) -> str:
        return f"<Criterion {self.level.code} {self.indicator_id} >= {self.min_value}>"


class CarrierStatus(Choice):
    """Public status of a carrier, derived from its recognitions as of a date."""

    recognized = "recognized"
    revoked = "revoked"
    unrecognized = "unrecognized"

    __titles__ = {
        "recognized": _l("Recognised"),
        "revoked": _l("Revoked"),
        "unrecognized": _l("Not recognised"),
    }
    __badges__ = {"recognized": "success", "revoked": "danger", "unrecognized": "secondary"}


class Carrier(Base):
    """An innovation carrier and its operating organisation's public and private details."""

    __tablename__ = "carriers"
    __table_args__ = (
        Index("ix_carriers_region_id_name", "region_id", "name"),
        Index("ix_carriers_type_id_region_id", "type_id", "region_id"),
        Index("ix_carriers_uscc_type_id", "uscc", "type_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("carrier_types.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    operator_name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    needs_region_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    carrier_type: Mapped[CarrierType] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    recognitions: Mapped[list[Recognition]] = relationship(
        back_populates="carrier", order_by="(Recognition.recognized_on, Recognition.id)"
    )

    def __repr__(self) -> str:
        return f"<Carrier {self.id} {self.name}>"


class RecognitionSource(Choice):
    """How a recognition entered the registry."""

    workflow = "workflow"
    imported = "imported"
    manual = "manual"
    demo = "demo"

    __titles__ = {
        "workflow": _l("Application approved in the registry"),
        "imported": _l("Imported from a published list"),
        "manual": _l("Entered by a bureau"),
        "demo": _l("Demo data"),
    }


class Recognition(Base):
    """A carrier's recognition at a level by a region's bureau; revoked, never deleted."""

    __tablename__ = "recognitions"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_known"),
        CheckConstraint(
            "revoked_on IS NULL OR revoked_on >= recognized_on", name="revoked_after_recognized"
        ),
        CheckConstraint(
            "(revoked_on IS NULL) = (revocation_reason IS NULL)", name="revoked_if_reason"
        ),
        Index("ix_recognitions_carrier_id_level", "carrier_id", "level"),
        Index("ix_recognitions_recognized_on", "recognized_on"),
        Index("ix_recognitions_active_carrier", "revoked_on", "carrier_id", "level"),
        # Every column of a carrier's history in carrier order: counting targets as of a
        # date reads the recognitions from this index alone (migration 0003_plans_targets).
        Index("ix_recognitions_history", "carrier_id", "recognized_on", "revoked_on", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    level: Mapped[Level] = mapped_column(LevelType())
    recognized_on: Mapped[dt.date] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(100), default="")
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    revocation_document_no: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[RecognitionSource] = mapped_column(
        enum_column_type(RecognitionSource, "recognition_source"),
        default=RecognitionSource.manual,
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    carrier: Mapped[Carrier] = relationship(back_populates="recognitions")
    granted_by: Mapped[Region] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Recognition {self.id} carrier={self.carrier_id} {self.level.code}>"

    def is_active_on(self, day: dt.date) -> bool:
        return self.recognized_on <= day and (self.revoked_on is None or self.revoked_on > day)
