"""Read models of evaluations: the carriers a bureau grades for a year with the rubric's
suggestions, and the distribution of a year's grades by level and region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import get_locale
from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from registry import db
from registry.cache import VersionedCache, versions
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Recognition
from registry.carriers.queries import standing
from registry.evaluations.models import Evaluation, Grade
from registry.evaluations.rubric import Rubric, Suggestion, load_rubric, suggest
from registry.regions.models import Region
from registry.regions.queries import child_code
from registry.reports.models import AnnualReport, ReportFigure, ReportStatus
from registry.reports.queries import in_subtree

BULK_ROWS = 100


def _active(r, day: dt.date):
    return and_(r.recognized_on <= day, or_(r.revoked_on.is_(None), r.revoked_on > day))


def top_recognitions(day: dt.date, region: Region | None = None):
    """SQL: each carrier's highest recognition active on `day` (carrier_id, level,
    granted_by_id), only those granted inside `region` when given."""
    r, higher = aliased(Recognition), aliased(Recognition)
    outranked = exists().where(
        higher.carrier_id == r.carrier_id, _active(higher, day), higher.level > r.level
    )
    stmt = select(r.carrier_id, r.level, r.granted_by_id).where(_active(r, day), not_(outranked))
    if region is not None:
        stmt = stmt.where(in_subtree(region, r.granted_by_id))
    return stmt.subquery("top_recognition")


@dataclass
class Candidate:
    carrier: Carrier
    level: Level
    report: AnnualReport
    suggestion: Suggestion | None


_cache = VersionedCache(size=128)


def bulk_candidates(
    region: Region,
    year: int,
    *,
    type_code: str | None = None,
    today: dt.date | None = None,
    limit: int = BULK_ROWS,
) -> tuple[list[Candidate], int]:
    """Carriers not yet graded for `year` whose highest active recognition was granted inside
    `region`, with a submitted or accepted report for the year, and the suggestion for each
    (the selection is reused until the data change)."""
    today = today or dt.date.today()
    key = ("bulk", region.code, year, type_code, today, limit)
    picked, total = _cache.get_or_compute(
        key,
        versions("standing", "reports"),
        lambda: _candidate_ids(region, year, type_code, today, limit),
    )
    carriers = {
        c.id: c
        for c in db.session.scalars(select(Carrier).where(Carrier.id.in_([p[0] for p in picked])))
    }
    reports = {
        r.id: r
        for r in db.session.scalars(
            select(AnnualReport).where(AnnualReport.id.in_([p[2] for p in picked]))
        )
    }
    values = _figures(list(reports))
    rubrics: dict[int, Rubric] = {}
    out = []
    for carrier_id, level, report_id in picked:
        carrier = carriers[carrier_id]
        if carrier.type_id not in rubrics:
            rubrics[carrier.type_id] = load_rubric(carrier.carrier_type)
        suggestion = suggest(rubrics[carrier.type_id], values.get(report_id, {}))
        out.append(Candidate(carrier, Level(level), reports[report_id], suggestion))
    return out, total


def _candidate_ids(
    region: Region, year: int, type_code: str | None, today: dt.date, limit: int
) -> tuple[list[tuple[int, int, int]], int]:
    top = top_recognitions(today, region)
    graded = exists().where(Evaluation.carrier_id == Carrier.id, Evaluation.year == year)
    stmt = (
        select(Carrier.id, top.c.level, AnnualReport.id)
        .join(top, top.c.carrier_id == Carrier.id)
        .join(AnnualReport, and_(AnnualReport.carrier_id == Carrier.id, AnnualReport.year == year))
        .where(
            AnnualReport.status.in_((ReportStatus.submitted, ReportStatus.accepted)),
            not_(graded),
        )
    )
    if type_code:
        stmt = stmt.where(
            Carrier.type_id.in_(select(CarrierType.id).where(CarrierType.code == type_code))
        )
    total = db.count(stmt)
    rows = db.session.execute(stmt.order_by(Carrier.name, Carrier.id).limit(limit)).all()
    return [(cid, int(level), rid) for cid, level, rid in rows], total


def _figures(report_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """{report id: {indicator code: value}} in one query."""
    if not report_ids:
        return {}
    from registry.carriers.models import Indicator

    stmt = (
        select(ReportFigure.report_id, Indicator.code, ReportFigure.value)
        .join(Indicator, Indicator.id == ReportFigure.indicator_id)
        .where(ReportFigure.report_id.in_(report_ids))
    )
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for report_id, code, value in db.session.execute(stmt):
        out[report_id][code] = Decimal(value)
    return out


@dataclass
class Distribution:
    """A year's grades in a region: by level and by child region, each {grade: count}."""

    by_level: dict[Level, dict[Grade, int]]
    by_region: list[tuple[str, dict[Grade, int]]]  # child region name, counts
    total: int

    def chart(self, rows: str) -> dict:
        """Data for the stacked-bar chart of static/js/app.js."""
        items = (
            [(lv.label, self.by_level.get(lv, {})) for lv in reversed(Level)]
            if rows == "level"
            else self.by_region
        )
        return {
            "categories": [name for name, _counts in items],
            "series": [
                {"name": g.label, "data": [counts.get(g, 0) for _name, counts in items]}
                for g in Grade
            ],
            "colors": ["#198754", "#1f4e8c", "#8fa3bf", "#b3261e"],
        }


_distributions = VersionedCache(size=128)


def grade_distribution(region: Region, year: int, type_code: str | None = None) -> Distribution:
    """Grades of `year` for carriers in the subtree, by the level held at the year's end and
    by child region (one aggregate query, reused until the data change)."""
    return _distributions.get_or_compute(
        (region.code, year, type_code, str(get_locale())),
        versions("standing", "reports"),
        lambda: _grade_distribution(region, year, type_code),
    )


def _grade_distribution(region: Region, year: int, type_code: str | None) -> Distribution:
    st = standing(dt.date(year, 12, 31))
    level = func.coalesce(st.c.level, st.c.top_level)
    child = child_code(region, Region.path)
    stmt = (
        select(Evaluation.grade, level, child, func.count())
        .join(Carrier, Carrier.id == Evaluation.carrier_id)
        .join(Region, Region.id == Carrier.region_id)
        .outerjoin(st, st.c.carrier_id == Carrier.id)
        .where(Evaluation.year == year, in_subtree(region))
        .group_by(Evaluation.grade, level, child)
    )
    if type_code:
        stmt = stmt.where(
            Carrier.type_id.in_(select(CarrierType.id).where(CarrierType.code == type_code))
        )
    by_level: dict[Level, dict[Grade, int]] = defaultdict(lambda: defaultdict(int))
    by_child: dict[str, dict[Grade, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for grade, lv, code, n in db.session.execute(stmt):
        if lv is not None:
            by_level[Level(lv)][grade] += n
        by_child[code or region.code][grade] += n
        total += n
    names = {
        code: name
        for code, name in db.session.execute(
            select(Region.code, Region.name).where(Region.code.in_(list(by_child)))
        )
    }
    regions = sorted(by_child.items(), key=lambda kv: -sum(kv[1].values()))
    return Distribution(
        dict(by_level), [(names.get(code, code), dict(c)) for code, c in regions], total
    )
