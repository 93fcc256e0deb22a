"""The level cube: recognised carriers per (type, region) passing level tests on given days.

One aggregate query reads every recognition once and yields, for each carrier type and the
region a carrier sits in, how many carriers have their level on day D (the highest
recognition active on D — `registry.carriers.queries.current_level`) within given bounds.
Every count_recognized and coverage target, its baseline, its breakdown and its series are
sums over the cube's few thousand rows, so the dashboard reads the history once for all of
its targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from registry import db
from registry.cache import VersionedCache, current_version
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Recognition
from registry.carriers.queries import current_level
from registry.regions.models import SEGMENT, Region
from registry.regions.queries import subtree_ids

# SQLite allows 2,000 result columns; stay far below it and split longer series.
MAX_TESTS = 120
# Up to this many carriers in scope, their recognitions are looked up carrier by carrier.
PROBE_LIMIT = 10_000


@dataclass(frozen=True)
class LevelTest:
    """Is a carrier's level on `day` within [min_level, max_level]?"""

    day: dt.date
    min_level: Level = Level.county
    max_level: Level | None = None


Cube = dict[tuple[int, int], list[int]]  # (type id, region id) -> count per test


def level_cube(tests: Sequence[LevelTest], type_ids: Iterable[int], region: Region) -> Cube:
    """Per (type, region inside `region`): carriers of those types passing each test."""
    type_ids = sorted(set(type_ids))
    cube: Cube = {}
    if not tests or not type_ids:
        return cube
    for start in range(0, len(tests), MAX_TESTS):
        part = tests[start : start + MAX_TESTS]
        for key, counts in _query(part, type_ids, region).items():
            cube.setdefault(key, [0] * len(tests))[start : start + len(part)] = counts
    return cube


def _query(tests: Sequence[LevelTest], type_ids: list[int], region: Region) -> Cube:
    days = sorted({t.day for t in tests})
    column = {day: f"l{i}" for i, day in enumerate(days)}
    in_scope = [Carrier.type_id.in_(type_ids), Carrier.region_id.in_(subtree_ids(region))]
    levels = (
        select(
            Recognition.carrier_id,
            func.min(Carrier.type_id).label("type_id"),
            func.min(Carrier.region_id).label("region_id"),
            *[current_level(day).label(column[day]) for day in days],
        )
        .join(Carrier, Carrier.id == Recognition.carrier_id)
        .where(Recognition.recognized_on <= days[-1])
        .group_by(Recognition.carrier_id)
    )
    # Few carriers in scope: look their recognitions up one carrier at a time. Many: read
    # every recognition once in carrier order and filter after grouping (SQLite would
    # otherwise probe tens of thousands of carriers one by one, several times slower).
    few = carriers_in(in_scope) <= PROBE_LIMIT
    levels = (levels.where(*in_scope) if few else levels).subquery("levels")
    sums = [func.sum(case((_passes(levels.c[column[t.day]], t), 1), else_=0)) for t in tests]
    stmt = select(levels.c.type_id, levels.c.region_id, *sums)
    if not few:
        stmt = stmt.where(
            levels.c.type_id.in_(type_ids), levels.c.region_id.in_(subtree_ids(region))
        )
    stmt = stmt.group_by(levels.c.type_id, levels.c.region_id)
    return {(row[0], row[1]): [int(n) for n in row[2:]] for row in db.session.execute(stmt)}


def carriers_in(conditions) -> int:
    """How many carriers meet `conditions` (to choose between looking them up one by one
    and reading everything once)."""
    return db.session.scalar(select(func.count()).select_from(Carrier).where(*conditions)) or 0


def _passes(level, test: LevelTest):
    return within_bounds(level, test.min_level, test.max_level)


def within_bounds(level, low: Level, high: Level | None):
    """SQL: a level (rank) within [low, high]; NULL (not recognised then) never is."""
    cond = level >= int(low)
    return and_(cond, level <= int(high)) if high is not None else cond


# --- reading the cube -------------------------------------------------------------------

_paths = VersionedCache(size=2)


def region_paths() -> dict[int, str]:
    """Every region's materialised path by id (cached until the data change)."""

    def load() -> dict[int, str]:
        return {rid: path for rid, path in db.session.execute(select(Region.id, Region.path))}

    return _paths.get_or_compute("paths", current_version(), load)


def code_at(path: str, depth: int) -> str:
    """The code of the ancestor at `depth` in a path ("" when the path is shallower);
    the same rule as registry.regions.queries.code_at_depth."""
    return path[SEGMENT * depth : SEGMENT * depth + 6]


def rows_in(cube: Cube, paths: dict[int, str], type_ids: Iterable[int], region: Region):
    """(region path, counts) of the cube's rows of those types inside `region`."""
    wanted = set(type_ids)
    for (type_id, region_id), counts in cube.items():
        path = paths[region_id]
        if type_id in wanted and path.startswith(region.path):
            yield path, counts
