"""Queueing emails in the outbox (in the caller's transaction) and delivering them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from registry import db
from registry.db import utcnow
from registry.notifications.models import OutboxMessage, OutboxStatus
from registry.notifications.senders import Sender

MAX_ATTEMPTS = 6
_QUEUED_KEY = "outbox_queued"


def queue_email(
    to_address: str, subject: str, body: str, *, kind: str, user_id: int | None = None
) -> OutboxMessage:
    """Put an email in the outbox; it leaves only if the caller's transaction commits.

    Raises nothing: delivery problems are kept on the message and retried.
    """
    message = OutboxMessage(
        kind=kind, to_address=to_address, subject=subject[:200], body=body, user_id=user_id
    )
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_QUEUED_KEY, []).append(message.id)
    return message


def queue_templated(
    to_address: str,
    *,
    kind: str,
    subject: str,
    user_id: int | None = None,
    locale: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """Queue the email written by `templates/email/<kind>.txt` with `context` (in the
    current language unless `locale` is given)."""
    if locale:
        with force_locale(locale):
            body = render_template(f"email/{kind}.txt", **context)
    else:
        body = render_template(f"email/{kind}.txt", **context)
    return queue_email(to_address, subject, body, kind=kind, user_id=user_id)


def take_queued_ids() -> list[int]:
    """Ids of the messages this session queued (to deliver once the request has committed)."""
    return db.session.info.pop(_QUEUED_KEY, [])


def next_due(now: dt.datetime, ids: list[int] | None = None) -> OutboxMessage | None:
    """The next message due for delivery, locked so that parallel workers skip it."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.queued, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    return db.session.scalar(stmt)


def attempt_delivery(message: OutboxMessage, sender: Sender, now: dt.datetime) -> bool:
    """Send `message` once; on failure keep the error and schedule a retry (backing off),
    giving up after MAX_ATTEMPTS. Returns whether it was sent."""
    message.attempts += 1
    try:
        sender.send(
            to=message.to_address,
            subject=message.subject,
            body=message.body,
            sender=current_app.config.get("MAIL_FROM", "registry@localhost"),
        )
    except Exception as exc:  # any transport error: keep it, try again later
        message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.failed
        else:
            message.next_attempt_at = now + dt.timedelta(minutes=2**message.attempts)
        db.session.flush()
        return False
    message.status = OutboxStatus.sent
    message.sent_at = now
    message.last_error = None
    db.session.flush()
    return True


def pending_count() -> int:
    return db.count(select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.queued))


def retry_failed() -> int:
    """Put messages that were given up back in the queue; returns how many."""
    failed = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.failed))
    )
    for message in failed:
        message.status = OutboxStatus.queued
        message.attempts = 0
        message.next_attempt_at = utcnow()
    db.session.flush()
    return len(failed)
