"""`registry outbox ...`: deliver queued emails (run `deliver` from cron every minute)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry import db


@click.group("outbox")
def outbox_group() -> None:
    """Queued emails."""


@outbox_group.command("deliver")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100_000))
@with_appcontext
def deliver_command(limit: int) -> None:
    """Send the emails that are due (retries back off; gives up after a few attempts)."""
    from registry.notifications.delivery import deliver_due

    click.echo(str(deliver_due(limit=limit)))


@outbox_group.command("status")
@with_appcontext
def status_command() -> None:
    """How many emails wait, and how many were given up."""
    from sqlalchemy import func, select

    from registry.notifications.models import OutboxMessage

    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status.value: n for status, n in rows}
    click.echo(", ".join(f"{k}: {counts.get(k, 0)}" for k in ("queued", "sent", "failed")))


@outbox_group.command("retry-failed")
@with_appcontext
def retry_failed_command() -> None:
    """Queue again the emails that were given up (e.g. after fixing the SMTP settings)."""
    from registry.notifications.service import retry_failed

    n = retry_failed()
    db.session.commit()
    click.echo(f"outbox: {n} requeued")
