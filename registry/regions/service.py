"""Looking regions up and loading the official division list."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import exists, select

from registry import db
from registry.errors import NotFound, ValidationError
from registry.regions.models import COUNTRY_CODE, Region, RegionLevel


def get_region(code: str) -> Region:
    """The region with GB/T 2260 `code`; raises NotFound."""
    region = find_region(code)
    if region is None:
        raise NotFound(_("No region has the code %(code)s.", code=code))
    return region


def find_region(code: str | None) -> Region | None:
    if not code:
        return None
    return db.session.scalar(select(Region).where(Region.code == code.strip()))


def country() -> Region:
    return get_region(COUNTRY_CODE)


def children(region: Region) -> list[Region]:
    stmt = select(Region).where(Region.parent_id == region.id).order_by(Region.code)
    return list(db.session.scalars(stmt))


def is_within(region: Region, ancestor: Region) -> bool:
    """Whether `region` lies in `ancestor`'s subtree (itself included)."""
    return region.path.startswith(ancestor.path)


def is_carrier_region(region: Region) -> bool:
    """Where a carrier may sit: a county-level region, or a prefecture-level city that has
    no counties (东莞市, 中山市, 儋州市)."""
    if region.level == RegionLevel.county:
        return True
    if region.level != RegionLevel.prefecture:
        return False
    return not db.session.scalar(select(exists().where(Region.parent_id == region.id)))


def read_division_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_regions(rows: Iterable[dict[str, str]]) -> tuple[int, int]:
    """Insert or update regions from rows of code,name,level,parent_code (parents first).

    Idempotent: returns (created, updated).
    """
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    created = updated = 0
    for row in rows:
        code, name = row["code"].strip(), row["name"].strip()
        level = RegionLevel(row["level"].strip())
        parent = existing.get(row["parent_code"].strip()) if row.get("parent_code") else None
        path = f"{parent.path}/{code}" if parent else code
        region = existing.get(code)
        if region is None:
            region = Region(code=code, name=name, level=level, parent=parent, path=path)
            db.session.add(region)
            existing[code] = region
            created += 1
        elif (region.name, region.level, region.path) != (name, level, path):
            region.name, region.level, region.parent, region.path = name, level, parent, path
            updated += 1
        if created % 500 == 0:
            db.session.flush()
    db.session.flush()
    return created, updated


# --- counties reporting directly to the province (扩权县) --------------------------------


def direct_counties(within: Region | None = None) -> list[Region]:
    """The counties marked as reporting directly to the province (in `within`'s subtree)."""
    stmt = select(Region).where(Region.is_direct_to_province.is_(True))
    if within is not None:
        stmt = stmt.where(Region.path.like(within.path + "%"))
    return list(db.session.scalars(stmt.order_by(Region.code)))


def set_direct_to_province(region: Region, direct: bool, *, actor_id: int | None = None) -> bool:
    """Mark (or unmark) a county as reporting directly to the province, so that the review
    chains of its carriers' applications submitted from now on skip its city. Returns
    whether anything changed.

    Raises ValidationError (`region`) for a region that is not a county.
    """
    from registry import audit

    if region.level != RegionLevel.county:
        raise ValidationError(
            {
                "region": _(
                    "%(name)s is not a county: only counties report directly to the province",
                    name=region.full_name or region.name,
                )
            }
        )
    if region.is_direct_to_province == direct:
        return False
    region.is_direct_to_province = direct
    db.session.flush()
    audit.record(
        "region.direct_to_province" if direct else "region.via_city",
        "region",
        region.id,
        actor_id=actor_id,
        code=region.code,
        name=region.full_name,
    )
    return True
