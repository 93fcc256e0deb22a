"""Rate limits on sign-in failures, sign-ups and password-reset requests.

Counted per subject (the email, whether or not an account has it, so the limit says nothing
about which emails exist) and per network address, in a sliding window.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from registry import db
from registry.accounts.models import ThrottleEvent
from registry.db import utcnow
from registry.errors import TooManyRequests

KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """At most `per_subject` events per subject and `per_address` per address in `window`."""

    kind: str
    per_subject: int | None
    per_address: int | None
    window: dt.timedelta
    message: object  # a lazy string with %(minutes)d


def sign_in_limit() -> Limit:
    config = current_app.config
    return Limit(
        "sign_in",
        config.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        dt.timedelta(minutes=config.get("LOGIN_THROTTLE_MINUTES", 15)),
        _l(
            "Too many failed sign-ins. Please wait %(minutes)d minutes and try again, "
            "or reset your password."
        ),
    )


SIGN_UP = Limit(
    "sign_up",
    None,
    10,
    dt.timedelta(hours=1),
    _l(
        "Too many accounts were registered from your network. "
        "Please try again in %(minutes)d minutes."
    ),
)
PASSWORD_RESET = Limit(
    "password_reset",
    3,
    20,
    dt.timedelta(hours=1),
    _l("Too many password reset requests. Please try again in %(minutes)d minutes."),
)


def check(limit: Limit, subject: str, ip: str | None, now: dt.datetime | None = None) -> None:
    """Raise TooManyRequests (with the seconds to wait) when a limit is reached."""
    now = now or utcnow()
    waits = [
        _wait(limit, column, value, allowed, now)
        for column, value, allowed in (
            (ThrottleEvent.subject, subject, limit.per_subject),
            (ThrottleEvent.ip, ip or "", limit.per_address),
        )
        if allowed and value
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise TooManyRequests(str(limit.message) % {"minutes": minutes}, retry_after=wait)


def _wait(limit: Limit, column, value: str, allowed: int, now: dt.datetime) -> int | None:
    """Seconds until fewer than `allowed` events remain in the window, or None if already."""
    oldest_counted = db.session.scalar(
        select(ThrottleEvent.created_at)
        .where(
            ThrottleEvent.kind == limit.kind,
            column == value,
            ThrottleEvent.created_at > now - limit.window,
        )
        .order_by(ThrottleEvent.created_at.desc())
        .offset(allowed - 1)
        .limit(1)
    )
    if oldest_counted is None:
        return None
    return max(1, math.ceil((oldest_counted + limit.window - now).total_seconds()))


def record(limit: Limit, subject: str, ip: str | None, now: dt.datetime | None = None) -> None:
    """Count one event (and forget events older than a day)."""
    now = now or utcnow()
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.created_at < now - KEEP))
    db.session.add(ThrottleEvent(kind=limit.kind, subject=subject, ip=ip or "", created_at=now))
    db.session.flush()


def clear(limit: Limit, subject: str) -> None:
    """Forget a subject's events (a successful sign-in ends its run of failures)."""
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.kind == limit.kind, ThrottleEvent.subject == subject
        )
    )
