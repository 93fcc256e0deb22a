"""Reminders to file the year's report, through the outbox: once as the due date nears and
once after it passed, per carrier and year (`registry reports remind`, a daily cron job)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, not_, select

from registry import audit, db
from registry.accounts.models import User
from registry.carriers.models import Carrier, CarrierType
from registry.reports.deadlines import due_date, expected_to_report, filed, reporting_year
from registry.reports.models import ReminderStage, ReportReminder

DEFAULT_LEAD_DAYS = 30


def stage_on(carrier_type: CarrierType, year: int, today: dt.date, lead_days: int):
    """The reminder stage of `year`'s report on `today`, or None (not yet near)."""
    due = due_date(carrier_type, year)
    if today > due:
        return ReminderStage.overdue
    if today >= due - dt.timedelta(days=lead_days):
        return ReminderStage.due_soon
    return None


@dataclass
class Reminded:
    carrier: Carrier
    owner: User
    year: int
    stage: ReminderStage


def carriers_to_remind(
    carrier_type: CarrierType, year: int, stage: ReminderStage, today: dt.date
) -> list[tuple[Carrier, User]]:
    """Owned carriers of the type that owe `year`'s report, have not filed it and were not
    reminded at this stage."""
    reminded = exists().where(
        ReportReminder.carrier_id == Carrier.id,
        ReportReminder.year == year,
        ReportReminder.stage == stage,
    )
    stmt = (
        select(Carrier, User)
        .join(User, User.id == Carrier.owner_id)
        .where(
            Carrier.type_id == carrier_type.id,
            User.is_active.is_(True),
            expected_to_report(year, today),
            not_(filed(year)),
            not_(reminded),
        )
        .order_by(Carrier.id)
    )
    return [(c, u) for c, u in db.session.execute(stmt)]


def send_reminders(today: dt.date, lead_days: int = DEFAULT_LEAD_DAYS) -> list[Reminded]:
    """Queue the reminders due on `today` (idempotent: one per carrier, year and stage)."""
    year = reporting_year(today)
    sent = []
    for carrier_type in db.session.scalars(select(CarrierType).order_by(CarrierType.sort_order)):
        stage = stage_on(carrier_type, year, today, lead_days)
        if stage is None:
            continue
        for carrier, owner in carriers_to_remind(carrier_type, year, stage, today):
            _remind(carrier, owner, year, stage, due_date(carrier_type, year))
            sent.append(Reminded(carrier, owner, year, stage))
    db.session.flush()
    return sent


def _remind(carrier: Carrier, owner: User, year: int, stage: ReminderStage, due: dt.date) -> None:
    from registry.notifications.service import queue_templated
    from registry.web import external_url

    with force_locale("zh"):
        subject = (
            _(
                "Reminder: the %(year)d annual report of %(name)s is due",
                year=year,
                name=carrier.name,
            )
            if stage == ReminderStage.due_soon
            else _("Overdue: the %(year)d annual report of %(name)s", year=year, name=carrier.name)
        )
        message = queue_templated(
            owner.email,
            kind="report_reminder",
            subject=subject,
            user_id=owner.id,
            user=owner,
            carrier=carrier,
            year=year,
            due=due,
            overdue=stage == ReminderStage.overdue,
            link=external_url("reports.show_report", carrier_id=carrier.id, year=year),
        )
    db.session.add(
        ReportReminder(
            carrier_id=carrier.id, year=year, stage=stage, user_id=owner.id, message_id=message.id
        )
    )
    audit.record(
        "report.remind", "carrier", carrier.id, carrier_id=carrier.id, year=year, stage=stage
    )
