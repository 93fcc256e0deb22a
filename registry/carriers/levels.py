"""Recognition levels, ordered county < municipal < provincial < national."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import SmallInteger
from sqlalchemy.types import TypeDecorator

from registry.regions.models import RegionLevel

_TITLES = {
    "county": _l("County level"),
    "municipal": _l("Municipal level"),
    "provincial": _l("Provincial level"),
    "national": _l("National level"),
}
_BADGES = {
    "county": "secondary",
    "municipal": "info",
    "provincial": "primary",
    "national": "danger",
}


class Level(enum.IntEnum):
    """A recognition level; the integer is its rank, the name its code in the API."""

    county = 1
    municipal = 2
    provincial = 3
    national = 4

    @property
    def code(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return str(_TITLES[self.name])

    @property
    def badge(self) -> str:
        return _BADGES[self.name]

    @property
    def region_level(self) -> RegionLevel:
        """The depth of the region that grants this level."""
        return {
            Level.county: RegionLevel.county,
            Level.municipal: RegionLevel.prefecture,
            Level.provincial: RegionLevel.province,
            Level.national: RegionLevel.country,
        }[self]

    @classmethod
    def codes(cls) -> list[str]:
        return [m.name for m in cls]

    @classmethod
    def parse(cls, value: str) -> Level:
        """The level for its code; raises ValueError naming the allowed codes."""
        try:
            return cls[value]
        except KeyError:
            raise ValueError("must be one of " + ", ".join(cls.codes())) from None

    @classmethod
    def for_region_level(cls, region_level: RegionLevel) -> Level:
        return {lv.region_level: lv for lv in cls}[region_level]


class LevelType(TypeDecorator):
    """Stores a Level as its rank (SMALLINT), so the highest level is MAX(level)."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return int(Level(value))

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else Level(value)
