"""The OpenAPI part of the plans and targets API (re-exported by registry.targets.api).

The schemas describe exactly what registry.targets.serialize and extraction.as_dict() return:
tests/targets/test_openapi_shapes.py checks real responses against them, undeclared fields
included.
"""

from __future__ import annotations

from typing import Any

from registry.api.openapi import (
    BEARER,
    PAGING,
    error_response,
    json_content,
    list_of,
    ok,
    path_param,
    query,
    ref,
)
from registry.carriers.levels import Level
from registry.regions.models import RegionLevel
from registry.targets.extraction import MAX_TEXT
from registry.targets.models import Metric, TargetStatus

METRICS = Metric.values()
STATUSES = TargetStatus.values()
LEVELS = [level.code for level in Level]
# a coverage target counts subregions below its own region: never the country
SUBREGION_LEVELS = [level.value for level in RegionLevel if level is not RegionLevel.country]

DATE = {"type": "string", "format": "date"}
NUMBER = {"type": "number"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` or null (null in the enum too, so readers of either reading of OpenAPI 3.0's
    `nullable` accept it)."""
    out = {**schema, "nullable": True}
    if "enum" in schema:
        out["enum"] = [*schema["enum"], None]
    return out


def obj(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema (OpenAPI 3.0 allows no empty `required`)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def closed(properties: dict[str, Any]) -> dict[str, Any]:
    """An object whose every property is always present."""
    return obj(list(properties), properties)


REGION = obj(
    ["code", "name"],
    {"code": {"type": "string", "pattern": "^[0-9]{6}$"}, "name": {"type": "string"}},
)
COVERAGE = {
    "covered": {"type": "integer", "minimum": 0, "description": "coverage: subregions with one"},
    "subregions": {"type": "integer", "minimum": 0, "description": "coverage: subregions"},
}
TARGET_FIELDS = {
    "phrase": {"type": "string", "description": "The plan's words, verbatim"},
    "metric": {"type": "string", "enum": METRICS},
    "region": REGION,
    "types": {"type": "array", "items": {"type": "string"}, "description": "Carrier type codes"},
    "min_level": {"type": "string", "enum": LEVELS},
    "max_level": nullable({"type": "string", "enum": LEVELS}),
    "period_start": DATE,
    "deadline": DATE,
    "value": NUMBER,
    "unit": {"type": "string"},
    "indicator": nullable({"type": "string", "description": "sum_indicator: indicator code"}),
    "subregion_level": nullable({"type": "string", "enum": SUBREGION_LEVELS}),
    "note": {"type": "string"},
}
PLAN_FIELDS = {
    "title": {"type": "string"},
    "document_no": nullable({"type": "string", "description": "文号"}),
    "region": REGION,
    "issued_on": DATE,
    "period_start": nullable(DATE),
    "period_end": nullable(DATE),
    "source": {"type": "string"},
}


CODE = {"type": "string", "description": "GB/T 2260 code (six digits)"}
# numbers may come as numbers or as numeric text ("2.5", "1,200")
AMOUNT = {"anyOf": [{"type": "number"}, {"type": "string"}]}
TARGET_INPUT = {
    **TARGET_FIELDS,
    "region": {**CODE, "description": "Within the plan's region (default: the plan's)"},
    "period_start": {**DATE, "description": "Default: the plan's period start or issue day"},
    "deadline": {**DATE, "description": "Default: the plan's period end"},
    "value": {**AMOUNT, "description": "Greater than 0; a coverage target's at most 1"},
}
PLAN_INPUT = {
    **PLAN_FIELDS,
    "region": {**CODE, "description": "The issuing region"},
    "text": {"type": "string", "description": "Full text"},
}

PROGRESS_REQUIRED = (
    *("as_of", "region", "actual", "value", "ratio", "expected_by_now", "baseline"),
    *("status", "breakdown"),
)

OPENAPI_SCHEMAS: dict[str, Any] = {
    "TargetProgress": obj(
        [*PROGRESS_REQUIRED],
        {
            "as_of": DATE,
            "region": REGION,
            "actual": nullable({**NUMBER, "description": "None: a manual target without figure"}),
            "value": NUMBER,
            "ratio": nullable({**NUMBER, "description": "actual / value (not when drilled down)"}),
            "expected_by_now": nullable(NUMBER),
            "baseline": nullable({**NUMBER, "description": "The actual on period_start"}),
            "status": nullable({"type": "string", "enum": STATUSES}),
            "breakdown": {
                "type": "array",
                "items": obj(
                    ["region", "actual"],
                    {
                        "region": REGION,
                        "actual": nullable(NUMBER),
                        "unplaced": {
                            "type": "boolean",
                            "enum": [True],
                            "description": "Carriers placed at the region itself, in no child",
                        },
                        **COVERAGE,
                    },
                ),
            },
            **COVERAGE,
        },
    ),
    "Target": obj(
        ["id", "plan_id", *TARGET_FIELDS],
        {
            "id": {"type": "integer"},
            "plan_id": {"type": "integer"},
            **TARGET_FIELDS,
            "progress": ref("TargetProgress"),
        },
    ),
    "Plan": obj(
        ["id", *PLAN_FIELDS, "targets"],
        {
            "id": {"type": "integer"},
            **PLAN_FIELDS,
            "targets": {"type": "array", "items": ref("Target")},
            "text": {"type": "string", "description": "Full text (one plan, not the list)"},
        },
    ),
    "NewTarget": obj(["phrase", "metric", "value"], TARGET_INPUT),
    "TargetChanges": obj([], TARGET_INPUT),
    "NewPlan": obj(
        ["title", "region", "issued_on"],
        {
            **PLAN_INPUT,
            "targets": {"type": "array", "items": ref("NewTarget"), "description": "All or none"},
        },
    ),
    "PlanChanges": obj([], PLAN_INPUT),
    "TargetFigure": obj(
        ["recorded_on", "value", "note"],
        {
            "recorded_on": DATE,
            "value": {"type": "number", "minimum": 0},
            "note": {"type": "string"},
        },
    ),
    "TargetFigureInput": obj(
        ["recorded_on", "value"],
        {
            "recorded_on": {**DATE, "description": "Not in the future"},
            "value": {**AMOUNT, "description": "Not negative"},
            "note": {"type": "string", "description": "Source of the figure"},
        },
    ),
    "ExtractionRequest": obj(
        ["text"],
        {
            "text": {"type": "string", "description": f"At most {MAX_TEXT:,} characters"},
            "region": {**CODE, "description": "The issuing region, when known"},
        },
    ),
    "Extraction": obj(
        ["plan", "candidates"],
        {
            "plan": obj(
                ["title", "document_no", "region", "issued_on", "period_start", "period_end"],
                {
                    "title": nullable({"type": "string"}),
                    "document_no": nullable({"type": "string"}),
                    "region": nullable(REGION),
                    "issued_on": nullable(DATE),
                    "period_start": nullable(DATE),
                    "period_end": nullable(DATE),
                },
            ),
            "candidates": {"type": "array", "items": ref("TargetCandidate")},
        },
    ),
    "TargetCandidate": closed(
        {
            "phrase": {"type": "string"},
            "value": NUMBER,
            "unit": {"type": "string"},
            "number": {"type": "string", "description": "The number as written"},
            "year": nullable({"type": "integer"}),
            "deadline": nullable(DATE),
            "metric": {"type": "string", "enum": METRICS},
            "types": {"type": "array", "items": {"type": "string"}},
            "min_level": nullable({"type": "string", "enum": LEVELS}),
            "max_level": nullable({"type": "string", "enum": LEVELS}),
            "new": {"type": "boolean", "description": "New recognitions (新增, 新认定)"},
            "region": nullable(REGION),
            "subregion_level": nullable({"type": "string", "enum": SUBREGION_LEVELS}),
            "indicator": nullable({"type": "string"}),
            "note": {"type": "string"},
            "position": {"type": "integer", "minimum": 0, "description": "Offset in the text"},
        },
    ),
}

AS_OF = query("as_of", "Progress as of this date (default today)", DATE)
REGION_QUERY = query("region", "GB/T 2260 code (six digits)", {"type": "string"})
WRITE_ERRORS = {
    "400": error_response("The body is not a JSON object"),
    "401": error_response("No valid token"),
    "422": error_response("Invalid fields, each named (a target's as targets[i].field)"),
}
NOT_FOUND = {"404": error_response("No such plan or target")}
FORBIDDEN = {"403": error_response("Not a bureau over the region")}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": json_content(ref(name))}


def _write(summary: str, responses: dict[str, Any], *params: Any, body: str | None = None):
    operation: dict[str, Any] = {
        "summary": summary,
        "tags": ["targets"],
        "security": BEARER,
        "responses": {**responses, **WRITE_ERRORS, **FORBIDDEN},
    }
    if params:
        operation["parameters"] = list(params)
    if body:
        operation["requestBody"] = _body(body)
    return operation


def _read(summary: str, response: dict[str, Any], *params: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["targets"],
        "parameters": list(params),
        "responses": {
            "200": response,
            **NOT_FOUND,
            "422": error_response("A parameter is invalid (named in fields)"),
        },
    }


PLAN_ID, TARGET_ID = path_param("plan_id"), path_param("target_id")
DELETED = {"204": {"description": "Deleted"}}

OPENAPI_PATHS: dict[str, Any] = {
    "/plans": {
        "get": _read(
            "Plans (policy documents) with their targets, newest first",
            ok("A page of plans", list_of(ref("Plan"))),
            query("region", "Plans issued by this region (GB/T 2260 code)", {"type": "string"}),
            *PAGING,
        ),
        "post": _write(
            "A new plan, with its targets when given (all or none): a bureau over the region",
            {
                "201": ok("The plan", ref("Plan")),
                "409": error_response("The document number is taken"),
            },
            body="NewPlan",
        ),
    },
    "/plans/extract": {
        "post": _write(
            "Candidate targets read from a policy text (nothing is saved)",
            {"200": ok("The plan's particulars and the candidates", ref("Extraction"))},
            body="ExtractionRequest",
        )
    },
    "/plans/{plan_id}": {
        "get": _read(
            "One plan with its full text and its targets' progress (no breakdown)",
            ok("The plan", ref("Plan")),
            PLAN_ID,
            AS_OF,
        ),
        "patch": _write(
            "Change some of a plan's fields",
            {
                "200": ok("The plan", ref("Plan")),
                "409": error_response("The document number is taken"),
                **NOT_FOUND,
            },
            PLAN_ID,
            body="PlanChanges",
        ),
        "delete": _write("Delete a plan with its targets", {**DELETED, **NOT_FOUND}, PLAN_ID),
    },
    "/plans/{plan_id}/targets": {
        "post": _write(
            "A new target of the plan",
            {"201": ok("The target", ref("Target")), **NOT_FOUND},
            PLAN_ID,
            body="NewTarget",
        )
    },
    "/targets": {
        "get": _read(
            "Targets with their progress (no breakdown), filtered",
            ok("A page of targets", list_of(ref("Target"), as_of=DATE)),
            REGION_QUERY,
            query("plan", "A plan's id", {"type": "integer", "minimum": 1}),
            query("status", "Status as of the date", {"type": "string", "enum": STATUSES}),
            AS_OF,
            *PAGING,
        ),
    },
    "/targets/{target_id}": {
        "get": _read(
            "One target with its progress and the breakdown by child region",
            ok("The target", ref("Target")),
            TARGET_ID,
            AS_OF,
        ),
        "patch": _write(
            "Change some of a target's fields",
            {"200": ok("The target", ref("Target")), **NOT_FOUND},
            TARGET_ID,
            body="TargetChanges",
        ),
        "delete": _write(
            "Delete a target and its entered figures", {**DELETED, **NOT_FOUND}, TARGET_ID
        ),
    },
    "/targets/{target_id}/progress": {
        "get": _read(
            "A target's progress, in its region or drilled down to a region within it",
            ok("The progress", ref("TargetProgress")),
            TARGET_ID,
            AS_OF,
            query("region", "A region within the target's (drill down)", {"type": "string"}),
        ),
    },
    "/targets/{target_id}/values": {
        "post": _write(
            "Enter (or correct) a manual target's figure on a date",
            {"201": ok("The figure", ref("TargetFigure")), **NOT_FOUND},
            TARGET_ID,
            body="TargetFigureInput",
        )
    },
}
