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
from sqlalchemy import and_, func, select

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
        self._load_grades()
        self._load_recognition_days()
        self._build_orders()

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
                st.c.level,
                st.c.top_level,
                st.c.last_recognized_on,
            ).join(st, st.c.carrier_id == Carrier.id)
        ).all()
        rows.sort(key=lambda r: (r.name, r.id))  # codepoint order, as SQL's BINARY/"C"
        types = list(type_infos().values())
        type_pos = {t.id: i for i, t in enumerate(types)}
        self.type_codes = [t.code for t in types]
        n = len(rows)
        self.n = n
        self.ids = np.fromiter((r.id for r in rows), np.int64, n)
        self.type_pos = np.fromiter((type_pos[r.type_id] for r in rows), np.int16, n)
        self.level = np.fromiter((int(r.level or 0) for r in rows), np.int8, n)
        self.listed = np.fromiter((int(r.level or r.top_level) for r in rows), np.int8, n)
        self.region_id = np.fromiter((r.region_id for r in rows), np.int32, n)
        self.last_recognized = np.fromiter(
            (r.last_recognized_on.toordinal() for r in rows), np.int32, n
        )
        self.names = [r.name for r in rows]
        self.name_blob = "\n".join(self.names)
        self.line_starts = np.cumsum([0] + [len(name) + 1 for name in self.names[:-1]])
        self.uscc: dict[str, list[int]] = {}
        for pos, r in enumerate(rows):
            if r.uscc:
                self.uscc.setdefault(r.uscc.upper(), []).append(pos)
        self.position = {int(cid): pos for pos, cid in enumerate(self.ids)}

    def _load_regions(self) -> None:
        rows = db.session.execute(select(Region.id, Region.path, Region.code)).all()
        by_code = {code: rid for rid, _path, code in rows}
        size = max((rid for rid, _p, _c in rows), default=0) + 1
        ancestors = np.zeros((size, DEPTHS), np.int32)
        for rid, path, _code in rows:
            for depth, code in enumerate(path.split("/")[:DEPTHS]):
                ancestors[rid, depth] = by_code[code]
        self.path_ids = ancestors[self.region_id] if self.n else np.zeros((0, DEPTHS), np.int32)

    def _load_grades(self) -> None:
        latest = (
            select(Evaluation.carrier_id, func.max(Evaluation.year).label("year"))
            .where(Evaluation.year <= self.day.year)
            .group_by(Evaluation.carrier_id)
            .subquery()
        )
        rows = db.session.execute(
            select(Evaluation.carrier_id, Evaluation.grade).join(
                latest,
                and_(
                    latest.c.carrier_id == Evaluation.carrier_id, latest.c.year == Evaluation.year
                ),
            )
        )
        self.grade = np.full(self.n, -1, np.int8)
        for carrier_id, grade in rows:
            pos = self.position.get(carrier_id)
            if pos is not None:
                self.grade[pos] = GRADES.index(grade)

    def _load_recognition_days(self) -> None:
        rows = db.session.execute(
            select(Recognition.carrier_id, Recognition.recognized_on).where(
                Recognition.recognized_on <= self.day
            )
        ).all()
        pairs = [(self.position[cid], day.toordinal()) for cid, day in rows if cid in self.position]
        self.rec_pos = np.fromiter((p for p, _d in pairs), np.int32, len(pairs))
        self.rec_day = np.fromiter((d for _p, d in pairs), np.int32, len(pairs))

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
            lo = (f.recognized_from or dt.date.min).toordinal()
            hi = min(f.recognized_to or f.as_of, f.as_of).toordinal()
            hit = np.zeros(self.n, bool)
            hit[self.rec_pos[(self.rec_day >= lo) & (self.rec_day <= hi)]] = True
            mask &= hit
        if f.grade is not None:
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

    def standing_of(self, carrier_id: int) -> tuple[int, int, int] | None:
        """(level, listed level, last recognition ordinal) of a listed carrier."""
        pos = self.position.get(carrier_id)
        if pos is None:
            return None
        return int(self.level[pos]), int(self.listed[pos]), int(self.last_recognized[pos])


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
