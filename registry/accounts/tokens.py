"""API bearer tokens: issued on sign-in, expiring, revoked on logout and password change."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update

from registry import audit, db
from registry.accounts.models import ApiToken, User
from registry.db import utcnow

TOKEN_LIFETIME = dt.timedelta(hours=12)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, lifetime: dt.timedelta = TOKEN_LIFETIME) -> tuple[str, ApiToken]:
    """A new token for `user`: the secret (shown once) and its stored record."""
    secret = "rgt_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=_digest(secret), expires_at=utcnow() + lifetime)
    db.session.add(record)
    db.session.flush()
    audit.record("token.issue", "user", user.id, actor_id=user.id, token_id=record.id)
    return secret, record


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    if not secret:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    now = utcnow()
    if record is None or not record.is_valid(now) or not record.user.is_active:
        return None
    return record.user, record


def revoke_token(record: ApiToken) -> None:
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        db.session.flush()
        audit.record("token.revoke", "user", record.user_id, actor_id=record.user_id)


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of `user` (password change, deactivation); returns how many."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0
