"""Figures of a region (or the whole country) for the home and region pages."""

from __future__ import annotations

from dataclasses import dataclass

from registry.carriers.levels import Level
from registry.carriers.queries import Facets, ListingFilters, cached_cube, facets_from_cube
from registry.carriers.service import list_carrier_types
from registry.regions.models import Region


@dataclass
class Summary:
    """Recognised carriers by type × level, with the child regions' counts."""

    region: Region | None
    table: list[tuple[str, str, list[int], int]]  # (type code, label, counts by level, total)
    level_totals: list[int]
    total: int
    facets: Facets

    def region_counts(self) -> dict[str, int]:
        """Recognised carriers per child region code."""
        return {v.value: v.count for v in self.facets.region}

    def chart(self) -> dict:
        """Series for a stacked bar chart of types by level."""
        levels = list(reversed(Level))
        return {
            "categories": [label for _code, label, _counts, _total in self.table],
            "series": [
                {"name": level.label, "data": [row[2][i] for row in self.table]}
                for i, level in enumerate(levels)
            ],
        }


def summary_for(region: Region | None) -> Summary:
    filters = ListingFilters(region=region)
    cube = cached_cube(filters)
    levels = list(reversed(Level))
    counts: dict[tuple[str, int], int] = {}
    for type_code, rank, _child, n in cube.cells:
        counts[(type_code, rank)] = counts.get((type_code, rank), 0) + n
    table = []
    for t in list_carrier_types():
        row = [counts.get((t.code, int(lv)), 0) for lv in levels]
        table.append((t.code, t.label, row, sum(row)))
    level_totals = [sum(row[2][i] for row in table) for i in range(len(levels))]
    return Summary(region, table, level_totals, sum(level_totals), facets_from_cube(filters, cube))
