"""The progress engine: a target's actual, ratio, expected pace, status and breakdown as of
a date. Pure functions (they only read) returning dataclasses; the SQL is in measures.py.

As of D, with baseline B = actual at period_start and value V:
  ratio = actual / V;  expected_by_now = B + (V − B) × elapsed share of [period_start, deadline]
  status = met (actual ≥ V) | missed (D > deadline, not met) | on_track (actual ≥ expected)
           | behind.
A manual target with no figure entered by D has no actual and no status.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from registry import db
from registry.carriers.levels import Level
from registry.regions.models import Region, RegionLevel
from registry.regions.service import find_region
from registry.targets import measures
from registry.targets.measures import Measurement, Number, Scope, SharedCube
from registry.targets.models import Metric, Target, TargetStatus

MAX_SERIES_POINTS = 36  # month ends within the period (then year ends)
# sum_indicator needs one query per day: its series is coarser
MAX_SUM_SERIES_POINTS = 12


@dataclass(frozen=True)
class TargetSpec:
    """Everything the engine needs to know about a target (detached from the ORM row)."""

    metric: Metric
    region: Region
    value: Decimal
    period_start: dt.date
    deadline: dt.date
    type_ids: tuple[int, ...] = ()
    min_level: Level = Level.county
    max_level: Level | None = None
    indicator: str | None = None
    subregion_level: RegionLevel | None = None
    manual_values: tuple[tuple[dt.date, Decimal], ...] = ()
    id: int | None = None

    @classmethod
    def of(cls, target: Target) -> TargetSpec:
        return cls(
            id=target.id,
            metric=target.metric,
            region=target.region,
            value=Decimal(target.value),
            period_start=target.period_start,
            deadline=target.deadline,
            type_ids=tuple(t.id for t in target.types),
            min_level=target.min_level,
            max_level=target.max_level,
            indicator=target.indicator,
            subregion_level=target.subregion_level,
            manual_values=tuple((v.recorded_on, Decimal(v.value)) for v in target.values),
        )

    @property
    def scope(self) -> Scope:
        return Scope(
            type_ids=self.type_ids,
            min_level=self.min_level,
            max_level=self.max_level,
            period_start=self.period_start,
            deadline=self.deadline,
            indicator=self.indicator,
            subregion_level=self.subregion_level,
        )


@dataclass(frozen=True)
class RegionActual:
    """The actual of one child region (or of carriers sitting at the region itself)."""

    code: str
    name: str
    actual: Number | None
    is_region_itself: bool = False
    covered: int | None = None
    subregions: int | None = None


@dataclass(frozen=True)
class Pace:
    elapsed: Fraction
    expected: Fraction | None
    status: TargetStatus | None


@dataclass(frozen=True)
class Progress:
    """Where a target (or, drilled down, one of its region's subregions) stands on `as_of`."""

    as_of: dt.date
    metric: Metric
    region_code: str
    region_name: str
    value: Decimal
    actual: Number | None
    baseline: Number | None
    elapsed: float
    expected_by_now: float | None
    status: TargetStatus | None
    breakdown: tuple[RegionActual, ...] = ()
    covered: int | None = None
    subregions: int | None = None
    is_drilldown: bool = False
    target_id: int | None = None

    @property
    def ratio(self) -> float | None:
        if self.actual is None or self.is_drilldown:
            return None
        return float(Fraction(self.actual) / Fraction(self.value))

    @property
    def percent(self) -> float:
        """Ratio as a percentage capped to 0..100 (for progress bars)."""
        return max(0.0, min(100.0, (self.ratio or 0.0) * 100))

    @property
    def expected_percent(self) -> float | None:
        if self.expected_by_now is None or self.is_drilldown:
            return None
        return max(0.0, min(100.0, self.expected_by_now / float(self.value) * 100))


def pace(
    actual: Number | None,
    value: Number,
    baseline: Number | None,
    period_start: dt.date,
    deadline: dt.date,
    as_of: dt.date,
) -> Pace:
    """Elapsed share, expected value and status, in exact arithmetic (no float at the
    boundaries: on the deadline the expectation is exactly the value)."""
    span = (deadline - period_start).days
    if span <= 0:
        elapsed = Fraction(1 if as_of >= deadline else 0)
    else:
        elapsed = min(Fraction(1), max(Fraction(0), Fraction((as_of - period_start).days, span)))
    base = Fraction(baseline or 0)
    target = Fraction(value)
    expected = base + (target - base) * elapsed
    if actual is None:
        return Pace(elapsed, expected, None)
    got = Fraction(actual)
    if got >= target:
        status = TargetStatus.met
    elif as_of > deadline:
        status = TargetStatus.missed
    elif got >= expected:
        status = TargetStatus.on_track
    else:
        status = TargetStatus.behind
    return Pace(elapsed, expected, status)


CUBE_METRICS = (Metric.count_recognized, Metric.coverage)


def measure(
    spec: TargetSpec,
    region: Region,
    days: Sequence[dt.date],
    by_child: bool = False,
    shared: SharedCube | None = None,
) -> Measurement:
    """The target's metric in `region` on each of `days` (count_recognized and coverage
    read `shared` when given: a level cube built for several targets)."""
    scope = spec.scope
    if spec.metric is Metric.manual:
        return measures.manual(spec.manual_values, days)
    if spec.metric is Metric.count_recognized:
        return measures.count_recognized(scope, region, days, by_child, shared)
    if spec.metric is Metric.coverage:
        return measures.coverage(scope, region, days, by_child, shared)
    if spec.metric is Metric.count_new:
        return measures.count_new(scope, region, days, by_child)
    return measures.sum_indicator(scope, region, days, by_child)


def progress(
    spec: TargetSpec,
    as_of: dt.date,
    region: Region | None = None,
    breakdown: bool = True,
    shared: SharedCube | None = None,
) -> Progress:
    """The target's progress on `as_of`; with `region` (inside the target's region), the
    same actual and breakdown for that subregion, without status (the value is the whole
    region's)."""
    scope_region = region or spec.region
    drill = scope_region.id != spec.region.id
    days = [spec.period_start, as_of]
    by_child = breakdown and spec.metric.counts_carriers
    m = measure(spec, scope_region, days, by_child=by_child, shared=shared)
    baseline, actual = m.totals
    p = pace(actual, spec.value, baseline, spec.period_start, spec.deadline, as_of)
    return Progress(
        as_of=as_of,
        metric=spec.metric,
        region_code=scope_region.code,
        region_name=scope_region.name,
        value=spec.value,
        actual=actual,
        baseline=baseline,
        elapsed=float(p.elapsed),
        expected_by_now=None if drill or p.expected is None else float(p.expected),
        status=None if drill else p.status,
        breakdown=_breakdown(m, scope_region, 1) if by_child else (),
        covered=m.covered[1] if m.covered else None,
        subregions=m.subregions,
        is_drilldown=drill,
        target_id=spec.id,
    )


def progress_many(
    specs: Sequence[TargetSpec], as_of: dt.date, breakdown: bool = True
) -> list[Progress]:
    """progress() of several targets: one level cube (one pass over the recognitions)
    serves every count_recognized and coverage target, baselines included."""
    cubed = [s for s in specs if s.metric in CUBE_METRICS]
    shared = None
    if cubed:
        tests = [t for s in cubed for t in s.scope.tests([s.period_start, as_of])]
        type_ids = {i for s in cubed for i in s.type_ids}
        shared = SharedCube.build(tests, type_ids, common_ancestor([s.region for s in cubed]))
    return [progress(s, as_of, breakdown=breakdown, shared=shared) for s in specs]


def common_ancestor(regions: Sequence[Region]) -> Region:
    """The deepest region whose subtree holds all of `regions`."""
    paths = [r.path.split("/") for r in regions]
    common = []
    for codes in zip(*paths, strict=False):
        if len(set(codes)) > 1:
            break
        common.append(codes[0])
    found = find_region(common[-1])
    assert found is not None
    return found


def _breakdown(m: Measurement, region: Region, index: int) -> tuple[RegionActual, ...]:
    """Every child region (zeros included), largest actual first; carriers sitting at the
    region itself (records a bureau has yet to place in a county) as their own row."""
    stmt = select(Region.code, Region.name).where(Region.parent_id == region.id)
    names = {code: name for code, name in db.session.execute(stmt)}
    if not names:  # a county: nothing to break down
        return ()
    rows = []
    for code, name in names.items():
        values = m.children.get(code)
        counts = m.child_counts.get(code)
        rows.append(
            RegionActual(
                code=code,
                name=name,
                actual=values[index] if values else (None if m.covered is not None else 0),
                covered=counts[0][index] if counts else None,
                subregions=counts[1] if counts else None,
            )
        )
    itself = m.children.get("")
    if itself and itself[index]:
        rows.append(RegionActual(region.code, region.name, itself[index], is_region_itself=True))
    rows.sort(key=lambda r: (-(r.actual if r.actual is not None else -1), r.code))
    return tuple(rows)


def series(spec: TargetSpec, days: Sequence[dt.date]) -> list[tuple[dt.date, Number | None]]:
    """The actual on each day (for the chart of the actual over time)."""
    if not days:
        return []
    m = measure(spec, spec.region, days, by_child=False)
    return list(zip(m.days, m.totals, strict=True))


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month after `start` and before `end`."""
    out = []
    year, month = start.year, start.month
    while True:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last >= end:
            return out
        if last > start:
            out.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def chart_days(spec: TargetSpec, as_of: dt.date) -> list[dt.date]:
    """Days of the actual-over-time chart: the period start, month ends through the period
    (thinned for long periods), year ends after the deadline, then `as_of`."""
    if as_of <= spec.period_start:
        return [as_of]
    limit = MAX_SUM_SERIES_POINTS if spec.metric is Metric.sum_indicator else MAX_SERIES_POINTS
    months = month_ends(spec.period_start, min(as_of, spec.deadline + dt.timedelta(days=1)))
    step = max(1, -(-len(months) // limit))
    picked = months[::-1][::step][::-1]
    after = [
        dt.date(year, 12, 31)
        for year in range(spec.deadline.year + 1, as_of.year)
        if dt.date(year, 12, 31) > spec.deadline
    ]
    if spec.deadline < as_of and spec.deadline not in picked:
        picked.append(spec.deadline)
    return [spec.period_start, *picked, *after, as_of]
