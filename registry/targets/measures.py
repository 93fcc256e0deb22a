"""The SQL behind each metric: aggregate queries over the recognitions' and reports' history.

Each function measures one target in one region on several days at once (one column per
day), optionally by child region. A carrier's level on a day is
`registry.carriers.queries.current_level`, the definition the public listing uses. Counts and
coverage are sums over the level cube (rows per carrier type and region, see cube.py);
nothing here loops over carriers in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.sql import Subquery

from registry import db
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Indicator, Recognition
from registry.carriers.queries import current_level
from registry.regions.models import SEGMENT, Region, RegionLevel
from registry.regions.queries import child_code, subtree_ids
from registry.reports.models import AnnualReport, ReportFigure, ReportStatus
from registry.targets.cube import (
    Cube,
    LevelTest,
    code_at,
    level_cube,
    region_paths,
    rows_in,
    within_bounds,
)

Number = int | Decimal | float
REPORTED = (ReportStatus.submitted, ReportStatus.accepted)
# Reports are filed in China: a report submitted on day D (Beijing time, no summer time)
# counts from D on.
LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


@dataclass(frozen=True)
class Scope:
    """What a target counts: carrier types, level bounds and, per metric, its details."""

    type_ids: tuple[int, ...]
    min_level: Level = Level.county
    max_level: Level | None = None
    period_start: dt.date = dt.date.min
    deadline: dt.date = dt.date.max
    indicator: str | None = None
    subregion_level: RegionLevel | None = None

    def tests(self, days: Sequence[dt.date]) -> list[LevelTest]:
        return [LevelTest(day, self.min_level, self.max_level) for day in days]

    def in_bounds(self, level: ColumnElement) -> ColumnElement[bool]:
        """SQL: `level` lies within the level bounds (NULL, i.e. not recognised, never does)."""
        return within_bounds(level, self.min_level, self.max_level)


@dataclass
class Measurement:
    """A metric's value per day for a region, and per child region when asked.

    `children` maps a child region's code ("" for carriers sitting at the region itself) to
    its values per day. For coverage, `covered` and `subregions` give the counts behind each
    share (totals, and per child in `child_counts`).
    """

    days: tuple[dt.date, ...]
    totals: list[Number | None]
    children: dict[str, list[Number]] = field(default_factory=dict)
    covered: list[int] | None = None
    subregions: int | None = None
    child_counts: dict[str, tuple[list[int], int]] = field(default_factory=dict)


@dataclass
class SharedCube:
    """A level cube and where each test's column is (one cube serves many targets)."""

    cube: Cube
    index: dict[LevelTest, int]
    paths: dict[int, str]

    @classmethod
    def build(cls, tests: Sequence[LevelTest], type_ids, region: Region) -> SharedCube:
        ordered = sorted(set(tests), key=lambda t: (t.day, t.min_level, t.max_level or 9))
        cube = level_cube(ordered, type_ids, region)
        return cls(cube, {t: i for i, t in enumerate(ordered)}, region_paths())

    def rows(self, type_ids, region: Region):
        return rows_in(self.cube, self.paths, type_ids, region)

    def pick(self, row: list[int], tests: Sequence[LevelTest]) -> list[int]:
        return [row[self.index[t]] for t in tests]


def _in_region(region: Region) -> ColumnElement[bool]:
    return Carrier.region_id.in_(subtree_ids(region))


def carrier_levels(scope: Scope, region: Region, days: Sequence[dt.date]) -> Subquery:
    """Per carrier of the scope's types in `region` recognised by the last day: its region
    and its level on each day (columns l0, l1, ...; NULL when not recognised then)."""
    columns = [current_level(day).label(f"l{i}") for i, day in enumerate(days)]
    return (
        select(
            Recognition.carrier_id.label("carrier_id"),
            Carrier.region_id.label("region_id"),
            *columns,
        )
        .join(Carrier, Carrier.id == Recognition.carrier_id)
        .where(
            Carrier.type_id.in_(scope.type_ids),
            _in_region(region),
            Recognition.recognized_on <= max(days),
        )
        .group_by(Recognition.carrier_id, Carrier.region_id)
        .subquery("levels")
    )


def _grouped(region: Region, by_child: bool, columns: list, source, region_col) -> Select:
    """SELECT child code (or "") and `columns` from `source`, grouped by child region."""
    if not by_child:
        return select(literal("").label("child"), *columns).select_from(source)
    child = child_code(region, Region.path).label("child")
    return (
        select(child, *columns)
        .select_from(source)
        .join(Region, Region.id == region_col)
        .group_by(child)
    )


def _collect(rows, n_days: int, by_child: bool, days) -> Measurement:
    totals: list[Number] = [0] * n_days
    children: dict[str, list[Number]] = {}
    for row in rows:
        values = [v if v is not None else 0 for v in row[1:]]
        if by_child:
            children[row[0] or ""] = values
        totals = [t + v for t, v in zip(totals, values, strict=True)]
    return Measurement(tuple(days), list(totals), children)


def count_recognized(
    scope: Scope,
    region: Region,
    days: Sequence[dt.date],
    by_child: bool,
    shared: SharedCube | None = None,
) -> Measurement:
    """Carriers of the types whose level on each day lies within the bounds."""
    tests = scope.tests(days)
    shared = shared or SharedCube.build(tests, scope.type_ids, region)
    m = Measurement(tuple(days), [0] * len(days))
    depth = region.depth + 1
    for path, row in shared.rows(scope.type_ids, region):
        values = shared.pick(row, tests)
        m.totals = [t + v for t, v in zip(m.totals, values, strict=True)]
        if by_child:
            child = m.children.setdefault(code_at(path, depth), [0] * len(days))
            child[:] = [c + v for c, v in zip(child, values, strict=True)]
    return m


def count_new(scope: Scope, region: Region, days: Sequence[dt.date], by_child: bool) -> Measurement:
    """Recognitions within the bounds made between period start and min(day, deadline)."""
    ends = [min(day, scope.deadline) for day in days]
    start = scope.period_start
    source = (
        select(Recognition.recognized_on, Carrier.region_id)
        .join(Carrier, Carrier.id == Recognition.carrier_id)
        .where(
            Carrier.type_id.in_(scope.type_ids),
            _in_region(region),
            scope.in_bounds(Recognition.level),
            Recognition.recognized_on >= start,
            Recognition.recognized_on <= max(ends),
        )
        .subquery("new_recognitions")
    )
    sums = [
        func.sum(
            case((and_(source.c.recognized_on >= start, source.c.recognized_on <= end), 1), else_=0)
        )
        for end in ends
    ]
    stmt = _grouped(region, by_child, sums, source, source.c.region_id)
    return _collect(db.session.execute(stmt), len(days), by_child, days)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in China, as an aware datetime."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)


def _sum_on(scope: Scope, region: Region, day: dt.date, by_child: bool) -> Measurement:
    """Driven by the reports (few for early years): each carrier's latest reported year,
    then its level on the cut-off day, then the figure."""
    cut = min(day, scope.deadline)
    in_scope = select(Carrier.id).where(Carrier.type_id.in_(scope.type_ids), _in_region(region))
    latest = (
        select(AnnualReport.carrier_id, func.max(AnnualReport.year).label("year"))
        .where(
            AnnualReport.year <= cut.year,
            AnnualReport.status.in_(REPORTED),
            AnnualReport.submitted_at < end_of_day(day),
            AnnualReport.carrier_id.in_(in_scope),
        )
        .group_by(AnnualReport.carrier_id)
        .subquery("latest")
    )
    level = (
        select(current_level(cut))
        .where(Recognition.carrier_id == latest.c.carrier_id)
        .scalar_subquery()
    )
    indicator_ids = select(Indicator.id).where(
        Indicator.code == scope.indicator, Indicator.type_id.in_(scope.type_ids)
    )
    source = (
        select(Carrier.region_id, ReportFigure.value)
        .select_from(latest)
        .join(Carrier, Carrier.id == latest.c.carrier_id)
        .join(
            AnnualReport,
            and_(
                AnnualReport.carrier_id == latest.c.carrier_id,
                AnnualReport.year == latest.c.year,
            ),
        )
        .join(ReportFigure, ReportFigure.report_id == AnnualReport.id)
        .where(ReportFigure.indicator_id.in_(indicator_ids), scope.in_bounds(level))
        .subquery("figures")
    )
    stmt = _grouped(region, by_child, [func.sum(source.c.value)], source, source.c.region_id)
    rows = db.session.execute(stmt).all()
    measured = _collect(rows, 1, by_child, [day])
    if not any(row[1] is not None for row in rows):
        # no carrier in scope had reported a figure for a year up to then (the registry
        # began later, or nobody has reported yet): the sum is unknown, not zero
        measured.totals = [None]
    return measured


def sum_indicator(
    scope: Scope, region: Region, days: Sequence[dt.date], by_child: bool
) -> Measurement:
    """Sum of the indicator over the carriers counted on min(day, deadline), each from its
    latest submitted or accepted report of a year <= that year (submitted by `day`)."""
    parts = [_sum_on(scope, region, day, by_child) for day in days]
    children: dict[str, list[Number]] = {}
    for i, part in enumerate(parts):
        for code, values in part.children.items():
            children.setdefault(code, [0] * len(days))[i] = values[0]
    return Measurement(tuple(days), [p.totals[0] for p in parts], children)


def _subregion_counts(region: Region, level: RegionLevel) -> dict[str, int]:
    child = child_code(region, Region.path).label("child")
    stmt = (
        select(child, func.count())
        .where(Region.path.like(region.path + "/%"), Region.level == level)
        .group_by(child)
    )
    return {code: n for code, n in db.session.execute(stmt)}


def coverage(
    scope: Scope,
    region: Region,
    days: Sequence[dt.date],
    by_child: bool,
    shared: SharedCube | None = None,
) -> Measurement:
    """Share of the subregions (at the scope's subregion level) inside `region` holding at
    least one carrier of the types within the bounds."""
    level = scope.subregion_level
    assert level is not None
    tests = scope.tests(days)
    shared = shared or SharedCube.build(tests, scope.type_ids, region)
    covered: list[set[str]] = [set() for _day in days]
    for path, row in shared.rows(scope.type_ids, region):
        sub = code_at(path, level.depth)
        if not sub:  # a carrier not yet placed that deep covers no subregion
            continue
        for i, n in enumerate(shared.pick(row, tests)):
            if n:
                covered[i].add(path[: SEGMENT * level.depth + 6])
    denominators = _subregion_counts(region, level)
    total = sum(denominators.values())
    counts = [len(c) for c in covered]
    m = Measurement(tuple(days), [_share(n, total) for n in counts], covered=counts)
    m.subregions = total
    if by_child:
        depth = region.depth + 1
        for code, n in denominators.items():
            per_day = [sum(1 for p in c if code_at(p, depth) == code) for c in covered]
            m.children[code] = [_share(k, n) for k in per_day]
            m.child_counts[code] = (per_day, n)
    return m


def _share(covered: int, total: int) -> float | None:
    return covered / total if total else None


def manual(values: Sequence[tuple[dt.date, Decimal]], days: Sequence[dt.date]) -> Measurement:
    """The latest value entered on or before each day (None before the first one)."""
    ordered = sorted(values)
    totals: list[Number | None] = []
    for day in days:
        known = [v for d, v in ordered if d <= day]
        totals.append(known[-1] if known else None)
    return Measurement(tuple(days), totals)
