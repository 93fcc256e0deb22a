"""Read models of plans and targets: lists, cached progress, the carriers that count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased, selectinload

from registry import db
from registry.cache import VersionedCache, current_version
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Indicator, Recognition
from registry.carriers.queries import current_level, region_names
from registry.regions.models import Region
from registry.regions.queries import code_at_depth, subtree_ids
from registry.reports.models import AnnualReport, ReportFigure
from registry.targets.cube import PROBE_LIMIT, carriers_in
from registry.targets.measures import REPORTED, carrier_levels, end_of_day
from registry.targets.models import Metric, Plan, Target, TargetStatus
from registry.targets.progress import (
    Progress,
    TargetSpec,
    chart_days,
    progress,
    progress_many,
    series,
)

_progress_cache = VersionedCache(size=1024)


def list_plans(region: Region | None = None) -> list[Plan]:
    """Plans, newest first, with their targets; with `region`, those issued in its subtree."""
    stmt = select(Plan).options(selectinload(Plan.targets).selectinload(Target.values))
    if region is not None:
        stmt = stmt.where(Plan.region_id.in_(subtree_ids(region)))
    return list(db.session.scalars(stmt.order_by(Plan.issued_on.desc(), Plan.id.desc())))


def list_targets(region: Region | None = None, plan: Plan | None = None) -> list[Target]:
    """Targets in plan order; with `region`, those scoped to its subtree."""
    stmt = select(Target).join(Plan).options(selectinload(Target.values))
    if region is not None:
        stmt = stmt.where(Target.region_id.in_(subtree_ids(region)))
    if plan is not None:
        stmt = stmt.where(Target.plan_id == plan.id)
    order = (Plan.issued_on.desc(), Plan.id.desc(), Target.sort_order, Target.id)
    return list(db.session.scalars(stmt.order_by(*order)))


def cached_progress(
    target: Target, as_of: dt.date, region: Region | None = None, breakdown: bool = True
) -> Progress:
    """progress() of a target, reused until public data (carriers, targets) change."""
    key = (target.id, as_of, region.code if region else None, breakdown)
    return _progress_cache.get_or_compute(
        key,
        current_version(),
        lambda: progress(TargetSpec.of(target), as_of, region=region, breakdown=breakdown),
    )


def progress_of(targets: list[Target], as_of: dt.date, breakdown: bool = False) -> list[Progress]:
    """progress_many() of several targets (one pass over the history), cached."""
    key = ("many", tuple(t.id for t in targets), as_of, breakdown)
    return _progress_cache.get_or_compute(
        key,
        current_version(),
        lambda: progress_many([TargetSpec.of(t) for t in targets], as_of, breakdown),
    )


def with_status(
    targets: list[Target], as_of: dt.date, status: TargetStatus | None = None
) -> list[tuple[Target, Progress]]:
    """Each target with its progress (no breakdown), optionally only those in `status`."""
    pairs = list(zip(targets, progress_of(targets, as_of), strict=True))
    if status is not None:
        pairs = [(t, p) for t, p in pairs if p.status is status]
    return pairs


@dataclass(frozen=True)
class SeriesPoint:
    day: dt.date
    actual: float | None


def actual_series(target: Target, as_of: dt.date) -> list[SeriesPoint]:
    """The actual from the period start to `as_of` (by month), for the chart."""
    spec = TargetSpec.of(target)

    def compute() -> list[SeriesPoint]:
        return [
            SeriesPoint(day, None if value is None else float(value))
            for day, value in series(spec, chart_days(spec, as_of))
        ]

    return _progress_cache.get_or_compute(("series", target.id, as_of), current_version(), compute)


# --- the carriers that count ------------------------------------------------------------


@dataclass(frozen=True)
class CountingCarrier:
    """A carrier counted by a target, with what it contributes."""

    id: int
    name: str
    type_label: str
    region_name: str
    level: Level | None
    recognized_on: dt.date | None = None
    document_no: str = ""
    figure: Decimal | None = None
    report_year: int | None = None


def _page(stmt: Select, page: int, per_page: int, total: int | None) -> tuple[Select, int]:
    if total is None:
        total = db.count(stmt)
    return stmt.offset((page - 1) * per_page).limit(per_page), total


def counting_carriers(
    target: Target,
    region: Region,
    as_of: dt.date,
    page: int = 1,
    per_page: int = 20,
    total: int | None = None,
) -> tuple[list[CountingCarrier], int]:
    """One page of the carriers (or, for count_new, recognitions) behind the actual, and
    how many there are (`total` when the caller knows it: the actual of a count)."""
    spec = TargetSpec.of(target)
    if spec.metric is Metric.manual:
        return [], 0
    if spec.metric is Metric.count_new:
        stmt = _new_recognitions(spec, region, as_of)
    elif spec.metric is Metric.sum_indicator:
        stmt = _reporting_carriers(spec, region, as_of)
    else:
        stmt = _recognized_carriers(spec, region, as_of)
    stmt, total = _page(stmt, page, per_page, total)
    types = {t.id: t.label for t in db.session.scalars(select(CarrierType))}
    names = region_names()
    rows = [
        CountingCarrier(
            id=row.id,
            name=row.name,
            type_label=types[row.type_id],
            region_name=names.full_name(row.region_id),
            level=Level(row.level) if row.level is not None else None,
            recognized_on=getattr(row, "recognized_on", None),
            document_no=getattr(row, "document_no", "") or "",
            figure=getattr(row, "figure", None),
            report_year=getattr(row, "report_year", None),
        )
        for row in db.session.execute(stmt)
    ]
    return rows, total


def _carrier_columns(levels) -> list:
    level = levels.c.l0.label("level")
    return [Carrier.id, Carrier.name, Carrier.type_id, Carrier.region_id, level]


def _recognized_carriers(spec: TargetSpec, region: Region, as_of: dt.date) -> Select:
    """By name, each carrier's level looked up on its own: a page of the first names needs
    a few dozen lookups, not the level of every carrier in a province."""
    scope = spec.scope
    level = (
        select(current_level(as_of))
        .where(Recognition.carrier_id == Carrier.id, Recognition.recognized_on <= as_of)
        .scalar_subquery()
    )
    type_id, region_id = Carrier.type_id, Carrier.region_id
    in_scope = [type_id.in_(scope.type_ids), region_id.in_(subtree_ids(region))]
    if carriers_in(in_scope) > PROBE_LIMIT:
        # Many carriers: walk the name index and stop at the page (`+ 0` keeps the
        # database from starting at the type/region index, which would level them all).
        type_id, region_id = type_id + 0, region_id + 0
    return (
        select(Carrier.id, Carrier.name, Carrier.type_id, Carrier.region_id, level.label("level"))
        .where(
            type_id.in_(scope.type_ids),
            region_id.in_(subtree_ids(region)),
            scope.in_bounds(level),
        )
        .order_by(Carrier.name, Carrier.id)
    )


def _reporting_carriers(spec: TargetSpec, region: Region, as_of: dt.date) -> Select:
    """Carriers counted on min(as_of, deadline), with their latest report's figure (if any)."""
    scope = spec.scope
    cut = min(as_of, spec.deadline)
    levels = carrier_levels(scope, region, [cut])
    report = aliased(AnnualReport)
    latest_year = (
        select(func.max(report.year))
        .where(
            report.carrier_id == Carrier.id,
            report.status.in_(REPORTED),
            report.year <= cut.year,
            report.submitted_at < end_of_day(as_of),
        )
        .scalar_subquery()
    )
    indicator_ids = select(Indicator.id).where(
        Indicator.code == spec.indicator, Indicator.type_id.in_(scope.type_ids)
    )
    figure = (
        select(ReportFigure.value)
        .join(AnnualReport, AnnualReport.id == ReportFigure.report_id)
        .where(
            AnnualReport.carrier_id == Carrier.id,
            AnnualReport.year == latest_year,
            ReportFigure.indicator_id.in_(indicator_ids),
        )
        .scalar_subquery()
    )
    return (
        select(
            *_carrier_columns(levels),
            figure.label("figure"),
            latest_year.label("report_year"),
        )
        .join(levels, levels.c.carrier_id == Carrier.id)
        .where(scope.in_bounds(levels.c.l0))
        .order_by(figure.desc().nulls_last(), Carrier.name, Carrier.id)
    )


def _new_recognitions(spec: TargetSpec, region: Region, as_of: dt.date) -> Select:
    scope = spec.scope
    end = min(as_of, spec.deadline)
    return (
        select(
            Carrier.id,
            Carrier.name,
            Carrier.type_id,
            Carrier.region_id,
            Recognition.level,
            Recognition.recognized_on,
            Recognition.document_no,
        )
        .join(Recognition, Recognition.carrier_id == Carrier.id)
        .where(
            Carrier.type_id.in_(scope.type_ids),
            Carrier.region_id.in_(subtree_ids(region)),
            scope.in_bounds(Recognition.level),
            and_(Recognition.recognized_on >= spec.period_start, Recognition.recognized_on <= end),
        )
        .order_by(Recognition.recognized_on.desc(), Recognition.id.desc())
    )


def uncovered_subregions(target: Target, region: Region, as_of: dt.date) -> list[Region]:
    """For a coverage target: the subregions inside `region` with no carrier that counts."""
    spec = TargetSpec.of(target)
    level = spec.subregion_level
    if spec.metric is not Metric.coverage or level is None:
        return []
    levels = carrier_levels(spec.scope, region, [as_of])
    covered = (
        select(code_at_depth(level.depth, Region.path))
        .select_from(levels)
        .join(Region, Region.id == levels.c.region_id)
        .where(spec.scope.in_bounds(levels.c.l0))
    )
    stmt = (
        select(Region)
        .where(
            Region.path.like(region.path + "/%"),
            Region.level == level,
            Region.code.not_in(covered),
        )
        .order_by(Region.path)
    )
    return list(db.session.scalars(stmt))
