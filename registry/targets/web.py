"""Helpers of the target pages: region choices and figures for templates."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import db, policy
from registry.carriers.levels import Level
from registry.regions.models import Region, RegionLevel
from registry.regions.service import country
from registry.targets.formatting import figure, percent, plain_number

MAX_OPTIONS = 400


def region_options(user: Any, within: Region | None = None) -> list[tuple[str, str]]:
    """(code, name) of regions to offer in a form: inside `within` or the user's region
    (an admin's: the country), down to counties when there are few enough."""
    top = within or (user.region if user is not None and user.region else None)
    if top is None and policy.is_admin(user):
        top = country()
    if top is None:
        return []
    stmt = select(Region.code, Region.name, Region.level).where(Region.path.like(top.path + "%"))
    rows = list(db.session.execute(stmt.order_by(Region.path)))
    if len(rows) > MAX_OPTIONS:
        rows = [r for r in rows if r.level is not RegionLevel.county]
    return [(code, name) for code, name, _level in rows[:MAX_OPTIONS]]


def level_bounds(target: Any) -> str:
    """省级以上, 国家级, 市级 – 省级, or "" when every level counts."""
    low, high = target.min_level, target.max_level
    if high is None:
        return "" if low is Level.county else _("%(level)s and above", level=low.label)
    if low == high:
        return low.label
    return f"{low.label} – {high.label}"


def init_app(app: Any) -> None:
    app.jinja_env.filters.update(
        target_figure=figure, ratio=percent, plain=plain_number, level_bounds=level_bounds
    )
