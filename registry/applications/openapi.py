"""The workflow's part of the OpenAPI document (registry/api/openapi.py PARTS)."""

from __future__ import annotations

from registry.api.openapi import (
    BEARER,
    PAGING,
    error_response,
    json_content,
    list_of,
    nullable_ref,
    ok,
    path_param,
    query,
    ref,
)
from registry.applications.models import ApplicationAction, ApplicationStatus
from registry.carriers.levels import Level

_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_DATE = {"type": "string", "format": "date"}
_TIME = {"type": "string", "format": "date-time"}
_LEVEL = {"type": "string", "enum": Level.codes()}
_STATUS = {"type": "string", "enum": ApplicationStatus.values()}
_NAMED = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": _TEXT, "name": _TEXT},
}
_FIGURES = {
    "type": "object",
    "description": "Indicator code → figure (null: left empty)",
    "additionalProperties": {"type": "number", "nullable": True, "minimum": 0},
}


def _obj(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


OPENAPI_SCHEMAS = {
    "NewApplication": {
        **_obj(["carrier_id", "level"], carrier_id=_INT, level=_LEVEL, figures=_FIGURES),
        "additionalProperties": False,
    },
    "ApplicationChange": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"figures": _FIGURES},
    },
    "ApplicationActionRequest": _obj(
        ["action"],
        action={"type": "string", "enum": ApplicationAction.values()},
        comment={**_TEXT, "maxLength": 2000, "description": "Required to return or reject"},
        document_no={**_TEXT, "maxLength": 100, "description": "认定文号, required to approve"},
        recognized_on={**_DATE, "description": "Date of the 认定 document (default today)"},
        version={**_INT, "description": "The version the actor saw; 409 when it changed"},
    ),
    "ReviewStep": _obj(["region", "level"], region=_NAMED, level=_LEVEL),
    "ApplicationEvent": _obj(
        ["id", "action", "actor", "from_status", "to_status", "occurred_at"],
        id=_INT,
        action={"type": "string", "enum": ApplicationAction.values()},
        actor=_obj(["name", "role"], name=_TEXT, role=_TEXT),
        from_status=_STATUS,
        to_status=_STATUS,
        step=nullable_ref("ReviewStep"),
        to_step=nullable_ref("ReviewStep"),
        round=_INT,
        comment=_TEXT,
        document_no=_TEXT,
        occurred_at=_TIME,
    ),
    "Eligibility": _obj(
        ["met", "criteria"],
        met={"type": "boolean", "description": "Every criterion (or one of each any_of group)"},
        criteria={
            "type": "array",
            "items": _obj(
                ["indicator", "min", "met"],
                indicator=_TEXT,
                name=_TEXT,
                unit=_TEXT,
                min={"type": "number"},
                per={**_TEXT, "nullable": True},
                per_amount={"type": "number", "nullable": True},
                any_of={**_TEXT, "nullable": True},
                value={"type": "number", "nullable": True},
                met={"type": "boolean"},
                source=_TEXT,
            ),
        },
    ),
    "Attachment": _obj(
        ["id", "filename", "content_type", "size", "url"],
        id=_INT,
        filename=_TEXT,
        content_type={
            "type": "string",
            "enum": ["application/pdf", "image/png", "image/jpeg", "image/webp"],
        },
        size=_INT,
        sha256=_TEXT,
        uploaded_at=_TIME,
        url=_TEXT,
    ),
    "Application": _obj(
        [
            "id",
            "carrier_id",
            "level",
            "status",
            "version",
            "current_step",
            "steps",
            "events",
            "eligibility",
        ],
        id=_INT,
        carrier_id=_INT,
        carrier=_obj(["id", "name"], id=_INT, name=_TEXT, type=_TEXT, region=_NAMED),
        level=_LEVEL,
        status=_STATUS,
        version=_INT,
        round={**_INT, "description": "How many times it was submitted"},
        current_step=nullable_ref("ReviewStep"),
        steps={
            "type": "array",
            "items": {
                "allOf": [
                    ref("ReviewStep"),
                    _obj(
                        ["position", "state"],
                        position=_INT,
                        state={"type": "string", "enum": ["done", "current", "waiting", "stopped"]},
                    ),
                ]
            },
        },
        events={"type": "array", "items": ref("ApplicationEvent")},
        eligibility=ref("Eligibility"),
        figures=_FIGURES,
        attachments={"type": "array", "items": ref("Attachment")},
        recognition_id={**_INT, "nullable": True},
        allowed_actions={"type": "array", "items": _TEXT},
        created_at=_TIME,
        submitted_at={**_TIME, "nullable": True},
        updated_at=_TIME,
    ),
    "ApplicationSummary": _obj(
        ["id", "carrier_id", "level", "status", "version", "current_step"],
        id=_INT,
        carrier_id=_INT,
        carrier=_obj(["id", "name"], id=_INT, name=_TEXT),
        type=_TEXT,
        level=_LEVEL,
        status=_STATUS,
        version=_INT,
        current_step=nullable_ref("ReviewStep"),
        state_changed_at=_TIME,
        submitted_at={**_TIME, "nullable": True},
        created_at=_TIME,
    ),
    "Revocation": _obj(
        ["revoked_on", "reason", "document_no"],
        revoked_on=_DATE,
        reason={**_TEXT, "maxLength": 2000},
        document_no={**_TEXT, "maxLength": 100, "description": "撤销文号"},
    )
    | {
        "example": {
            "revoked_on": "2025-06-30",
            "reason": "连续两年考核不合格",
            "document_no": "川科高〔2025〕12号",
        }
    },
    "RecognitionRecord": _obj(
        ["id", "carrier_id", "level", "recognized_on", "granted_by"],
        id=_INT,
        carrier_id=_INT,
        level=_LEVEL,
        recognized_on=_DATE,
        document_no=_TEXT,
        granted_by=_NAMED,
        source=_TEXT,
        revoked_on={**_DATE, "nullable": True},
        revocation_reason={**_TEXT, "nullable": True},
        revocation_document_no={**_TEXT, "nullable": True},
    ),
}

_SIGNED_IN = {"401": error_response("No valid token")}
_HIDDEN = {"404": error_response("No such application, or one the caller may not see")}
_BODY = {"400": error_response("The body is not a JSON object")}
_APPLICATION = ok("The application", ref("Application"))
_ID = [path_param("application_id")]
_FILE_ID = [path_param("application_id"), path_param("attachment_id")]
_BINARY = {"type": "string", "format": "binary"}


def _op(summary: str, responses: dict, **extra) -> dict:
    return {
        "summary": summary,
        "tags": ["applications"],
        "security": BEARER,
        "responses": {**responses, **_SIGNED_IN},
        **extra,
    }


def _body(name: str) -> dict:
    return {"requestBody": {"required": True, "content": json_content(ref(name))}}


OPENAPI_PATHS = {
    "/applications": {
        "post": _op(
            "A carrier's own account starts an application (a draft) for a level",
            {
                "201": _APPLICATION,
                **_BODY,
                "403": error_response("Not the carrier's own account"),
                "404": error_response("A private carrier of someone else"),
                "409": error_response("The carrier already has an open application"),
                "422": error_response("Invalid level, carrier or figures (figures.CODE)"),
            },
            **_body("NewApplication"),
        ),
        "get": _op(
            "A carrier account's own applications; a bureau's applications in its region, or "
            "with queue=review those waiting for its decision (oldest first)",
            {
                "200": ok("A page of applications", list_of(ref("ApplicationSummary"))),
                "403": error_response(
                    "queue=review asked by a carrier account, or a region out of reach"
                ),
                "422": error_response("Invalid filters, each named"),
            },
            parameters=[
                query(
                    "queue",
                    "review: waiting for the caller's bureau",
                    {"type": "string", "enum": ["review"]},
                ),
                query("status", "Status", _STATUS),
                query("type", "Carrier type code"),
                query("level", "Requested level", _LEVEL),
                query("region", "GB/T 2260 code: carriers in this subtree"),
                query("q", "Part of the carrier's name"),
                *PAGING,
            ],
        ),
    },
    "/applications/{application_id}": {
        "get": _op(
            "An application: chain, figures, files, eligibility check and every event",
            {"200": _APPLICATION, **_HIDDEN},
            parameters=_ID,
        ),
        "patch": _op(
            "Change figures of a draft or returned application (its carrier's account)",
            {
                "200": _APPLICATION,
                **_BODY,
                "403": error_response("Not the carrier's own account"),
                **_HIDDEN,
                "409": error_response("In review or closed, or changed meanwhile"),
                "422": error_response("Invalid figures (figures.CODE)"),
            },
            parameters=_ID,
            **_body("ApplicationChange"),
        ),
    },
    "/applications/{application_id}/actions": {
        "post": _op(
            "submit, withdraw (the carrier); recommend, approve, return, reject (the bureau "
            "of the current step, an admin at any step)",
            {
                "200": _APPLICATION,
                **_BODY,
                "403": error_response("Not the carrier, or a bureau off the review chain"),
                **_HIDDEN,
                "409": error_response("Not allowed now: status, turn, step, or a stale version"),
                "422": error_response("A required comment, 文号, date or figure is missing"),
            },
            parameters=_ID,
            **_body("ApplicationActionRequest"),
        )
    },
    "/applications/{application_id}/attachments": {
        "post": _op(
            "Attach a PDF or image (multipart field file) to a draft or returned application",
            {
                "201": ok("The attachment", ref("Attachment")),
                "403": error_response("Not the carrier's own account"),
                **_HIDDEN,
                "409": error_response("In review or closed"),
                "413": error_response("The request is too large"),
                "422": error_response("Not a PDF or image, empty, too large, or too many"),
            },
            parameters=_ID,
            requestBody={
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": _obj(["file"], file=_BINARY),
                    }
                },
            },
        )
    },
    "/applications/{application_id}/attachments/{attachment_id}": {
        "get": _op(
            "Download an attachment (always as a download, never inline)",
            {
                "200": {
                    "description": "The file",
                    "content": {
                        kind: {"schema": _BINARY}
                        for kind in ("application/pdf", "image/png", "image/jpeg", "image/webp")
                    },
                },
                **_HIDDEN,
            },
            parameters=_FILE_ID,
        ),
        "delete": _op(
            "Take a file off a draft or returned application (it is kept on record)",
            {
                "200": _APPLICATION,
                "403": error_response("Not the carrier's own account"),
                **_HIDDEN,
                "409": error_response("In review or closed, or removed already"),
            },
            parameters=_FILE_ID,
        ),
    },
    "/recognitions/{recognition_id}/revoke": {
        "post": {
            **_op(
                "Revoke a recognition (a bureau of the granting region or above): date, "
                "reason, 文号; it stays as history",
                {
                    "200": ok("The recognition", ref("RecognitionRecord")),
                    **_BODY,
                    "403": error_response("Not a bureau of the granting region or above"),
                    "404": error_response("No such recognition"),
                    "409": error_response("Already revoked"),
                    "422": error_response("Missing or invalid date, reason or 文号"),
                },
                parameters=[path_param("recognition_id")],
                **_body("Revocation"),
            ),
            "tags": ["recognitions"],
        }
    },
}
