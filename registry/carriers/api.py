"""JSON API of carriers: types, the public listing with facets, export, detail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Response, jsonify, request, send_file, stream_with_context
from flask_babel import gettext as _

from registry import policy
from registry.accounts.auth import current_user
from registry.api import api_blueprint, list_response
from registry.carriers import export
from registry.carriers.detail import carrier_detail, detail_as_dict
from registry.carriers.params import parse_listing_args, parse_listing_request
from registry.carriers.queries import SORTS, public_carriers
from registry.carriers.service import get_carrier, list_carrier_types
from registry.errors import ValidationError
from registry.httpcache import public_etag

bp = api_blueprint("carriers_api")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@bp.get("/carrier-types")
def list_types():
    items = []
    for t in list_carrier_types():
        criteria: dict[str, list] = {}
        for c in t.criteria:
            entry = {"indicator": c.indicator.code, "min": _number(c.min_value)}
            if c.per_indicator is not None:
                entry["per"] = c.per_indicator.code
                entry["per_amount"] = _number(c.per_amount)
            if c.alt_group:
                entry["any_of"] = c.alt_group
            entry["configurable"] = c.is_configurable
            entry["source"] = c.source
            criteria.setdefault(c.level.code, []).append(entry)
        items.append(
            {
                "code": t.code,
                "name": t.name,
                "name_en": t.name_en,
                "kind": t.kind.value,
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "name_en": i.name_en,
                        "unit": i.unit,
                        "required": i.is_required,
                        "in_report": i.in_report,
                        "in_application": i.in_application,
                    }
                    for i in t.indicators
                ],
                "criteria": criteria,
            }
        )
    return jsonify(items)


@bp.get("/carriers")
@public_etag
def list_carriers():
    filters, page, per_page = parse_listing_request(request.args)
    listing = public_carriers(filters, page, per_page)
    return list_response(
        [row.as_dict() for row in listing.items],
        listing.total,
        page,
        per_page,
        facets=listing.facets.as_dict(),
    )


@bp.get("/carriers/export")
@public_etag
def export_carriers():
    return export_response(request.args)


def export_response(args) -> Response:
    """The listing for `args` as a CSV or XLSX download (shared by the page)."""
    fmt = (args.get("format") or "csv").lower()
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": _("must be csv or xlsx")})
    filters = parse_listing_args(args)
    stamp = dt.date.today().strftime("%Y%m%d")
    rows = export.listing_values(filters)
    if fmt == "csv":
        response = Response(
            stream_with_context(export.csv_chunks(rows)), mimetype="text/csv; charset=utf-8"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="carriers-{stamp}.csv"'
        return response
    return send_file(
        export.xlsx_file(rows),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"carriers-{stamp}.xlsx",
    )


@bp.get("/carriers/<int:carrier_id>")
@public_etag
def get_carrier_detail(carrier_id: int):
    user = current_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    private = policy.can_view_private_fields(user, carrier)
    return jsonify(detail_as_dict(carrier_detail(carrier), private=private))


_LEVELS = ["county", "municipal", "provincial", "national"]
_FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
        },
    },
}

OPENAPI_SCHEMAS = {
    "CarrierType": {
        "type": "object",
        "required": ["code", "name", "name_en", "kind", "indicators", "criteria"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "name_en": {"type": "string"},
            "kind": {"type": "string", "enum": ["recognition", "filing"]},
            "indicators": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "name", "unit", "required"],
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "name_en": {"type": "string"},
                        "unit": {"type": "string"},
                        "required": {"type": "boolean"},
                        "in_report": {"type": "boolean"},
                        "in_application": {"type": "boolean"},
                    },
                },
            },
            "criteria": {
                "type": "object",
                "description": "Per level code: the conditions indicator >= min",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["indicator", "min"],
                        "properties": {
                            "indicator": {"type": "string"},
                            "min": {"type": "number"},
                            "per": {"type": "string"},
                            "per_amount": {"type": "number"},
                            "any_of": {"type": "string"},
                            "configurable": {"type": "boolean"},
                            "source": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
    "CarrierListItem": {
        "type": "object",
        "required": ["id", "name", "type", "level", "status", "region", "last_recognized_on"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "type": {"type": "string"},
            "type_name": {"type": "string"},
            "level": {"type": "string", "enum": _LEVELS, "nullable": True},
            "status": {"type": "string", "enum": ["recognized", "revoked"]},
            "region": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "last_recognized_on": {"type": "string", "format": "date"},
            "operator_name": {"type": "string"},
            "address": {"type": "string"},
        },
    },
    "Facets": {
        "type": "object",
        "required": ["type", "level", "region"],
        "properties": {"type": _FACET, "level": _FACET, "region": _FACET},
    },
    "Recognition": {
        "type": "object",
        "required": ["id", "level", "recognized_on", "document_no", "granted_by"],
        "properties": {
            "id": {"type": "integer"},
            "level": {"type": "string", "enum": _LEVELS},
            "recognized_on": {"type": "string", "format": "date"},
            "document_no": {"type": "string"},
            "granted_by": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "revoked_on": {"type": "string", "format": "date", "nullable": True},
            "revocation_reason": {"type": "string", "nullable": True},
            "revocation_document_no": {"type": "string", "nullable": True},
        },
    },
    "CarrierDetail": {
        "type": "object",
        "required": ["id", "name", "type", "level", "status", "region", "recognitions", "grades"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "type": {"type": "string"},
            "type_name": {"type": "string"},
            "level": {"type": "string", "enum": _LEVELS, "nullable": True},
            "status": {"type": "string", "enum": ["recognized", "revoked", "unrecognized"]},
            "region": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "full_name": {"type": "string"},
                    "path": {"type": "array", "items": {"type": "object"}},
                },
            },
            "operator_name": {"type": "string"},
            "uscc": {"type": "string", "nullable": True},
            "address": {"type": "string"},
            "website": {"type": "string"},
            "founded_on": {"type": "string", "format": "date", "nullable": True},
            "description": {"type": "string"},
            "contact_name": {"type": "string", "description": "Owner and bureaus only"},
            "contact_phone": {"type": "string", "description": "Owner and bureaus only"},
            "credit_code_status": {
                "type": "string",
                "enum": ["valid", "accepted", "pending", "rejected", "missing"],
                "description": "Owner and bureaus only",
            },
            "needs_region_review": {"type": "boolean", "description": "Owner and bureaus only"},
            "owned": {
                "type": "boolean",
                "description": "Run by an organisation's account (imported ones have none); "
                "owner and bureaus only",
            },
            "created_at": {
                "type": "string",
                "format": "date-time",
                "description": "Owner and bureaus only",
            },
            "updated_at": {
                "type": "string",
                "format": "date-time",
                "description": "Owner and bureaus only",
            },
            "recognitions": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Recognition"},
            },
            "grades": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["year", "grade"],
                    "properties": {
                        "year": {"type": "integer"},
                        "grade": {"type": "string", "enum": ["excellent", "good", "pass", "fail"]},
                        "score": {"type": "number", "nullable": True},
                    },
                },
            },
        },
    },
}


def listing_parameters() -> list[dict]:
    """The public listing's filters, shared by the listing and its export."""
    from registry.api.openapi import query

    date_or_year = {"type": "string", "description": "YYYY-MM-DD or YYYY"}
    return [
        query("q", "Part of the name (Chinese substring), or a credit code", {"type": "string"}),
        query("type", "Carrier type code(s), comma-separated", {"type": "string"}),
        query("level", "Current level", {"type": "string", "enum": _LEVELS}),
        query("min_level", "Current level at least", {"type": "string", "enum": _LEVELS}),
        query("region", "GB/T 2260 code; the whole subtree", {"type": "string"}),
        query(
            "status",
            "recognized (default), revoked, or all",
            {"type": "string", "enum": ["recognized", "revoked", "all"]},
        ),
        query("recognized_from", "Recognised on or after", date_or_year),
        query("recognized_to", "Recognised on or before", date_or_year),
        query("year", "Recognised in this year", {"type": "integer"}),
        query(
            "grade",
            "Latest grade",
            {"type": "string", "enum": ["excellent", "good", "pass", "fail"]},
        ),
        query(
            "as_of",
            "Standing as of this date (default today)",
            {"type": "string", "format": "date"},
        ),
        query("sort", "Order", {"type": "string", "enum": list(SORTS)}),
    ]


def _openapi_paths() -> dict:
    from registry.api.openapi import PAGING, error_response, list_of, ok, path_param, query, ref

    return {
        "/carrier-types": {
            "get": {
                "summary": "Carrier types with their indicators and recognition criteria",
                "tags": ["carriers"],
                "responses": {"200": ok("Types", {"type": "array", "items": ref("CarrierType")})},
            }
        },
        "/carriers": {
            "get": {
                "summary": "The public listing, with facet counts",
                "tags": ["carriers"],
                "parameters": [*listing_parameters(), *PAGING],
                "responses": {
                    "200": ok(
                        "A page of carriers", list_of(ref("CarrierListItem"), facets=ref("Facets"))
                    ),
                    "422": error_response("A parameter is invalid (named in fields)"),
                },
            }
        },
        "/carriers/export": {
            "get": {
                "summary": "The listing's whole result as a CSV or XLSX file",
                "tags": ["carriers"],
                "parameters": [
                    *listing_parameters(),
                    query(
                        "format",
                        "csv (default) or xlsx",
                        {"type": "string", "enum": ["csv", "xlsx"]},
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "The file",
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "format": "binary"}
                            },
                        },
                    },
                    "422": error_response("A parameter is invalid"),
                },
            }
        },
        "/carriers/{carrier_id}": {
            "get": {
                "summary": "One carrier: standing, recognitions with 文号, grades "
                "(contact details for its owner and the bureaus over it)",
                "tags": ["carriers"],
                "parameters": [path_param("carrier_id")],
                "responses": {
                    "200": ok("The carrier", ref("CarrierDetail")),
                    "404": error_response("No such carrier, or not public"),
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
