"""Data versions bumped by writes to public data, and a small cache keyed on them.

Derived facts (current levels, counts) are always computed from history; this module only
lets a worker reuse a computation until the data it read has changed. The versions live in
the database, so every worker process sees every other's writes at once.

Two scopes: `public` moves with every write to public data (HTTP ETags and most caches);
`standing` only with what the public listing reads (recognitions, grades, regions, types, and
a carrier's name, code, type and region), so that a carrier editing its address or filing a
report does not make every worker rebuild the listing's index of 100,000 carriers.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from typing import Any, Literal, TypeVar

from sqlalchemy import BigInteger, event, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry import db
from registry.db import Base

T = TypeVar("T")

Scope = Literal["public", "standing"]
SCOPE_IDS: dict[str, int] = {"public": 1, "standing": 2}

# Models whose rows the public pages, counts and targets read. Domains add theirs.
PUBLIC_DATA_MODELS: set[type] = set()
# Of those, what moves the listing's standing: model -> its columns that do (None: any).
STANDING_COLUMNS: dict[type, frozenset[str] | None] = {}


class DataVersion(Base):
    """A counter of writes, one row per scope (1: public data, 2: the listing's standing)."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<DataVersion {self.id}: {self.version}>"


def register_public_model(model: type, *, standing: bool | Collection[str] = False) -> type:
    """Writes to `model` move the public version; with `standing` (True, or the columns
    that matter) the listing's standing version too."""
    PUBLIC_DATA_MODELS.add(model)
    if standing:
        STANDING_COLUMNS[model] = None if standing is True else frozenset(standing)
    return model


def bump(
    session: Session | None = None, scopes: Collection[Scope] = ("public", "standing")
) -> None:
    """Mark data as changed (the ORM's flushes do it; call it after bulk Core writes that
    bypass the ORM)."""
    session = session or db.session()
    ids = [SCOPE_IDS[s] for s in scopes]
    session.execute(
        update(DataVersion).where(DataVersion.id.in_(ids)).values(version=DataVersion.version + 1)
    )
    session.info.setdefault("bumped_scopes", set()).update(scopes)


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


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_bump(session: Session, *_args: Any) -> None:
    session.info.pop("bumped_scopes", None)
    session.info.pop("data_versions", None)


@event.listens_for(Session, "before_flush")
def _bump_on_public_write(session: Session, _ctx: Any, _instances: Any) -> None:
    scopes: set[Scope] = set()
    for obj in (*session.new, *session.deleted):
        if type(obj) in PUBLIC_DATA_MODELS:
            scopes.add("public")
        if type(obj) in STANDING_COLUMNS:
            scopes.add("standing")
    for obj in session.dirty:
        if type(obj) in PUBLIC_DATA_MODELS:
            scopes.add("public")
        if type(obj) in STANDING_COLUMNS and _moves_standing(obj):
            scopes.add("standing")
    if scopes:
        bump(session, scopes)


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
