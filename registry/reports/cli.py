"""`registry reports remind`: reminders to file the year's report (a daily cron job)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from registry import db


def as_of_option(function):
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The day to act as of (default today), YYYY-MM-DD; not in the future.",
    )(function)


def as_of_date(value: dt.datetime | None) -> dt.date:
    from registry.cli import fail

    today = dt.date.today()
    day = value.date() if value else today
    if day > today:
        fail(f"--as-of {day.isoformat()} is in the future")
    return day


@click.group("reports")
def reports_group() -> None:
    """Annual reports."""


@reports_group.command("remind")
@as_of_option
@click.option(
    "--days-before",
    type=click.IntRange(0, 365),
    default=30,
    show_default=True,
    help="Remind this many days before the due date (and once after it passed).",
)
@with_appcontext
def remind(as_of: dt.datetime | None, days_before: int) -> None:
    """Email carriers that have not filed the year's report as the due date nears and after it
    passed; each carrier once per year and stage, so running it twice sends nothing new."""
    from registry.reports.reminders import send_reminders

    day = as_of_date(as_of)
    sent = send_reminders(day, days_before)
    db.session.commit()
    for item in sent:
        click.echo(f"{item.stage.value}: {item.carrier.name} ({item.year}) → {item.owner.email}")
    click.echo(f"reminders: {len(sent)} queued as of {day.isoformat()}")
