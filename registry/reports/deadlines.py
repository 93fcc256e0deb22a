"""When reports are due and who must file them: due dates per type, lateness, the years a
carrier is expected to report (derived from its recognitions, never stored)."""

from __future__ import annotations

import calendar
import datetime as dt

from sqlalchemy import ColumnElement, and_, exists, false, or_

from registry.carriers.models import Carrier, CarrierType, Recognition
from registry.reports.models import AnnualReport, ReportStatus

# Due dates are days in China (UTC+8, no daylight saving): a report is on time until the end
# of its due day there.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
FILED = (ReportStatus.submitted, ReportStatus.accepted)


def due_date(carrier_type: CarrierType, year: int) -> dt.date:
    """The day year `year`'s report is due: the type's month and day of the next year
    (default 31 March), clamped to the month's length (29 February)."""
    month = carrier_type.report_due_month or 3
    last_day = calendar.monthrange(year + 1, month)[1]
    return dt.date(year + 1, month, min(carrier_type.report_due_day or 31, last_day))


def deadline(carrier_type: CarrierType, year: int) -> dt.datetime:
    """The moment (UTC) after which a submission of year `year`'s report is late."""
    day_after = due_date(carrier_type, year) + dt.timedelta(days=1)
    return dt.datetime.combine(day_after, dt.time(), CHINA).astimezone(dt.UTC)


def is_late(report: AnnualReport, carrier_type: CarrierType) -> bool:
    """Submitted (first) after its due day; a report not yet submitted is not late but due."""
    return report.submitted_at is not None and report.submitted_at >= deadline(
        carrier_type, report.year
    )


def is_overdue(carrier_type: CarrierType, year: int, today: dt.date) -> bool:
    return today > due_date(carrier_type, year)


def reporting_year(today: dt.date) -> int:
    """The year whose reports are being collected now (due in the current year)."""
    return today.year - 1


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _active_on(day: dt.date) -> ColumnElement[bool]:
    return and_(
        Recognition.carrier_id == Carrier.id,
        Recognition.recognized_on <= day,
        or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > day),
    )


def held_at_year_end(year: int) -> ColumnElement[bool]:
    """SQL: the carrier held an active recognition at the end of `year` (so it reports)."""
    return exists().where(_active_on(year_end(year)))


def expected_to_report(year: int, today: dt.date) -> ColumnElement[bool]:
    """SQL: the carrier owes a report for `year`: recognised at the end of that year and
    still recognised `today` (a carrier that lost its title is no longer asked)."""
    return and_(held_at_year_end(year), exists().where(_active_on(today)))


def filed(year: int) -> ColumnElement[bool]:
    """SQL: the carrier has submitted (or had accepted) its report for `year`."""
    return exists().where(
        AnnualReport.carrier_id == Carrier.id,
        AnnualReport.year == year,
        AnnualReport.status.in_(FILED),
    )


def late_condition(types: list[CarrierType], year: int) -> ColumnElement[bool]:
    """SQL over annual_reports joined to carriers: the report was first submitted late."""
    if not types:
        return false()
    return or_(
        *(
            and_(Carrier.type_id == t.id, AnnualReport.submitted_at >= deadline(t, year))
            for t in types
        )
    )
