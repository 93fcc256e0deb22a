"""JSON API of regions: children of a region, one region, search by name."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from registry import db
from registry.api import api_blueprint, list_response, page_args
from registry.errors import ValidationError
from registry.httpcache import public_etag
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
@public_etag
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
@public_etag
def get_region_detail(code: str):
    region = get_region(code)
    data = region_dict(region)
    data["path"] = [{"code": r.code, "name": r.name} for r in [*region.ancestors(), region]]
    return jsonify(data)


OPENAPI_SCHEMAS = {
    "Region": {
        "type": "object",
        "required": ["code", "name", "full_name", "level", "parent"],
        "properties": {
            "code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "name": {"type": "string"},
            "full_name": {"type": "string"},
            "level": {"type": "string", "enum": ["country", "province", "prefecture", "county"]},
            "parent": {"type": "string", "nullable": True},
            "path": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                },
            },
        },
    },
}


def _openapi_paths() -> dict:
    from registry.api.openapi import PAGING, error_response, list_of, ok, path_param, query, ref

    return {
        "/regions": {
            "get": {
                "summary": "Child regions of a region (default: the provinces), or a name search",
                "tags": ["regions"],
                "parameters": [
                    query("parent", "GB/T 2260 code of the parent region", {"type": "string"}),
                    query("q", "Part of a region's name", {"type": "string"}),
                    *PAGING,
                ],
                "responses": {
                    "200": ok("Regions", list_of(ref("Region"))),
                    "422": error_response("A parameter is invalid"),
                },
            }
        },
        "/regions/{code}": {
            "get": {
                "summary": "One region with its path from the country",
                "tags": ["regions"],
                "parameters": [path_param("code", {"type": "string"})],
                "responses": {
                    "200": ok("The region", ref("Region")),
                    "404": error_response("No such region"),
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
