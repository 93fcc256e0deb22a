"""A data version bumped by every write to public data, and a small cache keyed on it.

Derived facts (current levels, counts) are always computed from history; this module only
lets a worker reuse a computation until the data it read has changed. The version lives in
the database, so every worker process sees every other's writes at once.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import BigInteger, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry import db
from registry.db import Base

T = TypeVar("T")

# Models whose rows the public listing, counts and targets read. Domains add theirs.
PUBLIC_DATA_MODELS: set[type] = set()


class DataVersion(Base):
    """A single row counting writes to public data."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<DataVersion {self.version}>"


def register_public_model(model: type) -> type:
    PUBLIC_DATA_MODELS.add(model)
    return model


def bump(session: Session | None = None) -> None:
    """Mark public data as changed (call after bulk Core writes that bypass the ORM)."""
    session = session or db.session()
    session.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1)
    )
    session.info["bumped_data_version"] = True


def current_version() -> int | None:
    """The committed data version, or None when this session has uncommitted writes to
    public data (what it reads then must not be cached: it may still roll back)."""
    session = db.session()
    if session.info.get("bumped_data_version"):
        return None
    if "data_version" not in session.info:  # read once per transaction
        version = session.scalar(select(DataVersion.version).where(DataVersion.id == 1))
        session.info["data_version"] = version or 0
    return session.info["data_version"]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_bump(session: Session, *_args: Any) -> None:
    session.info.pop("bumped_data_version", None)
    session.info.pop("data_version", None)


@event.listens_for(Session, "before_flush")
def _bump_on_public_write(session: Session, _ctx: Any, _instances: Any) -> None:
    changed = session.new | session.dirty | session.deleted
    if any(type(obj) in PUBLIC_DATA_MODELS for obj in changed):
        bump(session)


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
