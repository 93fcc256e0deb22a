"""JSON API of carriers: types, the public listing with facets, export, detail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Response, jsonify, request, send_file, stream_with_context

from registry import db, policy
from registry.accounts.auth import current_user, require_api_user
from registry.api import api_blueprint, json_body, list_response, page_args
from registry.carriers import export
from registry.carriers.credit_codes import decide_credit_code
from registry.carriers.detail import carrier_detail, detail_as_dict, duplicate_warnings
from registry.carriers.params import parse_listing_args
from registry.carriers.profiles import ProfileResult, create_carrier, update_carrier
from registry.carriers.queries import iter_carrier_rows, public_carriers
from registry.carriers.service import get_carrier, list_carrier_types
from registry.errors import ValidationError

bp = api_blueprint("carriers_api")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@bp.get("/carrier-types")
def list_types():
    """Carrier types with their indicators and recognition criteria."""
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
def list_carriers():
    """The public listing with facet counts."""
    filters = parse_listing_args(request.args)
    page, per_page = page_args(request.args)
    listing = public_carriers(filters, page, per_page)
    return list_response(
        [row.as_dict() for row in listing.items],
        listing.total,
        page,
        per_page,
        facets=listing.facets.as_dict(),
    )


@bp.get("/carriers/export")
def export_carriers():
    """The public listing as a CSV or XLSX file."""
    return export_response(request.args)


def export_response(args) -> Response:
    """The listing for `args` as a CSV or XLSX download (shared by the page)."""
    fmt = (args.get("format") or "csv").lower()
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": "must be csv or xlsx"})
    filters = parse_listing_args(args)
    stamp = dt.date.today().strftime("%Y%m%d")
    rows = iter_carrier_rows(filters)
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
def get_carrier_detail(carrier_id: int):
    """One carrier (contact details for its owner and the bureaus over it)."""
    user = current_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    private = policy.can_view_private_fields(user, carrier)
    return jsonify(detail_as_dict(carrier_detail(carrier), private=private))


@bp.post("/carriers")
def create_carrier_profile():
    """Register a carrier (private until recognised); warns of possible duplicates."""
    user = require_api_user()
    policy.require(policy.can_create_carrier(user), message=policy.why_not_create_carrier(user))
    result = create_carrier(user, json_body())
    db.session.commit()
    return _profile_response(user, result), 201


@bp.patch("/carriers/<int:carrier_id>")
def update_carrier_profile(carrier_id: int):
    """Change a carrier's profile (its owner, or an administrator)."""
    user = require_api_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_edit_carrier(user, carrier))
    result = update_carrier(carrier, json_body(), actor=user)
    db.session.commit()
    return _profile_response(user, result)


@bp.post("/carriers/<int:carrier_id>/credit-code-review")
def review_credit_code(carrier_id: int):
    """A bureau accepts or rejects a credit code that fails its check character."""
    user = require_api_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_review_credit_code(user, carrier))
    data = json_body()
    decide_credit_code(carrier, data.get("decision") or "", data.get("reason") or "", actor=user)
    db.session.commit()
    return jsonify(detail_as_dict(carrier_detail(carrier), private=True))


def _profile_response(user, result: ProfileResult):
    data = detail_as_dict(carrier_detail(result.carrier), private=True)
    data["warnings"] = duplicate_warnings(user, result.duplicates)
    return jsonify(data)
