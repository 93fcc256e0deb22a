"""The review chain of an application: the bureaus from the carrier's county up to the
region that grants the requested level.

County bureau → city bureau → province bureau (→ the ministry for the national level).
Every step but the last recommends; the last approves. A county marked as reporting directly
to the province (扩权县, Region.is_direct_to_province) skips its city, unless the city is
the one that decides (a municipal recognition is still the city's). Placeholder tiers of
the official list (北京市 › 市辖区) have no bureau and are skipped.
"""

from __future__ import annotations

from flask_babel import gettext as _

from registry.carriers.levels import Level
from registry.errors import ValidationError
from registry.regions.models import PLACEHOLDER_NAMES, Region, RegionLevel


def review_chain(region: Region, level: Level) -> list[Region]:
    """The bureaus that review an application of a carrier in `region` for `level`, first
    step first. Raises ValidationError (field `level`) when no bureau grants that level
    for a carrier there."""
    target = level.region_level
    if region.depth < target.depth:
        raise ValidationError({"level": _no_bureau(level, region)})
    path = [*region.ancestors(), region]
    chain = [r for r in reversed(path) if r.depth >= target.depth]
    if chain[-1].name in PLACEHOLDER_NAMES:
        raise ValidationError({"level": _no_bureau(level, region)})
    chain = [r for r in chain if r.name not in PLACEHOLDER_NAMES]
    if _direct_to_province(chain):
        chain = [r for i, r in enumerate(chain) if not _skipped_city(r, i, chain)]
    return chain


def _direct_to_province(chain: list[Region]) -> bool:
    first = chain[0]
    return first.level == RegionLevel.county and first.is_direct_to_province


def _skipped_city(region: Region, index: int, chain: list[Region]) -> bool:
    return region.level == RegionLevel.prefecture and index < len(chain) - 1


def _no_bureau(level: Level, region: Region) -> str:
    return _(
        "no bureau grants a %(level)s recognition to a carrier in %(region)s",
        level=level.label,
        region=region.full_name or region.name,
    )
