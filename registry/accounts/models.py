"""Accounts: carriers' organisations, bureau reviewers bound to a region, and admins."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, utcnow
from registry.enums import Choice, enum_column_type
from registry.regions.models import Region


class Role(Choice):
    """What an account is: a carrier's organisation, a bureau reviewer or an operator."""

    carrier = "carrier"
    reviewer = "reviewer"
    admin = "admin"

    __titles__ = {
        "carrier": _l("Carrier organisation"),
        "reviewer": _l("Reviewer"),
        "admin": _l("Administrator"),
    }
    __badges__ = {"carrier": "secondary", "reviewer": "primary", "admin": "dark"}


class User(Base):
    """A person or organisation that signs in."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("role <> 'reviewer' OR region_id IS NOT NULL", name="reviewer_has_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"), default=Role.carrier)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # set when an administrator chose the password: the user must pick their own
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    email_confirmed_at: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    region: Mapped[Region | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"

    def is_valid(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class ThrottleEvent(Base):
    """A counted attempt (failed sign-in, sign-up, reset request) for rate limits; rows older
    than a day are pruned. The audit log keeps the permanent record."""

    __tablename__ = "throttle_events"
    __table_args__ = (
        Index("ix_throttle_events_kind_subject_created_at", "kind", "subject", "created_at"),
        Index("ix_throttle_events_kind_ip_created_at", "kind", "ip", "created_at"),
        Index("ix_throttle_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(254), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ThrottleEvent {self.kind} {self.subject or '-'} {self.ip or '-'}>"
