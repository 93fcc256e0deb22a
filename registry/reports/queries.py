"""Read models of annual reports: a carrier's history with year-over-year changes, a region's
reports of a year (filters, counts, who has not filed), the work waiting in workspaces."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from sqlalchemy import ColumnElement, Select, and_, case, func, not_, or_, select, true

from registry import db
from registry.cache import VersionedCache, versions
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Indicator, Recognition
from registry.carriers.queries import active_on, region_names, type_infos
from registry.regions.models import Region
from registry.regions.queries import subtree_ids
from registry.reports.deadlines import (
    due_date,
    expected_to_report,
    is_late,
    late_condition,
    reporting_year,
)
from registry.reports.figures import report_indicators
from registry.reports.models import AnnualReport, ReportStatus

YEAR_FILTERS = ("all", "missing", "submitted", "late", "accepted", "returned")
HISTORY_YEARS = 6


def in_subtree(region: Region, column: Any = Carrier.region_id) -> ColumnElement[bool]:
    """SQL: `column` (a region id) lies in the region's subtree; nothing to test at the root
    (the whole country), which spares a scan of every region."""
    if region.parent_id is None:
        return true()
    return column.in_(subtree_ids(region))


# --- one carrier's history ----------------------------------------------------------------


@dataclass
class Cell:
    value: Decimal | None
    change: Decimal | None = None  # percent against the previous year, when both exist

    @property
    def direction(self) -> str:
        if self.change is None or self.change == 0:
            return "flat"
        return "up" if self.change > 0 else "down"


@dataclass
class HistoryYear:
    year: int
    report: AnnualReport | None
    due: dt.date
    late: bool
    expected: bool


@dataclass
class History:
    years: list[HistoryYear]  # newest first
    rows: list[tuple[Indicator, list[Cell]]]  # one row per indicator, cells as `years`

    @property
    def has_reports(self) -> bool:
        return any(y.report is not None for y in self.years)


def _expected_years(carrier: Carrier, last: int) -> set[int]:
    years = set()
    for r in carrier.recognitions:
        end = r.revoked_on.year - 1 if r.revoked_on else last
        years.update(range(r.recognized_on.year, min(end, last) + 1))
    return years


def report_history(
    carrier: Carrier, today: dt.date | None = None, limit: int | None = HISTORY_YEARS
) -> History:
    """The carrier's reports of the last `limit` years (None: all), the years it owed one,
    and the change of each figure against the year before."""
    today = today or dt.date.today()
    reports = {
        r.year: r
        for r in db.session.scalars(
            select(AnnualReport).where(AnnualReport.carrier_id == carrier.id)
        )
    }
    expected = _expected_years(carrier, reporting_year(today))
    years = sorted(expected | set(reports), reverse=True)[:limit]
    carrier_type = carrier.carrier_type
    items = [
        HistoryYear(
            y,
            reports.get(y),
            due_date(carrier_type, y),
            bool(reports.get(y) and is_late(reports[y], carrier_type)),
            y in expected,
        )
        for y in years
    ]
    values = {y: {f.indicator_id: Decimal(f.value) for f in r.figures} for y, r in reports.items()}
    rows = [
        (indicator, [_cell(values, y, indicator.id) for y in years])
        for indicator in report_indicators(carrier_type)
    ]
    return History(items, rows)


def _cell(values: dict[int, dict[int, Decimal]], year: int, indicator_id: int) -> Cell:
    value = values.get(year, {}).get(indicator_id)
    before = values.get(year - 1, {}).get(indicator_id)
    if value is None or not before:
        return Cell(value)
    return Cell(value, ((value - before) / before * 100).quantize(Decimal("0.1")))


# --- a region's reports of a year ---------------------------------------------------------


@dataclass
class YearRow:
    carrier_id: int
    name: str
    type_label: str
    region_name: str
    level: Level | None
    status: ReportStatus | None
    late: bool
    submitted_at: dt.datetime | None
    due: dt.date
    expected: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "carrier_id": self.carrier_id,
            "name": self.name,
            "type_name": self.type_label,
            "region": self.region_name,
            "level": self.level.code if self.level else None,
            "status": self.status.value if self.status else None,
            "late": self.late,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
        }


@dataclass
class YearCounts:
    expected: int = 0
    filed: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    draft: int = 0
    missing: int = 0
    late: int = 0


def _types() -> list[CarrierType]:
    return list(db.session.scalars(select(CarrierType).order_by(CarrierType.sort_order)))


def _year_base(region: Region, year: int, today: dt.date, type_code: str | None) -> Select:
    """Carriers of the subtree that owe `year`'s report or filed one, with the report."""
    expected = expected_to_report(year, today)
    stmt = (
        select()
        .select_from(Carrier)
        .outerjoin(
            AnnualReport, and_(AnnualReport.carrier_id == Carrier.id, AnnualReport.year == year)
        )
        .where(
            in_subtree(region),
            or_(expected, AnnualReport.id.is_not(None)),
        )
    )
    if type_code:
        stmt = stmt.where(
            Carrier.type_id.in_(select(CarrierType.id).where(CarrierType.code == type_code))
        )
    return stmt


def _missing(year: int, today: dt.date):
    return and_(
        expected_to_report(year, today),
        or_(
            AnnualReport.id.is_(None),
            AnnualReport.status.in_((ReportStatus.draft, ReportStatus.returned)),
        ),
    )


def _which(which: str, year: int, today: dt.date):
    return {
        "all": None,
        "missing": _missing(year, today),
        "submitted": AnnualReport.status == ReportStatus.submitted,
        "late": late_condition(_types(), year),
        "accepted": AnnualReport.status == ReportStatus.accepted,
        "returned": AnnualReport.status == ReportStatus.returned,
    }[which]


_cache = VersionedCache(size=256)


def year_counts(
    region: Region, year: int, today: dt.date | None = None, type_code: str | None = None
) -> YearCounts:
    """How many owe `year`'s report in the subtree, and where their reports stand (one
    aggregate query, reused until reports or recognitions change)."""
    today = today or dt.date.today()
    key = ("counts", region.code, year, today, type_code)
    return _cache.get_or_compute(
        key, versions("standing", "reports"), lambda: _year_counts(region, year, today, type_code)
    )


def _year_counts(region: Region, year: int, today: dt.date, type_code: str | None) -> YearCounts:
    late = case((late_condition(_types(), year), 1), else_=0)
    expected = case((expected_to_report(year, today), 1), else_=0)
    stmt = (
        _year_base(region, year, today, type_code)
        .add_columns(AnnualReport.status, late, expected, func.count())
        .group_by(AnnualReport.status, late, expected)
    )
    counts = YearCounts()
    for status, is_late_, owes, n in db.session.execute(stmt):
        counts.expected += n if owes else 0
        counts.late += n if is_late_ else 0
        if status is None:
            counts.missing += n if owes else 0
            continue
        setattr(counts, status.value, getattr(counts, status.value) + n)
        if status in (ReportStatus.submitted, ReportStatus.accepted):
            counts.filed += n
        elif owes:
            counts.missing += n
    return counts


def year_rows(
    region: Region,
    year: int,
    which: str = "all",
    *,
    type_code: str | None = None,
    page: int = 1,
    per_page: int = 50,
    today: dt.date | None = None,
    count: bool = True,
) -> tuple[list[YearRow], int | None]:
    """A page of the subtree's carriers owing or having filed `year`'s report, by name, and
    how many there are; without `count`, the newest carriers first and no total (the panels'
    few rows: the scan stops once it has them)."""
    today = today or dt.date.today()
    # the rows hold type labels in the reader's language
    locale = str(get_locale())
    key = ("rows", region.code, year, which, type_code, page, per_page, today, count, locale)
    return _cache.get_or_compute(
        key,
        versions("standing", "reports"),
        lambda: _year_page(region, year, which, type_code, page, per_page, today, count),
    )


def _year_page(
    region: Region,
    year: int,
    which: str,
    type_code: str | None,
    page: int,
    per_page: int,
    today: dt.date,
    count: bool,
) -> tuple[list[YearRow], int | None]:
    stmt = _year_base(region, year, today, type_code)
    condition = _which(which, year, today)
    if condition is not None:
        stmt = stmt.where(condition)
    total = db.count(stmt.add_columns(Carrier.id)) if count else None
    page_stmt = (
        stmt.add_columns(
            Carrier.id,
            Carrier.name,
            Carrier.type_id,
            Carrier.region_id,
            AnnualReport.status,
            AnnualReport.submitted_at,
            case((expected_to_report(year, today), True), else_=False),
        )
        .order_by(*([Carrier.name, Carrier.id] if count else [Carrier.id.desc()]))
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = db.session.execute(page_stmt).all()
    return _year_rows(rows, year, today), total


def _year_rows(rows: list, year: int, today: dt.date) -> list[YearRow]:
    types = {t.id: t for t in _types()}
    labels = {t.id: t.label for t in type_infos().values()}
    names = region_names()
    levels = current_levels([r[0] for r in rows], today)
    out = []
    for cid, name, type_id, region_id, status, submitted_at, owes in rows:
        carrier_type = types[type_id]
        report = AnnualReport(year=year, submitted_at=submitted_at) if submitted_at else None
        out.append(
            YearRow(
                carrier_id=cid,
                name=name,
                type_label=labels.get(type_id, carrier_type.name),
                region_name=names.full_name(region_id),
                level=levels.get(cid),
                status=status,
                late=bool(report and is_late(report, carrier_type)),
                submitted_at=submitted_at,
                due=due_date(carrier_type, year),
                expected=bool(owes),
            )
        )
    return out


def current_levels(ids: list[int], today: dt.date) -> dict[int, Level]:
    if not ids:
        return {}
    stmt = (
        select(Recognition.carrier_id, func.max(Recognition.level))
        .where(Recognition.carrier_id.in_(ids), active_on(today))
        .group_by(Recognition.carrier_id)
    )
    return {cid: Level(level) for cid, level in db.session.execute(stmt)}


# --- workspaces ----------------------------------------------------------------------------


def reports_to_review(
    region: Region, limit: int = 8
) -> tuple[list[tuple[AnnualReport, Carrier]], int]:
    """Submitted reports in the subtree awaiting a decision, oldest first, and their count
    (the ids and count reused until the data change)."""
    ids, total = _cache.get_or_compute(
        ("to_review", region.code, limit),
        versions("standing", "reports"),
        lambda: _to_review(region, limit),
    )
    if not ids:
        return [], total
    rows = db.session.execute(
        select(AnnualReport, Carrier)
        .join(Carrier, Carrier.id == AnnualReport.carrier_id)
        .where(AnnualReport.id.in_(ids))
        .order_by(AnnualReport.submitted_at, AnnualReport.id)
    ).all()
    return [(r, c) for r, c in rows], total


def _to_review(region: Region, limit: int) -> tuple[list[int], int]:
    stmt = (
        select(AnnualReport, Carrier)
        .join(Carrier, Carrier.id == AnnualReport.carrier_id)
        .where(
            AnnualReport.status == ReportStatus.submitted,
            in_subtree(region),
        )
    )
    total = db.count(stmt)
    ids = db.session.scalars(
        stmt.with_only_columns(AnnualReport.id)
        .order_by(AnnualReport.submitted_at, AnnualReport.id)
        .limit(limit)
    ).all()
    return list(ids), total


@dataclass
class DueReport:
    carrier: Carrier
    year: int
    due: dt.date
    status: ReportStatus | None

    def overdue(self, today: dt.date) -> bool:
        return today > self.due


def owner_reports_due(owner_id: int, today: dt.date | None = None) -> list[DueReport]:
    """An owner's reports to file: the current year's not yet filed, and any returned."""
    today = today or dt.date.today()
    year = reporting_year(today)
    report = and_(AnnualReport.carrier_id == Carrier.id, AnnualReport.year == year)
    owed = db.session.execute(
        select(Carrier, AnnualReport.status)
        .outerjoin(AnnualReport, report)
        .where(
            Carrier.owner_id == owner_id,
            expected_to_report(year, today),
            or_(
                AnnualReport.id.is_(None),
                not_(AnnualReport.status.in_((ReportStatus.submitted, ReportStatus.accepted))),
            ),
        )
    ).all()
    owed.sort(key=lambda row: row[0].name)  # few rows; ordering in SQL would scan by name
    returned = db.session.execute(
        select(Carrier, AnnualReport)
        .join(AnnualReport, AnnualReport.carrier_id == Carrier.id)
        .where(
            Carrier.owner_id == owner_id,
            AnnualReport.status == ReportStatus.returned,
            AnnualReport.year != year,
        )
        .order_by(AnnualReport.year.desc())
    ).all()
    items = [DueReport(c, year, due_date(c.carrier_type, year), s) for c, s in owed]
    items += [DueReport(c, r.year, due_date(c.carrier_type, r.year), r.status) for c, r in returned]
    return items
