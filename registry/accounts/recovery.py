"""Email confirmation and password reset by signed, expiring links sent through the outbox.

Nothing here tells a caller whether an email has an account: requests for unknown
addresses do exactly what requests for known ones do, minus the email.
"""

from __future__ import annotations

from flask_babel import gettext as _

from registry import audit
from registry.accounts import links, throttle
from registry.accounts.models import User
from registry.accounts.passwords import password_problem
from registry.accounts.service import (
    find_user_by_email,
    normalize_email,
    notify_password_changed,
    replace_password,
)
from registry.db import utcnow
from registry.errors import BadRequest, ValidationError
from registry.notifications.service import queue_templated
from registry.web import external_url


class LinkError(BadRequest):
    """An emailed link that cannot be used (forged, expired or already used)."""


def _link_error(exc: links.LinkInvalid) -> LinkError:
    if exc.expired:
        return LinkError(_("This link has expired. Please ask for a new one."))
    return LinkError(
        _("This link is not valid or has already been used. Please ask for a new one.")
    )


def send_confirmation(user: User) -> None:
    """Queue an email with a link that confirms the user's address."""
    token = links.make_token(links.CONFIRM_EMAIL, user)
    queue_templated(
        user.email,
        kind="confirm_email",
        subject=_("Confirm your email address"),
        user_id=user.id,
        user=user,
        link=external_url("accounts.confirm_email", token=token),
        days=links.CONFIRM_EMAIL.max_age.days,
    )


def confirm_email(token: str) -> User:
    """Mark the address of the link's user as confirmed (again is harmless); raises LinkError."""
    try:
        user = links.read_token(links.CONFIRM_EMAIL, token)
    except links.LinkInvalid as exc:
        raise _link_error(exc) from None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("account.email_confirmed", "user", user.id, actor_id=user.id)
    return user


def notify_existing_account(email: str) -> None:
    """Someone tried to sign up with a taken address: tell its owner, not the visitor."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    queue_templated(
        user.email,
        kind="account_exists",
        subject=_("Someone tried to register with your email address"),
        user_id=user.id,
        user=user,
        login_link=external_url("accounts.login"),
        reset_link=external_url("accounts.forgot_password"),
    )


def request_password_reset(email: str, *, ip: str | None = None) -> None:
    """Email a reset link if an active account has this address; raises TooManyRequests
    (the same for known and unknown addresses) and nothing else."""
    email = normalize_email(email)[:254]
    throttle.check(throttle.PASSWORD_RESET, email, ip)
    throttle.record(throttle.PASSWORD_RESET, email, ip)
    user = find_user_by_email(email)
    audit.record(
        "account.password_reset_requested", "user", user.id if user else None, ip=ip, email=email
    )
    if user is None or not user.is_active:
        return
    token = links.make_token(links.RESET_PASSWORD, user)
    queue_templated(
        user.email,
        kind="reset_password",
        subject=_("Reset your password"),
        user_id=user.id,
        user=user,
        link=external_url("accounts.reset_password", token=token),
        hours=int(links.RESET_PASSWORD.max_age.total_seconds() // 3600),
    )


def check_reset_link(token: str) -> User:
    """The user a reset link is for; raises LinkError."""
    try:
        return links.read_token(links.RESET_PASSWORD, token)
    except links.LinkInvalid as exc:
        raise _link_error(exc) from None


def reset_password(token: str, password: str, *, ip: str | None = None) -> User:
    """Set a new password through a reset link (which then stops working); ends every
    session and token. Raises LinkError or ValidationError."""
    user = check_reset_link(token)
    problem = password_problem(password or "", user.email)
    if problem:
        raise ValidationError({"password": problem})
    replace_password(user, password)
    user.must_change_password = False
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()  # the link proved the address
    throttle.clear(throttle.sign_in_limit(), user.email)
    audit.record("account.password_reset", "user", user.id, actor_id=user.id, ip=ip)
    notify_password_changed(user)
    return user
