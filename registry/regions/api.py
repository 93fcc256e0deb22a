"""JSON API of regions: children of a region, one region, search by name."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.api import api_blueprint, list_response, page_args
from registry.errors import ValidationError
from registry.regions.models import Region
from registry.regions.service import country, find_region, get_region

bp = api_blueprint("regions_api")


def region_dict(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "full_name": region.full_name,
        "level": region.level.value,
        "parent": region.parent.code if region.parent else None,
    }


@bp.get("/regions")
def list_regions():
    page, per_page = page_args(request.args, default_per_page=100)
    q = (request.args.get("q") or "").strip()
    parent_code = (request.args.get("parent") or "").strip()
    if q:
        stmt = select(Region).where(Region.name.contains(q, autoescape=True)).order_by(Region.code)
    else:
        parent = find_region(parent_code) if parent_code else country()
        if parent is None:
            raise ValidationError(
                {"parent": _("no region has the code %(code)s", code=parent_code)}
            )
        stmt = select(Region).where(Region.parent_id == parent.id).order_by(Region.code)
    total = db.count(stmt)
    rows = db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page))
    return list_response([region_dict(r) for r in rows], total, page, per_page)


@bp.get("/regions/<code>")
def get_region_detail(code: str):
    region = get_region(code)
    data = region_dict(region)
    data["path"] = [{"code": r.code, "name": r.name} for r in [*region.ancestors(), region]]
    return jsonify(data)
