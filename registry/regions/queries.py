"""Read models over the region tree: subtrees and child-region grouping in SQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from registry.regions.models import SEGMENT, Region


def subtree_ids(region: Region) -> Select:
    """A SELECT of the ids of `region` and every region below it."""
    return select(Region.id).where(Region.path.like(region.path + "%"))


def child_code(region: Region, path_column: ColumnElement[str] = Region.path) -> ColumnElement:
    """SQL giving, for a region row inside `region`'s subtree, the code of its ancestor
    that is a direct child of `region` (NULL-ish empty string for `region` itself)."""
    return func.substr(path_column, SEGMENT * (region.depth + 1) + 1, 6)
