"""An in-memory index of the public listing as of today, so every search and facet count
takes milliseconds at 100,000 carriers.

It is a cache, never a second source of truth: it is built from the same SQL definition of a
carrier's standing (`queries.standing`) and follows the `standing` data version, which only
writes to what the listing reads bump (names, credit codes, types, regions, recognitions,
grades). Each such write also logs the carriers it touched (`standing_changes`), so a worker
brings its index up to date by re-reading just those carriers' rows (`ListingIndex.patched`);
it builds the index afresh on a new day, or when the log cannot name the changes (a region or
a type renamed, more than PATCH_LIMIT carriers, a pruned log). Filters become boolean masks
over numpy arrays; facets are bincounts; pages are slices of precomputed sort orders.
Queries for another date (`as_of`) and exports take the SQL path in `queries`; tests check
both paths agree.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Integer, String, cast, select, type_coerce

from registry import db
from registry.cache import register_clearable, standing_changes
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Recognition
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import Region

log = logging.getLogger(__name__)

GRADES = list(Grade)
DEPTHS = 4  # country, province, prefecture, county


@dataclass
class IndexFacets:
    total: int
    type: dict[str, int]
    level: dict[int, int]
    region: dict[int, int]  # child region id -> count


class ListingIndex:
    """Arrays over the carriers listed (recognised or revoked) as of `day`, in name order."""

    def __init__(self, version: int, day: dt.date) -> None:
        self.version = version
        self.day = day
        rows = sorted(_carrier_rows(day), key=lambda r: (r[1], r[0]))  # codepoint order
        self._set_carriers(*_columns(rows))
        self._load_regions()
        self._derive()

    def patched(self, version: int, carrier_ids: set[int]) -> ListingIndex:
        """This index brought up to `version`, whose changes concern only `carrier_ids`:
        their rows read again and put in place, the rest kept (milliseconds instead of the
        second a full build takes at 100,000 carriers)."""
        fresh = sorted(_carrier_rows(self.day, carrier_ids), key=lambda r: (r[1], r[0]))
        gone = [p for p in self._positions(sorted(carrier_ids)).tolist() if p >= 0]
        keep = np.ones(self.n, bool)
        keep[gone] = False
        kept = np.flatnonzero(keep)
        names = [self.names[i] for i in kept]
        ids = self.ids[kept]
        at = [_insertion_point(names, ids, name, cid) for cid, name, *_rest in fresh]
        new = object.__new__(ListingIndex)
        new.version, new.day = version, self.day
        ids_, names_, usccs, type_ids, region_ids, levels, tops, lasts = _columns(fresh)
        for pos, name in sorted(zip(at, names_, strict=True), reverse=True):
            names.insert(pos, name)
        new.uscc, new.code_of = _patched_codes(
            self.uscc, self.code_of, carrier_ids, zip(ids_, usccs, strict=True)
        )
        new.type_codes = self.type_codes
        type_pos = {code: i for i, code in enumerate(self.type_codes)}
        types = {t.id: type_pos[t.code] for t in _type_infos()}
        new.names = names
        new.ids = np.insert(ids, at, np.array(ids_, np.int64))
        new.type_pos = np.insert(
            self.type_pos[kept], at, np.array([types[t] for t in type_ids], np.int16)
        )
        new.level = np.insert(self.level[kept], at, np.array(levels, np.int8))
        new.top = np.insert(self.top[kept], at, np.array(tops, np.int8))
        new.region_id = np.insert(self.region_id[kept], at, np.array(region_ids, np.int32))
        new.last_recognized = np.insert(self.last_recognized[kept], at, _days(lasts))
        new.n = len(names)
        new.ancestors = self.ancestors
        new._derive()
        return new

    def _set_carriers(self, ids, names, usccs, type_ids, region_ids, levels, tops, lasts) -> None:
        types = _type_infos()
        type_pos = {t.id: i for i, t in enumerate(types)}
        self.type_codes = [t.code for t in types]
        self.n = len(ids)
        self.ids = np.array(ids, np.int64)
        self.names = list(names)
        self.type_pos = np.array([type_pos[t] for t in type_ids], np.int16)
        self.level = np.array(levels, np.int8)
        self.top = np.array(tops, np.int8)
        self.region_id = np.array(region_ids, np.int32)
        self.last_recognized = _days(lasts)
        self.uscc: dict[str, list[int]] = {}  # credit code -> carrier ids
        self.code_of = {cid: code.upper() for cid, code in zip(ids, usccs, strict=True) if code}
        for cid, code in self.code_of.items():
            self.uscc.setdefault(code, []).append(cid)

    def _derive(self) -> None:
        """Everything computed from the carriers' arrays: search, positions, paths, orders."""
        self.listed = np.where(self.level > 0, self.level, self.top).astype(np.int8)
        self.name_blob = "\n".join(self.names)
        lengths = np.fromiter(map(len, self.names), np.int64, self.n)
        self.line_starts = np.concatenate(([0], np.cumsum(lengths[:-1] + 1)))
        self.lookup = np.full(int(self.ids.max(initial=0)) + 2, -1, np.int64)  # id -> position
        self.lookup[self.ids] = np.arange(self.n)
        self.path_ids = (
            self.ancestors[self.region_id] if self.n else np.zeros((0, DEPTHS), np.int32)
        )
        self.orders: dict[str, np.ndarray] = {}  # sort key -> positions, made on first use
        self._lazy_lock = threading.Lock()
        self.grade: np.ndarray | None = None  # loaded on the first grade filter
        self.rec_pos: np.ndarray | None = None  # loaded on the first recognition-date filter
        self.rec_day: np.ndarray | None = None

    def _ensure(self, attribute: str, loader: Any) -> None:
        if getattr(self, attribute) is None:
            with self._lazy_lock:
                if getattr(self, attribute) is None:
                    loader()

    def _load_regions(self) -> None:
        rows = db.session.execute(select(Region.id, Region.path, Region.code)).all()
        by_code = {code: rid for rid, _path, code in rows}
        size = max((rid for rid, _p, _c in rows), default=0) + 1
        self.ancestors = np.zeros((size, DEPTHS), np.int32)
        for rid, path, _code in rows:
            for depth, code in enumerate(path.split("/")[:DEPTHS]):
                self.ancestors[rid, depth] = by_code[code]

    def _positions(self, carrier_ids: Any) -> np.ndarray:
        """Index positions of carrier ids (-1 for carriers not listed)."""
        cids = np.asarray(carrier_ids, np.int64)
        cids = np.where((cids >= 0) & (cids < len(self.lookup)), cids, len(self.lookup) - 1)
        return self.lookup[cids]

    def _load_grades(self) -> None:
        """The latest grade (of a year up to the index's day) of each listed carrier."""
        rows = db.session.execute(
            select(Evaluation.carrier_id, Evaluation.year, cast(Evaluation.grade, String)).where(
                Evaluation.year <= self.day.year
            )
        ).all()
        latest = np.full(self.n, -1, np.int8)
        if not rows or not self.n:
            self.grade = latest
            return
        carrier_ids, years, grades = zip(*rows, strict=True)
        codes = {g.value: i for i, g in enumerate(GRADES)}
        pos = self._positions(carrier_ids)
        year = np.array(years, np.int32)
        grade = np.array([codes[g] for g in grades], np.int8)
        order = np.lexsort((year, pos))  # by carrier, then year: the last of each is latest
        pos, grade = pos[order], grade[order]
        last = np.ones(len(pos), bool)
        last[:-1] = pos[:-1] != pos[1:]
        keep = last & (pos >= 0)
        latest[pos[keep]] = grade[keep]
        self.grade = latest

    def _load_recognition_days(self) -> None:
        rows = db.session.execute(
            select(Recognition.carrier_id, cast(Recognition.recognized_on, String))
        ).all()
        if not rows or not self.n:
            self.rec_pos = np.zeros(0, np.int32)
            self.rec_day = np.zeros(0, np.int32)
            return
        carrier_ids, days = zip(*rows, strict=True)
        pos = self._positions(carrier_ids)
        day = _days(days)
        keep = (pos >= 0) & (day <= day_number(self.day))
        self.rec_pos = pos[keep]
        self.rec_day = day[keep]  # set last: _ensure() checks it

    def _order(self, sort: str) -> np.ndarray:
        """Positions in the order of a sort key, sorted once per index, when first asked
        for (a patched index only sorts again what is asked of it)."""
        order = self.orders.get(sort)
        if order is None:
            rank = np.arange(self.n)
            keys = {
                "name": lambda: rank,
                "-name": lambda: rank[::-1],
                "-level": lambda: np.lexsort((rank, -self.listed.astype(np.int16))),
                "level": lambda: np.lexsort((rank, self.listed)),
                "-recognized": lambda: np.lexsort(
                    (-self.ids, -self.last_recognized.astype(np.int64))
                ),
                "recognized": lambda: np.lexsort((self.ids, self.last_recognized)),
                "region": lambda: np.lexsort((rank, self.region_id)),
            }
            order = self.orders[sort] = keys[sort]()  # a race only sorts twice
        return order

    # -- querying ----------------------------------------------------------------------

    def _base_mask(self, f: Any) -> np.ndarray:
        """Every filter but type and level (the disjunctive facets)."""
        mask = np.ones(self.n, bool)
        if f.status == "recognized":
            mask &= self.level > 0
        elif f.status == "revoked":
            mask &= self.level == 0
        if f.q:
            mask &= self._name_mask(f.q)
        if f.region is not None:
            mask &= self.path_ids[:, f.region.depth] == f.region.id
        if f.recognized_from or f.recognized_to:
            self._ensure("rec_day", self._load_recognition_days)
            lo = day_number(f.recognized_from or dt.date(1900, 1, 1))
            hi = day_number(min(f.recognized_to or f.as_of, f.as_of))
            hit = np.zeros(self.n, bool)
            hit[self.rec_pos[(self.rec_day >= lo) & (self.rec_day <= hi)]] = True
            mask &= hit
        if f.grade is not None:
            self._ensure("grade", self._load_grades)
            mask &= self.grade == GRADES.index(f.grade)
        return mask

    def _name_mask(self, q: str) -> np.ndarray:
        hit = np.zeros(self.n, bool)
        starts = [m.start() for m in re.finditer(re.escape(q), self.name_blob, re.IGNORECASE)]
        if starts:
            hit[np.searchsorted(self.line_starts, starts, side="right") - 1] = True
        codes = self.uscc.get(q.upper(), ())
        if codes:
            hit[self._positions(codes)] = True
        return hit

    def _type_mask(self, f: Any) -> np.ndarray:
        if not f.types:
            return np.ones(self.n, bool)
        wanted = [i for i, code in enumerate(self.type_codes) if code in f.types]
        return np.isin(self.type_pos, wanted)

    def _level_mask(self, f: Any) -> np.ndarray:
        mask = np.ones(self.n, bool)
        if f.level is not None:
            mask &= self.listed == int(f.level)
        if f.min_level is not None:
            mask &= self.listed >= int(f.min_level)
        return mask

    def facets(self, f: Any) -> IndexFacets:
        base = self._base_mask(f)
        type_ok, level_ok = self._type_mask(f), self._level_mask(f)
        by_type = np.bincount(self.type_pos[base & level_ok], minlength=len(self.type_codes))
        by_level = np.bincount(self.listed[base & type_ok], minlength=len(Level) + 1)
        full = base & type_ok & level_ok
        depth = f.region.depth if f.region is not None else 0
        children = self.path_ids[full, depth + 1] if depth + 1 < DEPTHS else np.zeros(0, np.int32)
        child_ids, counts = np.unique(children[children > 0], return_counts=True)
        return IndexFacets(
            total=int(full.sum()),
            type={code: int(by_type[i]) for i, code in enumerate(self.type_codes)},
            level={int(lv): int(by_level[int(lv)]) for lv in Level},
            region={int(r): int(c) for r, c in zip(child_ids, counts, strict=True)},
        )

    def page(self, f: Any, offset: int, limit: int) -> list[int]:
        """Carrier ids of one page, in the listing's order."""
        full = self._base_mask(f) & self._type_mask(f) & self._level_mask(f)
        order = self._order(f.sort)
        selected = order[full[order]]
        return [int(self.ids[p]) for p in selected[offset : offset + limit]]

    def standing_of(self, carrier_id: int) -> tuple[int, int, dt.date] | None:
        """(level, listed level, date of the latest recognition) of a listed carrier."""
        pos = int(self._positions([carrier_id])[0])
        if pos < 0:
            return None
        last = dt.date(1970, 1, 1) + dt.timedelta(days=int(self.last_recognized[pos]))
        return int(self.level[pos]), int(self.listed[pos]), last


def _carrier_rows(day: dt.date, carrier_ids: set[int] | None = None) -> list[tuple]:
    """(id, name, uscc, type id, region id, level, top level, date of the latest
    recognition) of the carriers listed on `day` (of `carrier_ids` only, when given)."""
    from registry.carriers.queries import standing

    st = standing(day, carrier_ids)
    stmt = select(
        Carrier.id,
        Carrier.name,
        Carrier.uscc,
        Carrier.type_id,
        Carrier.region_id,
        type_coerce(st.c.level, Integer),
        type_coerce(st.c.top_level, Integer),
        cast(st.c.last_recognized_on, String),
    ).join(st, st.c.carrier_id == Carrier.id)
    return [tuple(row) for row in db.session.execute(stmt)]


def _columns(rows: list[tuple]) -> list[Any]:
    """Rows as columns (ids, names, ..., with levels None read as 0)."""
    if not rows:
        return [[] for _ in range(8)]
    ids, names, usccs, type_ids, region_ids, levels, tops, lasts = zip(*rows, strict=True)
    levels = [lv or 0 for lv in levels]
    return [ids, names, usccs, type_ids, region_ids, levels, tops, lasts]


def _insertion_point(names: list[str], ids: np.ndarray, name: str, carrier_id: int) -> int:
    """Where (name, id) goes among carriers kept in (name, id) order."""
    pos = bisect.bisect_left(names, name)
    while pos < len(names) and names[pos] == name and ids[pos] < carrier_id:
        pos += 1
    return pos


def _patched_codes(
    codes: dict[str, list[int]], code_of: dict[int, str], changed: set[int], fresh: Any
) -> tuple[dict[str, list[int]], dict[int, str]]:
    """The credit-code lookup (and each carrier's code) without the changed carriers, then
    with their fresh codes: copies, as the index being replaced may still answer a thread."""
    codes, code_of = dict(codes), dict(code_of)
    for carrier_id in changed:
        code = code_of.pop(carrier_id, None)
        if code is not None:
            codes[code] = [i for i in codes[code] if i != carrier_id]
            if not codes[code]:
                del codes[code]
    for carrier_id, code in fresh:
        if code:
            code_of[carrier_id] = code.upper()
            codes[code.upper()] = [*codes.get(code.upper(), []), carrier_id]
    return codes, code_of


def _type_infos() -> list[Any]:
    from registry.carriers.queries import type_infos

    return list(type_infos().values())


def _days(iso_dates: Any) -> np.ndarray:
    """ISO date strings as days since 1970-01-01."""
    return np.array(iso_dates, dtype="datetime64[D]").astype(np.int32)


def day_number(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int32))


class IndexHolder:
    """The current index: brought up to date once per data version (patched with the carriers
    the standing's log names, else rebuilt), stale-while-updating across threads."""

    PATCH_LIMIT = 2_000  # more changed carriers than this: rebuild

    def __init__(self) -> None:
        self._index: ListingIndex | None = None
        self._lock = threading.Lock()
        self.enabled = True
        self.builds = 0
        self.patches = 0

    def get(self, version: int | None, day: dt.date) -> ListingIndex | None:
        if not self.enabled or version is None:
            return None
        current = self._index
        if current is not None and (current.version, current.day) == (version, day):
            return current
        if current is not None and current.day == day:
            if not self._lock.acquire(blocking=False):
                return current  # another thread is updating it: serve the previous version
        else:
            self._lock.acquire()
        try:
            current = self._index
            if current is None or (current.version, current.day) != (version, day):
                current = self._updated(current, version, day)
                self._index = current
            return current
        finally:
            self._lock.release()

    def _updated(self, current: ListingIndex | None, version: int, day: dt.date) -> ListingIndex:
        if current is not None and current.day == day and current.version < version:
            changed = standing_changes(current.version, version, self.PATCH_LIMIT)
            if changed is not None:
                self.patches += 1
                started = time.perf_counter()
                index = current.patched(version, changed)
                log.debug(
                    "listing index patched",
                    extra={
                        "fields": {
                            "version": version,
                            "carriers": len(changed),
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        }
                    },
                )
                return index
        self.builds += 1
        started = time.perf_counter()
        index = ListingIndex(version, day)
        log.info(
            "listing index built",
            extra={
                "fields": {
                    "version": version,
                    "carriers": index.n,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
            },
        )
        return index

    def clear(self) -> None:
        self._index = None


holder = IndexHolder()
register_clearable(holder)


def warm(app: Any) -> int | None:
    """Build today's index in this process, ahead of the first search: gunicorn's master
    calls it before it forks the workers (deploy/gunicorn.conf.py), so each worker starts
    with the index and only patches it, instead of five workers building it at once on the
    first requests. The number of carriers indexed; None when the database did not answer
    (the workers then build it themselves)."""
    from registry.cache import current_version

    try:
        with app.app_context():
            index = holder.get(current_version("standing"), dt.date.today())
            return None if index is None else index.n
    except Exception:  # serving must start even without a warm index
        log.warning("listing index not built ahead of the workers", exc_info=True)
        return None
