"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _

_hasher = PasswordHasher()
_dummy_hash: str | None = None

MIN_LENGTH = 10
MAX_LENGTH = 128


def configure(time_cost: int, memory_kib: int) -> None:
    """Set the Argon2id cost (the app does it from its config; tests make it cheap)."""
    global _hasher, _dummy_hash
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_kib):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def spend_verification_time(password: str) -> None:
    """Verify against a throw-away hash, so an unknown email takes as long as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password")
    verify_password(_dummy_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return _("must be at least %(n)d characters long", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("must be at most %(n)d characters long", n=MAX_LENGTH)
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
