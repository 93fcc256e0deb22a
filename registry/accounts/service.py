"""Accounts: creating users and checking their credentials."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import audit, db
from registry.accounts.models import Role, User
from registry.accounts.passwords import hash_password, password_problem
from registry.errors import Conflict, ValidationError
from registry.regions.models import Region

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def create_user(
    *,
    email: str,
    password: str,
    role: Role | str,
    region: Region | None = None,
    name: str = "",
    phone: str = "",
    actor_id: int | None = None,
) -> User:
    """Create an account; raises ValidationError (bad field) or Conflict (email taken)."""
    email = normalize_email(email)
    errors: dict[str, str] = {}
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = _("is not a valid email address")
    try:
        role = Role.parse(str(role))
    except ValueError as exc:
        errors["role"] = str(exc)
    problem = password_problem(password or "", email)
    if problem:
        errors["password"] = problem
    if role == Role.reviewer and region is None:
        errors["region"] = _("a reviewer must be bound to a region")
    if errors:
        raise ValidationError(errors)
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this email already exists."), {"email": _("is taken")})
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        region_id=region.id if region else None,
        name=name.strip(),
        phone=phone.strip(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account.create",
        "user",
        user.id,
        actor_id=actor_id,
        role=role.value,
        region=region.code if region else None,
    )
    return user


def authenticate(email: str, password: str, *, ip: str | None = None) -> User:
    """The active user with these credentials; raises Unauthorized (never saying which part
    was wrong). Every attempt is recorded in the audit log."""
    from registry.accounts.passwords import needs_rehash, verify_password
    from registry.db import utcnow
    from registry.errors import Unauthorized

    user = find_user_by_email(email)
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        audit.record(
            "account.sign_in_failed",
            "user",
            user.id if user else None,
            ip=ip,
            email=normalize_email(email)[:254],
        )
        raise Unauthorized(_("Wrong email or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record("account.sign_in", "user", user.id, actor_id=user.id, ip=ip)
    return user
