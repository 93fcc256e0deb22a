"""Imports of bureau spreadsheets: the file, who imported it, its counts, and the carriers
each of its rows created or updated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from registry.accounts.models import User
from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region


class ImportStatus(Choice):
    """An upload is checked (dry runs) until it is imported; an import is never undone."""

    staged = "staged"
    completed = "completed"

    __titles__ = {"staged": _l("Checked, not imported"), "completed": _l("Imported")}
    __badges__ = {"staged": "warning", "completed": "success"}


class ItemAction(Choice):
    """What an imported row did to its carrier."""

    created = "created"
    updated = "updated"

    __titles__ = {"created": _l("Created"), "updated": _l("Updated")}
    __badges__ = {"created": "success", "updated": "info"}


class CarrierImport(Base):
    """One uploaded list and, once imported, what it wrote."""

    __tablename__ = "imports"
    __table_args__ = (
        CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)", name="completed_at_if_completed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    file_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sheet: Mapped[str] = mapped_column(String(100), default="")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON))
    status: Mapped[ImportStatus] = mapped_column(
        enum_column_type(ImportStatus, "import_status"), default=ImportStatus.staged
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    scope_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[dt.datetime | None]
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    recognitions_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User | None] = relationship(lazy="joined")
    scope_region: Mapped[Region | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<CarrierImport {self.id} {self.filename} {self.status.value}>"


class ImportItem(Base):
    """A carrier that an import's row created or updated (and the recognition it added)."""

    __tablename__ = "import_items"
    __table_args__ = (UniqueConstraint("import_id", "row_no", "carrier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    row_no: Mapped[int] = mapped_column(Integer)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"), index=True)
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"))
    action: Mapped[ItemAction] = mapped_column(enum_column_type(ItemAction, "import_item_action"))

    def __repr__(self) -> str:
        return f"<ImportItem {self.import_id}:{self.row_no} carrier={self.carrier_id}>"
