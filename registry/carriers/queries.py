"""Read models of carriers: the one definition of "publicly listed", facets, standing.

A carrier's standing as of a date D is derived from its recognitions, never stored:
its current level is the highest recognition active on D (recognized_on <= D and not
revoked by D); it is `recognized` when it has one, `revoked` when it had recognitions
but none is active any more, and `unrecognized` (never public) otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql import Subquery

from registry import db
from registry.cache import VersionedCache, current_version
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierStatus, CarrierType, Recognition
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import PLACEHOLDER_NAMES, Region
from registry.regions.queries import child_code, subtree_ids

SORTS = {
    "-level": _l("Level, highest first"),
    "level": _l("Level, lowest first"),
    "name": _l("Name"),
    "-name": _l("Name, descending"),
    "-recognized": _l("Latest recognition first"),
    "recognized": _l("Earliest recognition first"),
    "region": _l("Region"),
}
DEFAULT_SORT = "-level"
PUBLIC_STATUSES = ("recognized", "revoked", "all")


@dataclass(frozen=True)
class ListingFilters:
    """What a public listing asks for (already validated)."""

    q: str | None = None
    types: tuple[str, ...] = ()
    level: Level | None = None
    min_level: Level | None = None
    region: Region | None = None
    status: str = "recognized"
    recognized_from: dt.date | None = None
    recognized_to: dt.date | None = None
    grade: Grade | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    sort: str = DEFAULT_SORT

    def cache_key(self) -> tuple:
        return (
            self.q,
            self.types,
            self.level,
            self.min_level,
            self.region.code if self.region else None,
            self.status,
            self.recognized_from,
            self.recognized_to,
            self.grade,
            self.as_of,
        )


def active_on(day: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
    """SQL: the recognition is active on `day`."""
    return and_(
        Recognition.recognized_on <= day,
        or_(Recognition.revoked_on.is_(None), Recognition.revoked_on > day),
    )


def current_level(day: dt.date | ColumnElement[dt.date]) -> ColumnElement:
    """SQL aggregate over a carrier's recognitions: its level on `day` (the highest active
    recognition), NULL when none is active. `day` may be a date or a date column."""
    return func.max(case((active_on(day), Recognition.level)))


def standing(as_of: dt.date, carrier_ids: Collection[int] | None = None) -> Subquery:
    """Per carrier with a recognition by `as_of` (of `carrier_ids` only, when given): current
    level (NULL if none active), the highest level it ever held, and the date of its latest
    recognition."""
    stmt = select(
        Recognition.carrier_id.label("carrier_id"),
        current_level(as_of).label("level"),
        func.max(Recognition.level).label("top_level"),
        func.max(Recognition.recognized_on).label("last_recognized_on"),
    ).where(Recognition.recognized_on <= as_of)
    if carrier_ids is not None:
        stmt = stmt.where(Recognition.carrier_id.in_(sorted(carrier_ids)))
    return stmt.group_by(Recognition.carrier_id).subquery("standing")


def _listed_level(st: Subquery) -> ColumnElement:
    """The level a listed carrier is shown and filtered at: current, or last held if revoked."""
    return func.coalesce(st.c.level, st.c.top_level)


def _latest_grade(as_of: dt.date) -> Subquery:
    latest_year = (
        select(Evaluation.carrier_id, func.max(Evaluation.year).label("year"))
        .where(Evaluation.year <= as_of.year)
        .group_by(Evaluation.carrier_id)
        .subquery()
    )
    return (
        select(Evaluation.carrier_id, Evaluation.grade, Evaluation.year)
        .join(
            latest_year,
            and_(
                latest_year.c.carrier_id == Evaluation.carrier_id,
                latest_year.c.year == Evaluation.year,
            ),
        )
        .subquery("latest_grade")
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _base(f: ListingFilters, st: Subquery) -> Select:
    """Carriers joined to their standing, filtered by everything but type and level."""
    stmt = select().select_from(Carrier).join(st, st.c.carrier_id == Carrier.id)
    if f.status == "recognized":
        stmt = stmt.where(st.c.level.is_not(None))
    elif f.status == "revoked":
        stmt = stmt.where(st.c.level.is_(None))
    if f.q:
        pattern = "%" + _escape_like(f.q) + "%"
        stmt = stmt.where(
            or_(Carrier.name.ilike(pattern, escape="\\"), Carrier.uscc == f.q.upper())
        )
    if f.region is not None:
        stmt = stmt.where(Carrier.region_id.in_(subtree_ids(f.region)))
    if f.recognized_from or f.recognized_to:
        lo = f.recognized_from or dt.date.min
        hi = min(f.recognized_to or f.as_of, f.as_of)
        stmt = stmt.where(
            exists().where(
                Recognition.carrier_id == Carrier.id,
                Recognition.recognized_on >= lo,
                Recognition.recognized_on <= hi,
            )
        )
    if f.grade is not None:
        lg = _latest_grade(f.as_of)
        stmt = stmt.where(exists().where(lg.c.carrier_id == Carrier.id, lg.c.grade == f.grade))
    return stmt


def _type_level_conditions(f: ListingFilters, st: Subquery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    level = _listed_level(st)
    if f.types:
        type_ids = select(CarrierType.id).where(CarrierType.code.in_(f.types))
        conds.append(Carrier.type_id.in_(type_ids))
    if f.level is not None:
        conds.append(level == int(f.level))
    if f.min_level is not None:
        conds.append(level >= int(f.min_level))
    return conds


# --- facets -----------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    """Counts for the current filters: `total`, and per type, level and child region."""

    total: int
    type: list[FacetValue]
    level: list[FacetValue]
    region: list[FacetValue]

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in (
                ("type", self.type),
                ("level", self.level),
                ("region", self.region),
            )
        }


@dataclass(frozen=True)
class Cube:
    """Counts of listed carriers by (type code, level rank, child-region code)."""

    cells: tuple[tuple[str, int, str, int], ...]


def facet_cube(f: ListingFilters) -> Cube:
    """One aggregate query: listed carriers by type, level and child region of f.region."""
    st = standing(f.as_of)
    anchor = f.region if f.region is not None else _country()
    child = child_code(anchor, Region.path)
    stmt = (
        _base(f, st)
        .join(Region, Region.id == Carrier.region_id)
        .join(CarrierType, CarrierType.id == Carrier.type_id)
        .add_columns(CarrierType.code, _listed_level(st), child, func.count())
        .group_by(CarrierType.code, _listed_level(st), child)
    )
    rows = db.session.execute(stmt).all()
    return Cube(tuple((t, int(lv), c or "", int(n)) for t, lv, c, n in rows))


def facets_from_cube(f: ListingFilters, cube: Cube) -> Facets:
    """Disjunctive facets: each facet's counts ignore that facet's own filter."""

    def level_ok(rank: int) -> bool:
        if f.level is not None and rank != int(f.level):
            return False
        return not (f.min_level is not None and rank < int(f.min_level))

    def type_ok(code: str) -> bool:
        return not f.types or code in f.types

    by_type: dict[str, int] = defaultdict(int)
    by_level: dict[int, int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    total = 0
    for type_code, rank, region_code, n in cube.cells:
        if level_ok(rank):
            by_type[type_code] += n
        if type_ok(type_code):
            by_level[rank] += n
        if level_ok(rank) and type_ok(type_code):
            by_region[region_code] += n
            total += n
    return make_facets(f, total, by_type, by_level, by_region)


def make_facets(
    f: ListingFilters,
    total: int,
    by_type: dict[str, int],
    by_level: dict[int, int],
    by_region: dict[str, int],
) -> Facets:
    """Facets with labels in the current language, child regions by count."""
    types = type_infos()
    regions = _children_names(f.region)
    return Facets(
        total=total,
        type=[FacetValue(code, t.label, by_type.get(code, 0)) for code, t in types.items()],
        level=[FacetValue(lv.code, lv.label, by_level.get(int(lv), 0)) for lv in reversed(Level)],
        region=sorted(
            (FacetValue(code, regions.get(code, code), n) for code, n in by_region.items() if code),
            key=lambda v: (-v.count, v.value),
        ),
    )


# --- rows -------------------------------------------------------------------------------


@dataclass
class ListedCarrier:
    """One row of the public listing."""

    id: int
    name: str
    type_code: str
    type_label: str
    region_code: str
    region_name: str
    level: Level | None
    top_level: Level
    status: CarrierStatus
    last_recognized_on: dt.date
    address: str = ""
    operator_name: str = ""
    uscc: str | None = None

    @property
    def listed_level(self) -> Level:
        return self.level or self.top_level

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type_code,
            "type_name": self.type_label,
            "level": self.level.code if self.level else None,
            "status": self.status.value,
            "region": {"code": self.region_code, "name": self.region_name},
            "last_recognized_on": self.last_recognized_on.isoformat(),
            "operator_name": self.operator_name,
            "address": self.address,
        }


def _order_by(f: ListingFilters, st: Subquery) -> list:
    level = _listed_level(st)
    name = Carrier.name
    if db.session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")  # codepoint order, as SQLite's BINARY and the index
    return {
        "name": [name, Carrier.id],
        "-name": [name.desc(), Carrier.id.desc()],
        "-level": [level.desc(), name, Carrier.id],
        "level": [level, name, Carrier.id],
        "-recognized": [st.c.last_recognized_on.desc(), Carrier.id.desc()],
        "recognized": [st.c.last_recognized_on, Carrier.id],
        "region": [Carrier.region_id, name, Carrier.id],
        "id": [Carrier.id],  # exports (open data): stable, not offered on the page
    }[f.sort]


def _rows_stmt(f: ListingFilters) -> Select:
    st = standing(f.as_of)
    stmt = _base(f, st).where(*_type_level_conditions(f, st))
    return stmt.add_columns(
        Carrier.id,
        Carrier.name,
        Carrier.type_id,
        Carrier.region_id,
        Carrier.address,
        Carrier.operator_name,
        Carrier.uscc,
        # level ranks as plain integers: exports read every row
        type_coerce(st.c.level, Integer).label("level"),
        type_coerce(st.c.top_level, Integer).label("top_level"),
        st.c.last_recognized_on,
    ).order_by(*_order_by(f, st))


def _to_listed(row: Any, types: dict[int, tuple[str, str]], regions: RegionNames) -> ListedCarrier:
    type_code, type_label = types[row.type_id]
    level = Level(row.level) if row.level is not None else None
    return ListedCarrier(
        id=row.id,
        name=row.name,
        type_code=type_code,
        type_label=type_label,
        region_code=regions.code(row.region_id),
        region_name=regions.full_name(row.region_id),
        level=level,
        top_level=Level(row.top_level),
        status=CarrierStatus.recognized if level else CarrierStatus.revoked,
        last_recognized_on=row.last_recognized_on,
        address=row.address,
        operator_name=row.operator_name,
        uscc=row.uscc,
    )


def carrier_rows(f: ListingFilters, offset: int, limit: int) -> list[ListedCarrier]:
    """One page of the listing."""
    stmt = _rows_stmt(f).offset(offset).limit(limit)
    types = type_names()
    names = region_names()
    return [_to_listed(row, types, names) for row in db.session.execute(stmt)]


def listing_rows(f: ListingFilters, batch: int = 2000) -> Iterator[Row]:
    """Every row of the listing as a plain tuple, streamed in batches (for exports): (id, name,
    type_id, region_id, address, operator_name, uscc, level, top_level, last_recognized_on),
    levels as ranks (`level` None when no recognition is active)."""
    stmt = _rows_stmt(f).execution_options(yield_per=batch)
    return iter(db.session.connection().execute(stmt))


def type_names() -> dict[int, tuple[str, str]]:
    """Type id -> (code, label in the current language), for building many rows."""
    return {t.id: (t.code, t.label) for t in type_infos().values()}


# --- one carrier ------------------------------------------------------------------------


@dataclass
class Standing:
    status: CarrierStatus
    level: Level | None
    top_level: Level | None


def carrier_standing(carrier_id: int, as_of: dt.date | None = None) -> Standing:
    """A carrier's status and current level as of a date, by the listing's definition."""
    as_of = as_of or dt.date.today()
    st = standing(as_of)
    row = db.session.execute(
        select(st.c.level, st.c.top_level).where(st.c.carrier_id == carrier_id)
    ).first()
    if row is None:
        return Standing(CarrierStatus.unrecognized, None, None)
    level = Level(row.level) if row.level is not None else None
    status = CarrierStatus.recognized if level else CarrierStatus.revoked
    return Standing(status, level, Level(row.top_level))


def is_public(carrier_id: int, as_of: dt.date | None = None) -> bool:
    """Whether the public may see the carrier: it has been recognised at some point."""
    return carrier_standing(carrier_id, as_of).status != CarrierStatus.unrecognized


def latest_recognitions(limit: int = 10) -> list[tuple[Recognition, Carrier]]:
    stmt = (
        select(Recognition, Carrier)
        .join(Carrier, Carrier.id == Recognition.carrier_id)
        .where(Recognition.recognized_on <= dt.date.today())
        .order_by(Recognition.recognized_on.desc(), Recognition.id.desc())
        .limit(limit)
    )
    return [(r, c) for r, c in db.session.execute(stmt)]


def totals_by_type_and_level(as_of: dt.date | None = None) -> Cube:
    """Recognised carriers by type and level (the home page's figures)."""
    return facet_cube(ListingFilters(as_of=as_of or dt.date.today()))


# --- small lookups ----------------------------------------------------------------------


def _country() -> Region:
    from registry.regions.service import country

    return country()


@dataclass(frozen=True)
class TypeInfo:
    """A carrier type's identity and names (cached; detached from any session)."""

    id: int
    code: str
    name: str
    name_en: str

    @property
    def label(self) -> str:
        from registry.carriers.models import _localized

        return _localized(self.name, self.name_en)


def type_infos() -> dict[str, TypeInfo]:
    """Every carrier type by code, in display order (cached until the data change)."""

    def load() -> dict[str, TypeInfo]:
        stmt = select(CarrierType).order_by(CarrierType.sort_order, CarrierType.id)
        return {t.code: TypeInfo(t.id, t.code, t.name, t.name_en) for t in db.session.scalars(stmt)}

    return _lookups.get_or_compute("types", current_version("standing"), load)


def _children_names(region: Region | None) -> dict[str, str]:
    parent_id = region.id if region is not None else _country().id
    rows = db.session.execute(select(Region.code, Region.name).where(Region.parent_id == parent_id))
    return {code: name for code, name in rows}


class RegionNames:
    """Codes and full names of every region, loaded in one query."""

    def __init__(self) -> None:
        rows = db.session.execute(select(Region.id, Region.code, Region.name, Region.parent_id))
        self._rows = {rid: (code, name, parent) for rid, code, name, parent in rows}
        self._full: dict[int, str] = {}

    def code(self, region_id: int) -> str:
        return self._rows[region_id][0]

    def full_name(self, region_id: int) -> str:
        if region_id not in self._full:
            parts = []
            node: int | None = region_id
            while node is not None:
                _code, name, parent = self._rows[node]
                if parent is not None and name not in PLACEHOLDER_NAMES:
                    parts.append(name)
                node = parent
            self._full[region_id] = "".join(reversed(parts))
        return self._full[region_id]


_lookups = VersionedCache(size=4)


def region_names() -> RegionNames:
    """Every region's code and full name (cached until the data changes)."""
    return _lookups.get_or_compute("regions", current_version("standing"), RegionNames)


def with_sort(f: ListingFilters, sort: str) -> ListingFilters:
    return replace(f, sort=sort)


# --- the listing ------------------------------------------------------------------------


@dataclass
class Listing:
    """A page of the public listing with the facet counts of the whole result."""

    filters: ListingFilters
    items: list[ListedCarrier]
    facets: Facets
    page: int
    per_page: int

    @property
    def total(self) -> int:
        return self.facets.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_cubes = VersionedCache(size=256)


def cached_cube(f: ListingFilters) -> Cube:
    """facet_cube(f), reused until the listing's standing changes."""
    return _cubes.get_or_compute(f.cache_key(), current_version("standing"), lambda: facet_cube(f))


def public_carriers(f: ListingFilters, page: int = 1, per_page: int = 20) -> Listing:
    """The public listing: the only definition of which carriers the public sees.

    Today's listing is answered from the in-memory index (derived from the same standing
    and rebuilt when the data change); other dates from SQL.
    """
    from registry.carriers.index import holder

    offset = (page - 1) * per_page
    today = f.as_of == dt.date.today()
    index = holder.get(current_version("standing"), f.as_of) if today else None
    if index is not None:
        counts = index.facets(f)
        names = region_names()
        facets = make_facets(
            f,
            counts.total,
            counts.type,
            counts.level,
            {names.code(rid): n for rid, n in counts.region.items()},
        )
        items = (
            carriers_by_id(index.page(f, offset, per_page), index) if offset < counts.total else []
        )
        return Listing(f, items, facets, page, per_page)
    facets = facets_from_cube(f, cached_cube(f))
    items = carrier_rows(f, offset, per_page) if offset < facets.total else []
    return Listing(f, items, facets, page, per_page)


def carriers_by_id(ids: list[int], index: Any) -> list[ListedCarrier]:
    """Rows for carriers the index selected, in the index's order."""
    if not ids:
        return []
    rows = db.session.execute(
        select(
            Carrier.id,
            Carrier.name,
            Carrier.type_id,
            Carrier.region_id,
            Carrier.address,
            Carrier.operator_name,
            Carrier.uscc,
        ).where(Carrier.id.in_(ids))
    ).all()
    by_id = {row.id: row for row in rows}
    types = type_names()
    names = region_names()
    out = []
    for carrier_id in ids:
        row = by_id.get(carrier_id)
        standing_ = index.standing_of(carrier_id)
        if row is None or standing_ is None:
            continue
        level, listed, last = standing_
        out.append(_to_listed(_Row(row, level or None, listed, last), types, names))
    return out


@dataclass
class _Row:
    """A carrier row joined with its standing from the index (shaped like the SQL rows)."""

    row: Any
    level: int | None
    top_level: int
    last_recognized_on: dt.date

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def set_cache_size(size: int) -> None:
    _cubes.size = size
    _cubes.clear()
