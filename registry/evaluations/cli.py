"""`registry rules apply`: the reporting rule, as a daily cron job (the fail rule applies when
a grade is recorded)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from registry import db
from registry.reports.cli import as_of_date, as_of_option


@click.group("rules")
def rules_group() -> None:
    """Revocation rules of the annual evaluation."""


@rules_group.command("apply")
@as_of_option
@with_appcontext
def apply_rules(as_of: dt.datetime | None) -> None:
    """Revoke the highest active title of carriers without an accepted report for the rule's
    number of consecutive years (idempotent: a second run changes nothing)."""
    from registry.carriers.models import Carrier, Recognition
    from registry.evaluations.rules import apply_reporting_rules

    day = as_of_date(as_of)
    outcome = apply_reporting_rules(day)
    db.session.commit()
    for application in outcome.applications:
        carrier = db.session.get(Carrier, application.carrier_id)
        recognition = db.session.get(Recognition, application.recognition_id)
        click.echo(
            f"revoked: {carrier.name} {recognition.level.code} "
            f"(no accepted report {application.first_year}–{application.year})"
        )
    click.echo(
        f"rules: {len(outcome.applications)} titles revoked as of {day.isoformat()} "
        f"({outcome.checked_types} reporting rules checked)"
    )
