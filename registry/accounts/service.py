"""Accounts: creating users, signing in, profiles, passwords and deactivation."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import audit, db
from registry.accounts import throttle
from registry.accounts.models import Role, User
from registry.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    spend_verification_time,
    verify_password,
)
from registry.accounts.tokens import revoke_all_tokens
from registry.db import utcnow
from registry.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationError,
)
from registry.regions.models import Region
from registry.validation import Fields, email_problem, phone_problem


class EmailTaken(Conflict):
    """Another account has this email (the API says so; pages never do)."""

    def __init__(self) -> None:
        super().__init__(_("An account with this email already exists."), {"email": _("is taken")})


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def get_user(user_id: int) -> User:
    """The account with this id; raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No account has the id %(id)s.", id=user_id))
    return user


def _contact_fields(data: dict[str, Any], *, required: bool) -> Fields:
    fields = Fields(data)
    fields.text("name", required=required, max_length=200)
    fields.text("phone", required=required, max_length=32)
    fields.check("phone", phone_problem)  # kept as written: 028-38123456 reads better
    return fields


def _resolve_region(region: Region | str | None, errors: dict[str, str]) -> Region | None:
    if region is None or isinstance(region, Region):
        return region
    from registry.regions.service import find_region

    found = find_region(region.strip()) if region.strip() else None
    if region.strip() and found is None:
        errors["region"] = _("no region has the code %(code)s", code=region)
    return found


def create_user(
    *,
    email: str,
    password: str,
    role: Role | str,
    region: Region | str | None = None,
    name: str = "",
    phone: str = "",
    actor_id: int | None = None,
    confirmed: bool = False,
    must_change_password: bool = False,
    contact_required: bool = False,
) -> User:
    """Create an account; raises ValidationError (a bad field) or EmailTaken (409)."""
    email = normalize_email(email)
    fields = _contact_fields({"name": name, "phone": phone}, required=contact_required)
    errors = dict(fields.errors)
    if email_problem(email):
        errors["email"] = email_problem(email) or ""
    try:
        role = Role.parse(str(role))
    except ValueError as exc:
        errors["role"] = str(exc)
    problem = password_problem(password or "", email)
    if problem:
        errors["password"] = problem
    region = _resolve_region(region, errors)
    if role == Role.reviewer and region is None and "region" not in errors:
        errors["region"] = _("a reviewer must be bound to a region")
    if role == Role.carrier and region is not None:
        errors["region"] = _("a carrier account is not bound to a region")
    if errors:
        raise ValidationError(errors)
    if find_user_by_email(email) is not None:
        raise EmailTaken()
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        region_id=region.id if region else None,
        name=fields.values.get("name", ""),
        phone=fields.values.get("phone", ""),
        email_confirmed_at=utcnow() if confirmed else None,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    db.session.refresh(user)
    audit.record(
        "account.create",
        "user",
        user.id,
        actor_id=actor_id,
        role=role.value,
        region=region.code if region else None,
        email=email,
    )
    return user


def register_account(
    *, email: str, password: str, name: str, phone: str, ip: str | None = None
) -> User:
    """Self-registration of a carrier's operating organisation; emails a confirmation link.

    Raises TooManyRequests (too many sign-ups from the address), ValidationError (name and
    phone are required here) or EmailTaken.
    """
    throttle.check(throttle.SIGN_UP, "", ip)
    user = create_user(
        email=email,
        password=password,
        role=Role.carrier,
        name=name,
        phone=phone,
        contact_required=True,
    )
    throttle.record(throttle.SIGN_UP, "", ip)
    from registry.accounts.recovery import send_confirmation

    send_confirmation(user)
    return user


def authenticate(email: str, password: str, *, ip: str | None = None) -> User:
    """The active user with these credentials. Every attempt is audited.

    Raises TooManyRequests after too many failures for the email or the address,
    Unauthorized for wrong credentials (never saying which part was wrong), Forbidden for a
    deactivated account whose password was right.
    """
    email = normalize_email(email)[:254]
    limit = throttle.sign_in_limit()
    try:
        throttle.check(limit, email, ip)
    except TooManyRequests:
        audit.record("account.sign_in_throttled", "user", None, ip=ip, email=email)
        raise
    user = find_user_by_email(email)
    if user is None:
        spend_verification_time(password)
    if user is None or not verify_password(user.password_hash, password):
        throttle.record(limit, email, ip)
        audit.record(
            "account.sign_in_failed", "user", user.id if user else None, ip=ip, email=email
        )
        raise Unauthorized(_("Wrong email or password."))
    if not user.is_active:
        audit.record("account.sign_in_refused", "user", user.id, ip=ip, reason="deactivated")
        raise Forbidden(_("This account has been deactivated. Please contact the administrator."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(limit, email)
    user.last_login_at = utcnow()
    audit.record("account.sign_in", "user", user.id, actor_id=user.id, ip=ip)
    return user


def record_sign_out(user: User, *, ip: str | None = None) -> None:
    audit.record("account.sign_out", "user", user.id, actor_id=user.id, ip=ip)


def update_profile(user: User, data: dict[str, Any], *, actor_id: int | None) -> User:
    """Change an account's name and phone (keys absent from `data` stay); raises
    ValidationError naming each bad field."""
    unknown = sorted(set(data) - {"name", "phone"})
    fields = _contact_fields(data, required=user.role == Role.carrier)
    errors = {**fields.errors, **{k: _("is not a field of an account") for k in unknown}}
    if errors:
        raise ValidationError(errors)
    changes = {k: [getattr(user, k), v] for k, v in fields.values.items() if getattr(user, k) != v}
    for key, (_old, new) in changes.items():
        setattr(user, key, new)
    db.session.flush()
    if changes:
        audit.record("account.update", "user", user.id, actor_id=actor_id, changes=changes)
    return user


def replace_password(user: User, password: str) -> None:
    """New hash and a new password version: every other session and every token ends."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    revoke_all_tokens(user)
    db.session.flush()


def change_password(user: User, current: str, new: str) -> User:
    """The user changes their own password; raises ValidationError (wrong current password,
    or a new one the policy refuses)."""
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current or ""):
        errors["current_password"] = _("is not your current password")
    problem = password_problem(new or "", user.email)
    if problem:
        errors["new_password"] = problem
    elif current and new == current:
        errors["new_password"] = _("must differ from the current password")
    if errors:
        raise ValidationError(errors)
    replace_password(user, new)
    user.must_change_password = False
    audit.record("account.password_change", "user", user.id, actor_id=user.id)
    notify_password_changed(user)
    return user


def set_password_by_admin(user: User, password: str, *, actor: User) -> User:
    """An administrator sets a temporary password the user must change at next sign-in;
    raises ValidationError."""
    problem = password_problem(password or "", user.email)
    if problem:
        raise ValidationError({"password": problem})
    replace_password(user, password)
    user.must_change_password = user.id != actor.id
    audit.record("account.password_reset_by_admin", "user", user.id, actor_id=actor.id)
    notify_password_changed(user)
    return user


def set_active(user: User, active: bool, *, actor: User) -> User:
    """Deactivate (sessions and tokens end at once) or reactivate an account; raises
    ValidationError for deactivating oneself."""
    if not active and user.id == actor.id:
        raise ValidationError({"is_active": _("you cannot deactivate your own account")})
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        revoke_all_tokens(user)
    db.session.flush()
    action = "account.reactivate" if active else "account.deactivate"
    audit.record(action, "user", user.id, actor_id=actor.id)
    return user


def notify_password_changed(user: User) -> None:
    from flask_babel import gettext

    from registry.notifications.service import queue_templated

    queue_templated(
        user.email,
        kind="password_changed",
        subject=gettext("Your password was changed"),
        user_id=user.id,
        user=user,
    )
