"""JSON API of annual reports: a carrier's reports, saving a draft, the actions, and a
bureau's reports of a year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.api import api_blueprint, json_body, list_response, page_args
from registry.carriers.models import Carrier
from registry.carriers.service import get_carrier
from registry.errors import NotFound, ValidationError
from registry.regions.service import find_region
from registry.reports.deadlines import due_date, is_late
from registry.reports.figures import as_number
from registry.reports.models import AnnualReport, ReportAction
from registry.reports.params import year_arg
from registry.reports.queries import YEAR_FILTERS, year_counts, year_rows
from registry.reports.service import (
    apply_report_action,
    figure_values,
    parse_action,
    require_report,
    save_report,
)

bp = api_blueprint("reports_api")


def report_as_dict(report: AnnualReport, *, events: bool = True) -> dict[str, Any]:
    carrier_type = report.carrier.carrier_type
    data = {
        "carrier_id": report.carrier_id,
        "year": report.year,
        "status": report.status.value,
        "late": is_late(report, carrier_type),
        "due_on": due_date(carrier_type, report.year).isoformat(),
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "decided_at": report.decided_at.isoformat() if report.decided_at else None,
        "comment": report.comment,
        "updated_at": report.updated_at.isoformat(),
        "figures": {code: as_number(v) for code, v in figure_values(report).items()},
    }
    if events:
        data["events"] = [
            {
                "action": e.action.value,
                "from_status": e.from_status.value,
                "to_status": e.to_status.value,
                "comment": e.comment,
                "occurred_at": e.occurred_at.isoformat(),
                "actor": (e.actor.name or None) if e.actor else None,
            }
            for e in report.events
        ]
    return data


def _carrier(user, carrier_id: int) -> Carrier:
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    return carrier


@bp.get("/carriers/<int:carrier_id>/reports")
def list_reports(carrier_id: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    policy.require(policy.can_view_reports(user, carrier))
    page, per_page = page_args(request.args)
    stmt = select(AnnualReport).where(AnnualReport.carrier_id == carrier.id)
    reports = list(db.session.scalars(stmt.order_by(AnnualReport.year.desc())))
    items = [report_as_dict(r, events=False) for r in reports]
    start = (page - 1) * per_page
    return list_response(items[start : start + per_page], len(items), page, per_page)


@bp.get("/carriers/<int:carrier_id>/reports/<year:year>")
def get_report_detail(carrier_id: int, year: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    policy.require(policy.can_view_reports(user, carrier))
    return jsonify(report_as_dict(require_report(carrier, year)))


@bp.put("/carriers/<int:carrier_id>/reports/<year:year>")
def put_report(carrier_id: int, year: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    policy.require(policy.can_file_report(user, carrier))
    body = json_body()
    if "figures" not in body:
        raise ValidationError({"figures": _("is required")})
    result = save_report(carrier, year, body["figures"], actor=user)
    db.session.commit()
    return jsonify(report_as_dict(result.report)), 201 if result.created else 200


@bp.post("/carriers/<int:carrier_id>/reports/<year:year>/actions")
def report_action(carrier_id: int, year: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    body = json_body()
    action = parse_action(body.get("action"))
    if action == ReportAction.submit:
        policy.require(policy.can_file_report(user, carrier))
    else:
        policy.require(policy.can_review_report(user, carrier))
    report = require_report(carrier, year)
    comment = body.get("comment") or ""
    if not isinstance(comment, str):
        raise ValidationError({"comment": _("must be text")})
    apply_report_action(report, action, actor=user, comment=comment)
    db.session.commit()
    return jsonify(report_as_dict(report))


@bp.get("/reports")
def list_year_reports():
    user = require_api_user()
    home = policy.home_region(user)
    policy.require(home is not None)
    code = (request.args.get("region") or "").strip()
    region = find_region(code) if code else home
    if region is None:
        raise NotFound(_("No region has the code %(code)s.", code=code))
    policy.require(policy.can_review_reports_in(user, region))
    today = dt.date.today()
    year = year_arg(request.args, today)
    which = request.args.get("filter") or "all"
    if which not in YEAR_FILTERS:
        raise ValidationError(
            {"filter": _("must be one of %(values)s", values=", ".join(YEAR_FILTERS))}
        )
    page, per_page = page_args(request.args)
    rows, total = year_rows(region, year, which, page=page, per_page=per_page, today=today)
    counts = year_counts(region, year, today)
    return list_response(
        [r.as_dict() for r in rows],
        total,
        page,
        per_page,
        year=year,
        region=region.code,
        counts=vars(counts),
    )


def _openapi() -> tuple[dict, dict]:
    from registry.api.openapi import (
        BEARER,
        PAGING,
        YEAR,
        error_response,
        json_content,
        list_of,
        ok,
        path_param,
        query,
        ref,
    )

    params = [path_param("carrier_id"), path_param("year", YEAR)]
    errors = {
        "401": error_response("No valid token"),
        "404": error_response("No such carrier (or a private one out of reach), or no report"),
    }
    statuses = ["draft", "submitted", "accepted", "returned"]
    nullable_time = {"type": "string", "format": "date-time", "nullable": True}
    schemas = {
        "AnnualReport": {
            "type": "object",
            "required": ["carrier_id", "year", "status", "late", "due_on", "figures"],
            "properties": {
                "carrier_id": {"type": "integer"},
                "year": {"type": "integer"},
                "status": {"type": "string", "enum": statuses},
                "late": {"type": "boolean", "description": "First submitted after the due day"},
                "due_on": {"type": "string", "format": "date"},
                "submitted_at": nullable_time,
                "decided_at": nullable_time,
                "comment": {"type": "string", "description": "The bureau's last comment"},
                "updated_at": {"type": "string", "format": "date-time"},
                "figures": {
                    "type": "object",
                    "description": "Indicator code → value, in the indicator's unit",
                    "additionalProperties": {"type": "number"},
                },
                "events": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "action": {"type": "string", "enum": ReportAction.values()},
                            "from_status": {"type": "string", "enum": statuses},
                            "to_status": {"type": "string", "enum": statuses},
                            "comment": {"type": "string"},
                            "occurred_at": {"type": "string", "format": "date-time"},
                            "actor": {"type": "string", "nullable": True},
                        },
                    },
                },
            },
        },
        "ReportDraft": {
            "type": "object",
            "required": ["figures"],
            "properties": {
                "figures": {
                    "type": "object",
                    "description": "Indicator code → non-negative number (the type's report "
                    "indicators, see /carrier-types); figures left out are cleared",
                    "additionalProperties": {"type": "number", "minimum": 0},
                }
            },
        },
        "ReportAction": {
            "type": "object",
            "required": ["action"],
            "properties": {
                "action": {"type": "string", "enum": ReportAction.values()},
                "comment": {"type": "string", "description": "Required to return a report"},
            },
        },
        "YearReportRow": {
            "type": "object",
            "properties": {
                "carrier_id": {"type": "integer"},
                "name": {"type": "string"},
                "type_name": {"type": "string"},
                "region": {"type": "string"},
                "level": {"type": "string", "nullable": True},
                "status": {"type": "string", "enum": statuses, "nullable": True},
                "late": {"type": "boolean"},
                "submitted_at": nullable_time,
            },
        },
    }
    report = ok("The report", ref("AnnualReport"))
    counts = {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "description": "expected, filed, submitted, accepted, returned, draft, missing, late",
    }
    paths = {
        "/carriers/{carrier_id}/reports": {
            "get": {
                "summary": "A carrier's annual reports, newest first (owner and bureaus)",
                "tags": ["reports"],
                "security": BEARER,
                "parameters": [path_param("carrier_id"), *PAGING],
                "responses": {
                    "200": ok("Reports", list_of(ref("AnnualReport"))),
                    **errors,
                    "403": error_response("Not the owner or a bureau over the carrier"),
                },
            }
        },
        "/carriers/{carrier_id}/reports/{year}": {
            "get": {
                "summary": "One report with its figures and events (owner and bureaus)",
                "tags": ["reports"],
                "security": BEARER,
                "parameters": params,
                "responses": {
                    "200": report,
                    **errors,
                    "403": error_response("Not the owner or a bureau over the carrier"),
                },
            },
            "put": {
                "summary": "Save the year's draft figures (the owner); a returned report is "
                "edited the same way",
                "tags": ["reports"],
                "security": BEARER,
                "parameters": params,
                "requestBody": {"required": True, "content": json_content(ref("ReportDraft"))},
                "responses": {
                    "200": report,
                    "201": ok("The new draft", ref("AnnualReport")),
                    "400": error_response("The body is not a JSON object"),
                    **errors,
                    "403": error_response("Not the owner"),
                    "409": error_response("The report is submitted or accepted"),
                    "422": error_response(
                        "A bad year (future, before recognition) or figure (unknown, "
                        "negative, not a number, inconsistent), each named"
                    ),
                },
            },
        },
        "/carriers/{carrier_id}/reports/{year}/actions": {
            "post": {
                "summary": "submit (owner), accept or return with a comment (bureaus over "
                "the carrier's region)",
                "tags": ["reports"],
                "security": BEARER,
                "parameters": params,
                "requestBody": {"required": True, "content": json_content(ref("ReportAction"))},
                "responses": {
                    "200": report,
                    "400": error_response("The body is not a JSON object"),
                    **errors,
                    "403": error_response("Not allowed to take this action"),
                    "409": error_response("The action does not apply to the report's status"),
                    "422": error_response("Unknown action, missing figures or comment"),
                },
            }
        },
        "/reports": {
            "get": {
                "summary": "A bureau's reports of a year in its region's subtree, with counts "
                "and who has not filed",
                "tags": ["reports"],
                "security": BEARER,
                "parameters": [
                    query("region", "GB/T 2260 code (default: the reviewer's region)"),
                    query("year", "Reporting year (default: last year)", {"type": "integer"}),
                    query(
                        "filter",
                        "Which carriers",
                        {"type": "string", "enum": list(YEAR_FILTERS)},
                    ),
                    *PAGING,
                ],
                "responses": {
                    "200": ok(
                        "Carriers owing or having filed the year's report",
                        list_of(
                            ref("YearReportRow"),
                            year={"type": "integer"},
                            region={"type": "string"},
                            counts=counts,
                        ),
                    ),
                    "401": error_response("No valid token"),
                    "403": error_response("Not a bureau over the region"),
                    "404": error_response("No such region"),
                    "422": error_response("A bad year or filter"),
                },
            }
        },
    }
    return paths, schemas


OPENAPI_PATHS, OPENAPI_SCHEMAS = _openapi()
