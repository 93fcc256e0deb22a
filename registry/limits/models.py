"""The counters of the API rate limits: one row per caller and window."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class RateCounter(Base):
    """The requests one caller (`bucket`, e.g. `address:203.0.113.7`) made in the window that
    started at `window_start`; windows before the current one are pruned."""

    __tablename__ = "rate_counters"
    __table_args__ = (CheckConstraint("hits > 0", name="hits_positive"),)

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(primary_key=True, index=True)
    hits: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<RateCounter {self.bucket} {self.window_start:%H:%M:%S} {self.hits}>"
