"""Versions of the open data: each a dated set of files of the public registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.db import Base, utcnow


class OpenDataRelease(Base):
    """One published version: its date, counts and files (name, format, rows, bytes, sha256)."""

    __tablename__ = "open_data_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    directory: Mapped[str] = mapped_column(String(255))
    previous_version: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    published_by: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<OpenDataRelease v{self.version} {self.as_of}>"

    @property
    def label(self) -> str:
        return f"v{self.version} ({self.as_of.isoformat()})"
