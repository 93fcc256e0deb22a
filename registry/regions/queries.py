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
    return code_at_depth(region.depth + 1, path_column)


def code_at_depth(depth: int, path_column: ColumnElement[str] = Region.path) -> ColumnElement:
    """SQL giving the code of a region row's ancestor at `depth` (0 = country), or an
    empty string when the row is shallower."""
    return func.substr(path_column, SEGMENT * depth + 1, 6)
