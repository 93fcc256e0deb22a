"""Data versions bumped by writes to public data, and a small cache keyed on them.

Derived facts (current levels, counts) are always computed from history; this module only
lets a worker reuse a computation until the data it read has changed. The versions live in
the database, so every worker process sees every other's writes at once.

Three scopes: `public` moves with every write to public data (HTTP ETags, the targets);
`standing` only with what the public listing reads (recognitions, grades, regions, types, and
a carrier's name, code, type and region), so that a carrier editing its address or filing a
report does not make every worker rebuild the listing's index of 100,000 carriers; `reports`
with annual reports, their figures and grades. The bureaus' workspaces key their caches on
`standing` and `reports` (`versions()`), so they stay warm while carriers edit profiles.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from typing import Any, Literal, TypeVar

from sqlalchemy import BigInteger, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry import db
from registry.db import Base

T = TypeVar("T")

Scope = Literal["public", "standing", "reports"]
SCOPE_IDS: dict[str, int] = {"public": 1, "standing": 2, "reports": 3}
ALL_SCOPES: tuple[Scope, ...] = ("public", "standing", "reports")
STANDING_LOG_KEPT = 20_000  # versions of the standing's change log kept (older ones pruned)

# Models whose rows the public pages, counts and targets read. Domains add theirs.
PUBLIC_DATA_MODELS: set[type] = set()
# Of those, what moves the listing's standing: model -> its columns that do (None: any), and
# the carrier a changed row concerns (None: possibly every carrier).
STANDING_COLUMNS: dict[type, frozenset[str] | None] = {}
STANDING_KEYS: dict[type, Callable[[Any], int | None]] = {}
# Of those, what moves the `reports` scope (annual reports, figures, grades, indicators).
REPORT_MODELS: set[type] = set()


class DataVersion(Base):
    """A counter of writes, one row per scope (1: public data, 2: the listing's standing,
    3: reports and grades)."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<DataVersion {self.id}: {self.version}>"


class StandingChange(Base):
    """Which carriers a version of the listing's standing changed (carrier_id None: possibly
    all of them), so a worker can bring its listing index up to date instead of rebuilding
    it. Written with each bump; versions older than STANDING_LOG_KEPT are pruned."""

    __tablename__ = "standing_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    carrier_id: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<StandingChange {self.version}: {self.carrier_id}>"


def register_public_model(
    model: type,
    *,
    standing: bool | Collection[str] = False,
    key: Callable[[Any], int | None] | None = None,
    reports: bool = False,
) -> type:
    """Writes to `model` move the public version; with `standing` (True, or the columns
    that matter) the listing's standing version too, logged for the carrier `key` gives;
    with `reports` the reports version."""
    PUBLIC_DATA_MODELS.add(model)
    if reports:
        REPORT_MODELS.add(model)
    if standing:
        STANDING_COLUMNS[model] = None if standing is True else frozenset(standing)
        STANDING_KEYS[model] = key or (lambda _obj: None)
    return model


def bump(session: Session | None = None, scopes: Collection[Scope] = ALL_SCOPES) -> None:
    """Mark data as changed, any carrier's standing included (the ORM's flushes and the
    session's INSERT/UPDATE/DELETE statements do it; call it after writes that bypass the
    session)."""
    session = session or db.session()
    for scope in ("public", "reports"):
        if scope in scopes:
            session.execute(
                update(DataVersion)
                .where(DataVersion.id == SCOPE_IDS[scope])
                .values(version=DataVersion.version + 1)
            )
            session.info.setdefault("bumped_scopes", set()).add(scope)
    if "standing" in scopes:
        _bump_standing(session, {None})


def _bump_standing(session: Session, carrier_ids: set[int | None]) -> None:
    version = session.execute(
        update(DataVersion)
        .where(DataVersion.id == SCOPE_IDS["standing"])
        .values(version=DataVersion.version + 1)
        .returning(DataVersion.version)
    ).scalar_one()
    keys = {None} if None in carrier_ids else carrier_ids
    session.execute(
        insert(StandingChange), [{"version": version, "carrier_id": k} for k in sorted(keys)]
    )
    if version % 1000 == 0:
        session.execute(
            delete(StandingChange).where(StandingChange.version <= version - STANDING_LOG_KEPT)
        )
    session.info.setdefault("bumped_scopes", set()).add("standing")


def standing_changes(since: int, until: int, limit: int) -> set[int] | None:
    """The carriers whose standing changed after version `since` up to `until`, or None when
    the log cannot say (a change to possibly every carrier, pruned versions, or more than
    `limit` carriers): then everything must be read again."""
    rows = db.session.execute(
        select(StandingChange.version, StandingChange.carrier_id)
        .where(StandingChange.version > since, StandingChange.version <= until)
        .limit(limit + 1)
    ).all()
    if len(rows) > limit or len({v for v, _c in rows}) != until - since:
        return None
    carrier_ids = {c for _v, c in rows}
    return None if None in carrier_ids else carrier_ids  # type: ignore[return-value]


def current_version(scope: Scope = "public") -> int | None:
    """The committed version of `scope`, or None when this session has uncommitted writes
    to it (what it reads then must not be cached: it may still roll back)."""
    session = db.session()
    if scope in session.info.get("bumped_scopes", ()):
        return None
    versions = session.info.get("data_versions")
    if versions is None:  # read once per transaction
        rows = session.execute(select(DataVersion.id, DataVersion.version)).all()
        versions = session.info["data_versions"] = {i: v or 0 for i, v in rows}
    return versions.get(SCOPE_IDS[scope], 0)


def versions(*scopes: Scope) -> tuple[int, ...] | None:
    """The committed versions of several scopes, for a cache that reads all their data (None
    when any has uncommitted writes)."""
    found = tuple(current_version(scope) for scope in scopes)
    return None if None in found else found  # type: ignore[return-value]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_bump(session: Session, *_args: Any) -> None:
    session.info.pop("bumped_scopes", None)
    session.info.pop("data_versions", None)
    session.info.pop("standing_pending", None)


@event.listens_for(Session, "before_flush")
def _bump_on_public_write(session: Session, _ctx: Any, _instances: Any) -> None:
    public = reports = False
    standing = []
    for obj in (*session.new, *session.deleted):
        public |= type(obj) in PUBLIC_DATA_MODELS
        reports |= type(obj) in REPORT_MODELS
        if type(obj) in STANDING_COLUMNS:
            standing.append(obj)
    for obj in session.dirty:
        public |= type(obj) in PUBLIC_DATA_MODELS
        reports |= type(obj) in REPORT_MODELS
        if type(obj) in STANDING_COLUMNS and _moves_standing(obj):
            standing.append(obj)
    if public or reports:
        bump(session, ("public", "reports") if reports else ("public",))
    if standing:  # logged after the flush, when new rows have their ids
        session.info["standing_pending"] = standing


@event.listens_for(Session, "after_flush")
def _log_standing(session: Session, _ctx: Any) -> None:
    changed = session.info.pop("standing_pending", None)
    if changed:
        _bump_standing(session, {STANDING_KEYS[type(obj)](obj) for obj in changed})


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_write(state: Any) -> None:
    """INSERT, UPDATE and DELETE statements run through the session (bulk writes, guarded
    status changes) bypass the flush: they move the versions of the data they write too.
    Standing rows written this way cannot name their carriers: the listing is read again."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    model = _public_tables().get(getattr(table, "name", None))
    if model is None:
        return
    scopes: list[Scope] = ["public"]
    if model in STANDING_COLUMNS:
        scopes.append("standing")
    if model in REPORT_MODELS:
        scopes.append("reports")
    bump(state.session, scopes)


def _public_tables() -> dict[str, type]:
    return {model.__tablename__: model for model in PUBLIC_DATA_MODELS}


def _moves_standing(obj: Any) -> bool:
    columns = STANDING_COLUMNS[type(obj)]
    state = inspect(obj)
    if columns is None:
        return state.modified
    return any(state.attrs[c].history.has_changes() for c in columns)


_caches: weakref.WeakSet = weakref.WeakSet()


def register_clearable(cache: Any) -> None:
    """Let clear_all() empty `cache` (anything with a clear() method)."""
    _caches.add(cache)


def clear_all() -> None:
    """Empty every cache (tests roll their writes back, versions included)."""
    for cache in list(_caches):
        cache.clear()


class VersionedCache:
    """An LRU of computed results, valid only for the data version they were computed at."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        register_clearable(self)

    def get_or_compute(self, key: Hashable, version: int | None, compute: Callable[[], T]) -> T:
        if self.size <= 0 or version is None:
            return compute()
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] == version:
                self._items.move_to_end(key)
                self.hits += 1
                return item[1]
        self.misses += 1
        value = compute()
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
