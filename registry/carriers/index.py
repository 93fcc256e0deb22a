"""An in-memory index of the public listing as of today, so every search and facet count
takes milliseconds at 100,000 carriers.

It is a cache, never a second source of truth: it is built from the same SQL definition of a
carrier's standing (`queries.standing`) and rebuilt whenever the data version changes (any
write to public data) or the day changes. Filters become boolean masks over numpy arrays;
facets are bincounts; pages are slices of precomputed sort orders. Queries for another date
(`as_of`) and exports take the SQL path in `queries`; tests check both paths agree.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Integer, String, cast, select, type_coerce

from registry import db
from registry.cache import register_clearable
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, Recognition
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import Region

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
        self._load_carriers()
        self._load_regions()
        self._build_orders()
        self._lazy_lock = threading.Lock()
        self.grade: np.ndarray | None = None  # loaded on the first grade filter
        self.rec_pos: np.ndarray | None = None  # loaded on the first recognition-date filter
        self.rec_day: np.ndarray | None = None

    def _ensure(self, attribute: str, loader: Any) -> None:
        if getattr(self, attribute) is None:
            with self._lazy_lock:
                if getattr(self, attribute) is None:
                    loader()

    # -- building ----------------------------------------------------------------------

    def _load_carriers(self) -> None:
        from registry.carriers.queries import standing, type_infos

        st = standing(self.day)
        rows = db.session.execute(
            select(
                Carrier.id,
                Carrier.name,
                Carrier.uscc,
                Carrier.type_id,
                Carrier.region_id,
                type_coerce(st.c.level, Integer),
                type_coerce(st.c.top_level, Integer),
                cast(st.c.last_recognized_on, String),
            ).join(st, st.c.carrier_id == Carrier.id)
        ).all()
        self.n = n = len(rows)
        ids, names, usccs, type_ids, region_ids, levels, tops, lasts = (
            zip(*rows, strict=True) if rows else ([],) * 8
        )
        order = sorted(range(n), key=lambda i: (names[i], ids[i]))  # codepoint order
        types = list(type_infos().values())
        type_pos = {t.id: i for i, t in enumerate(types)}
        self.type_codes = [t.code for t in types]
        self.ids = np.array(ids, np.int64)[order]
        self.type_pos = np.array([type_pos[t] for t in type_ids], np.int16)[order]
        level = np.array([lv or 0 for lv in levels], np.int8)[order]
        self.level = level
        self.listed = np.where(level > 0, level, np.array(tops, np.int8)[order]).astype(np.int8)
        self.region_id = np.array(region_ids, np.int32)[order]
        self.last_recognized = _days(lasts)[order] if n else np.zeros(0, np.int32)
        self.names = [names[i] for i in order]
        self.name_blob = "\n".join(self.names)
        self.line_starts = np.cumsum([0] + [len(name) + 1 for name in self.names[:-1]])
        self.uscc: dict[str, list[int]] = {}
        for pos, i in enumerate(order):
            if usccs[i]:
                self.uscc.setdefault(usccs[i].upper(), []).append(pos)
        self.position = dict(zip(self.ids.tolist(), range(n), strict=True))

    def _load_regions(self) -> None:
        rows = db.session.execute(select(Region.id, Region.path, Region.code)).all()
        by_code = {code: rid for rid, _path, code in rows}
        size = max((rid for rid, _p, _c in rows), default=0) + 1
        ancestors = np.zeros((size, DEPTHS), np.int32)
        for rid, path, _code in rows:
            for depth, code in enumerate(path.split("/")[:DEPTHS]):
                ancestors[rid, depth] = by_code[code]
        self.path_ids = ancestors[self.region_id] if self.n else np.zeros((0, DEPTHS), np.int32)

    def _positions(self, carrier_ids: Any) -> np.ndarray:
        """Index positions of carrier ids (-1 for carriers not listed)."""
        lookup = np.full(int(self.ids.max(initial=0)) + 2, -1, np.int64)
        lookup[self.ids] = np.arange(self.n)
        cids = np.asarray(carrier_ids, np.int64)
        cids = np.where(cids < len(lookup), cids, len(lookup) - 1)
        return lookup[cids]

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

    def _build_orders(self) -> None:
        rank = np.arange(self.n)
        self.orders = {
            "name": rank,
            "-name": rank[::-1],
            "-level": np.lexsort((rank, -self.listed.astype(np.int16))),
            "level": np.lexsort((rank, self.listed)),
            "-recognized": np.lexsort((-self.ids, -self.last_recognized.astype(np.int64))),
            "recognized": np.lexsort((self.ids, self.last_recognized)),
            "region": np.lexsort((rank, self.region_id)),
        }

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
        for pos in self.uscc.get(q.upper(), ()):
            hit[pos] = True
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
        order = self.orders[f.sort]
        selected = order[full[order]]
        return [int(self.ids[p]) for p in selected[offset : offset + limit]]

    def standing_of(self, carrier_id: int) -> tuple[int, int, dt.date] | None:
        """(level, listed level, date of the latest recognition) of a listed carrier."""
        pos = self.position.get(carrier_id)
        if pos is None:
            return None
        last = dt.date(1970, 1, 1) + dt.timedelta(days=int(self.last_recognized[pos]))
        return int(self.level[pos]), int(self.listed[pos]), last


def _days(iso_dates: Any) -> np.ndarray:
    """ISO date strings as days since 1970-01-01."""
    return np.array(iso_dates, dtype="datetime64[D]").astype(np.int32)


def day_number(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int32))


class IndexHolder:
    """The current index; rebuilt once per data version, stale-while-rebuilding across threads."""

    def __init__(self) -> None:
        self._index: ListingIndex | None = None
        self._lock = threading.Lock()
        self.enabled = True
        self.builds = 0

    def get(self, version: int | None, day: dt.date) -> ListingIndex | None:
        if not self.enabled or version is None:
            return None
        current = self._index
        if current is not None and (current.version, current.day) == (version, day):
            return current
        if current is not None and current.day == day:
            if not self._lock.acquire(blocking=False):
                return current  # another thread is rebuilding: serve the previous version
        else:
            self._lock.acquire()
        try:
            current = self._index
            if current is None or (current.version, current.day) != (version, day):
                current = ListingIndex(version, day)
                self._index = current
                self.builds += 1
            return current
        finally:
            self._lock.release()

    def clear(self) -> None:
        self._index = None


holder = IndexHolder()
register_clearable(holder)
