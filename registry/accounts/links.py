"""Signed, expiring tokens for the links we email: confirming an address, resetting a password.

A token names the user and a fingerprint of what it acts on (the email for a confirmation,
the password hash for a reset), so a reset link works once: the new password changes the
fingerprint. Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from registry import db
from registry.accounts.models import User


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: dt.timedelta


CONFIRM_EMAIL = Purpose("registry.confirm-email", dt.timedelta(days=3))
RESET_PASSWORD = Purpose("registry.reset-password", dt.timedelta(hours=2))


class LinkInvalid(Exception):
    """The link is forged, expired, already used, or its account is gone."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.salt)


def _fingerprint(purpose: Purpose, user: User) -> str:
    source = user.email if purpose is CONFIRM_EMAIL else user.password_hash
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def make_token(purpose: Purpose, user: User) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(purpose, user)})


def read_token(purpose: Purpose, token: str) -> User:
    """The active user the token was made for; raises LinkInvalid."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(purpose.max_age.total_seconds()))
    except SignatureExpired:
        raise LinkInvalid(expired=True) from None
    except BadSignature:
        raise LinkInvalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkInvalid()
    user = db.session.get(User, data["u"])
    if user is None or not user.is_active or data.get("f") != _fingerprint(purpose, user):
        raise LinkInvalid()
    return user
