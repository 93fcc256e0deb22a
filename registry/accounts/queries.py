"""Read models of accounts: the administrators' account list, an account's recent events."""

from __future__ import annotations

from sqlalchemy import or_, select

from registry import db
from registry.accounts.models import Role, User
from registry.audit import AuditEvent


def list_users(
    *,
    q: str = "",
    role: Role | None = None,
    active_only: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[User], int]:
    """Accounts matching an email or name fragment, newest first, and how many match."""
    stmt = select(User)
    if q:
        pattern = "%" + q.strip().lower().replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(or_(User.email.like(pattern), User.name.like("%" + q.strip() + "%")))
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active_only:
        stmt = stmt.where(User.is_active.is_(True))
    total = db.count(stmt)
    stmt = stmt.order_by(User.created_at.desc(), User.id.desc())
    users = list(db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)))
    return users, total


def account_events(user: User, limit: int = 20) -> list[AuditEvent]:
    """The latest audit events about an account or done by it."""
    stmt = (
        select(AuditEvent)
        .where(
            or_(
                (AuditEvent.object_type == "user") & (AuditEvent.object_id == user.id),
                AuditEvent.actor_id == user.id,
            )
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
