"""The append-only audit event log: who did what to which object, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from registry import db
from registry.db import Base, utcnow


class AuditEvent(Base):
    """One recorded event; rows are never updated or deleted (database triggers refuse it)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_carrier_id", "carrier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    ip: Mapped[str | None] = mapped_column(String(45))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.object_type}:{self.object_id}>"


def record(
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    actor_id: int | None = None,
    carrier_id: int | None = None,
    ip: str | None = None,
    **data: Any,
) -> AuditEvent:
    """Append an event to the log (flushed with the caller's transaction)."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        carrier_id=carrier_id,
        ip=ip,
        data=_jsonable(data),
    )
    db.session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str | int):
        return value.value  # enums
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def events_for(object_type: str, object_id: int) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(stmt))


def record_many(events: list[dict[str, Any]]) -> int:
    """Append many events in one bulk insert (imports); each dict holds record()'s arguments
    (action, object_type, object_id, actor_id, carrier_id, data). Returns how many."""
    if not events:
        return 0
    now = utcnow()
    rows = [
        {
            "occurred_at": now,
            "action": e["action"],
            "object_type": e["object_type"],
            "object_id": e.get("object_id"),
            "actor_id": e.get("actor_id"),
            "carrier_id": e.get("carrier_id"),
            "ip": e.get("ip"),
            "data": _jsonable(e.get("data", {})),
        }
        for e in events
    ]
    db.session.execute(insert(AuditEvent), rows)
    return len(rows)
