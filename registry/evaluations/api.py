"""JSON API of evaluations: a carrier's grade for a year with the rubric's suggestion, and
recording it (the bureau of the granting region or above)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.api import api_blueprint, json_body
from registry.carriers.models import Carrier, Recognition
from registry.carriers.service import get_carrier
from registry.evaluations.models import Evaluation, Grade
from registry.evaluations.rubric import Suggestion
from registry.evaluations.service import get_evaluation, record_evaluation, suggestion_for
from registry.reports.figures import as_number

bp = api_blueprint("evaluations_api")


def evaluation_as_dict(e: Evaluation) -> dict[str, Any]:
    return {
        "carrier_id": e.carrier_id,
        "year": e.year,
        "grade": e.grade.value,
        "score": float(e.score) if e.score is not None else None,
        "comment": e.comment,
        "suggested_grade": e.suggested_grade.value if e.suggested_grade else None,
        "suggested_score": float(e.suggested_score) if e.suggested_score is not None else None,
        "override_reason": e.override_reason,
        "graded_at": e.graded_at.isoformat(),
        "region": {"code": e.region.code, "name": e.region.bureau_name} if e.region else None,
    }


def suggestion_as_dict(s: Suggestion) -> dict[str, Any]:
    return {
        "score": float(s.score),
        "grade": s.grade.value,
        "judged_weight": as_number(s.judged_weight),
        "items": [
            {
                "code": i.item.code,
                "section": i.item.section,
                "indicator": i.item.indicator.code if i.item.indicator else None,
                "per": i.item.per_indicator.code if i.item.per_indicator else None,
                "value": float(round(i.value, 4)) if i.value is not None else None,
                "target": as_number(i.item.target) if i.item.target is not None else None,
                "weight": as_number(i.item.weight),
                "points": float(round(i.points, 2)) if i.points is not None else None,
            }
            for i in s.items
        ],
    }


def _revoked_as_dict(r: Recognition | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "id": r.id,
        "level": r.level.code,
        "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
        "reason": r.revocation_reason,
    }


def _carrier(user, carrier_id: int) -> Carrier:
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    return carrier


@bp.get("/carriers/<int:carrier_id>/evaluations/<year:year>")
def get_evaluation_detail(carrier_id: int, year: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    policy.require(policy.can_view_reports(user, carrier) or policy.can_grade(user, carrier))
    evaluation = get_evaluation(carrier, year)
    suggestion = suggestion_for(carrier, year)
    return jsonify(
        {
            "carrier_id": carrier.id,
            "year": year,
            "evaluation": evaluation_as_dict(evaluation) if evaluation else None,
            "suggestion": suggestion_as_dict(suggestion) if suggestion else None,
        }
    )


@bp.put("/carriers/<int:carrier_id>/evaluations/<year:year>")
def put_evaluation(carrier_id: int, year: int):
    user = require_api_user()
    carrier = _carrier(user, carrier_id)
    policy.require(policy.can_grade(user, carrier))
    result = record_evaluation(carrier, year, json_body(), actor=user)
    db.session.commit()
    data = evaluation_as_dict(result.evaluation)
    data["revoked_recognition"] = _revoked_as_dict(result.revoked)
    return jsonify(data), 201 if result.created else 200


def _openapi() -> tuple[dict, dict]:
    from registry.api.openapi import (
        BEARER,
        YEAR,
        error_response,
        json_content,
        ok,
        path_param,
        ref,
    )

    grades = Grade.values()
    number = {"type": "number", "nullable": True}
    schemas = {
        "Evaluation": {
            "type": "object",
            "required": ["carrier_id", "year", "grade"],
            "properties": {
                "carrier_id": {"type": "integer"},
                "year": {"type": "integer"},
                "grade": {"type": "string", "enum": grades},
                "score": {**number, "minimum": 0, "maximum": 100},
                "comment": {"type": "string"},
                "suggested_grade": {"type": "string", "enum": grades, "nullable": True},
                "suggested_score": number,
                "override_reason": {"type": "string"},
                "graded_at": {"type": "string", "format": "date-time"},
                "region": {
                    "type": "object",
                    "nullable": True,
                    "description": "The grading bureau",
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                },
                "revoked_recognition": {
                    "type": "object",
                    "nullable": True,
                    "description": "Revoked by the fail rule when this grade completed a run",
                    "properties": {
                        "id": {"type": "integer"},
                        "level": {"type": "string"},
                        "revoked_on": {"type": "string", "format": "date", "nullable": True},
                        "reason": {"type": "string", "nullable": True},
                    },
                },
            },
        },
        "GradeSuggestion": {
            "type": "object",
            "required": ["score", "grade", "items"],
            "properties": {
                "score": {"type": "number", "minimum": 0, "maximum": 100},
                "grade": {"type": "string", "enum": grades},
                "judged_weight": {"type": "number"},
                "items": {"type": "array", "items": {"type": "object"}},
            },
        },
        "EvaluationDetail": {
            "type": "object",
            "required": ["carrier_id", "year", "evaluation", "suggestion"],
            "properties": {
                "carrier_id": {"type": "integer"},
                "year": {"type": "integer"},
                "evaluation": {"allOf": [ref("Evaluation")], "nullable": True},
                "suggestion": {"allOf": [ref("GradeSuggestion")], "nullable": True},
            },
        },
        "GradeInput": {
            "type": "object",
            "required": ["grade"],
            "properties": {
                "grade": {"type": "string", "enum": grades},
                "score": {"type": "number", "minimum": 0, "maximum": 100},
                "comment": {"type": "string"},
                "override_reason": {
                    "type": "string",
                    "description": "Required when the grade differs from the suggestion",
                },
            },
            "example": {"grade": "good", "score": 82, "comment": "孵化成效良好"},
        },
    }
    params = [path_param("carrier_id"), path_param("year", YEAR)]
    not_found = error_response("No such carrier, or a private one out of reach")
    paths = {
        "/carriers/{carrier_id}/evaluations/{year}": {
            "get": {
                "summary": "The year's grade (if any) and the rubric's suggestion from the "
                "report (owner and bureaus)",
                "tags": ["evaluations"],
                "security": BEARER,
                "parameters": params,
                "responses": {
                    "200": ok("Grade and suggestion", ref("EvaluationDetail")),
                    "401": error_response("No valid token"),
                    "403": error_response("Not the owner or a bureau over the carrier"),
                    "404": not_found,
                },
            },
            "put": {
                "summary": "Record or change the year's grade (the bureau that granted the "
                "carrier's highest active title, or above); a second consecutive fail revokes "
                "that title",
                "tags": ["evaluations"],
                "security": BEARER,
                "parameters": params,
                "requestBody": {"required": True, "content": json_content(ref("GradeInput"))},
                "responses": {
                    "200": ok("The changed grade", ref("Evaluation")),
                    "201": ok("The new grade", ref("Evaluation")),
                    "400": error_response("The body is not a JSON object"),
                    "401": error_response("No valid token"),
                    "403": error_response("Outside the grading bureau's jurisdiction"),
                    "404": not_found,
                    "409": error_response("The carrier holds no active recognition"),
                    "422": error_response(
                        "Unknown grade, score outside 0–100, a bad year, or no reason for "
                        "overriding the suggestion"
                    ),
                },
            },
        }
    }
    return paths, schemas


OPENAPI_PATHS, OPENAPI_SCHEMAS = _openapi()
