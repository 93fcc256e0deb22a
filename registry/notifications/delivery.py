"""Delivering the outbox: each message in its own transaction, so a crash or a second worker
never sends a delivered message again. This is a worker, not a service: it commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, Response

from registry import db
from registry.db import utcnow
from registry.notifications.senders import Sender, current_sender
from registry.notifications.service import attempt_delivery, next_due, take_queued_ids

log = logging.getLogger("registry.mail")


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"outbox: {self.sent} sent, {self.failed} failed"


def deliver_due(
    sender: Sender | None = None, *, limit: int = 500, ids: list[int] | None = None
) -> DeliveryResult:
    """Send up to `limit` due messages (only `ids` when given), committing after each."""
    sender = sender or current_sender()
    result = DeliveryResult()
    for _ in range(limit):
        message = next_due(utcnow(), ids)
        if message is None:
            break
        if attempt_delivery(message, sender, utcnow()):
            result.sent += 1
        else:
            result.failed += 1
        db.session.commit()
    db.session.commit()
    return result


def init_app(app: Flask) -> None:
    """When enabled, a request's emails are sent after its response has gone out."""

    @app.after_request
    def _deliver_after_response(response: Response) -> Response:
        ids = take_queued_ids()
        if ids and app.config.get("OUTBOX_DELIVER_AFTER_REQUEST"):
            response.call_on_close(lambda: _deliver_in_own_context(app, ids))
        return response


def _deliver_in_own_context(app: Flask, ids: list[int]) -> None:
    # The request's session is gone by now: messages it rolled back simply are not found.
    try:
        with app.app_context():
            deliver_due(ids=ids, limit=len(ids))
    except Exception:
        log.exception("delivering outbox messages %s after the request failed", ids)
