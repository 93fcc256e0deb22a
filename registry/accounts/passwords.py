"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _

_hasher = PasswordHasher()

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _("must be at least %(n)d characters long", n=MIN_LENGTH)
    if len(password) > 128:
        return _("must be at most 128 characters long")
    if password.isdigit():
        return _("must not be all digits")
    local = email.split("@", 1)[0].lower()
    if email and (
        password.lower() == email.lower() or (len(local) >= 4 and local in password.lower())
    ):
        return _("must not contain your email address")
    if len(set(password)) < 4:
        return _("must not repeat the same few characters")
    return None
