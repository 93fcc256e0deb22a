"""JSON API of carrier profiles: owners register and edit their carriers; bureaus decide on
credit codes that fail their check character."""

from __future__ import annotations

from flask import jsonify

from registry import db, policy
from registry.accounts.auth import require_api_user
from registry.api import api_blueprint, json_body
from registry.carriers.credit_codes import decide_credit_code
from registry.carriers.detail import carrier_detail, detail_as_dict, duplicate_warnings
from registry.carriers.profiles import ProfileResult, create_carrier, update_carrier
from registry.carriers.service import get_carrier

bp = api_blueprint("carrier_profiles_api")


@bp.post("/carriers")
def create_carrier_profile():
    user = require_api_user()
    policy.require(policy.can_create_carrier(user), message=policy.why_not_create_carrier(user))
    result = create_carrier(user, json_body())
    db.session.commit()
    return _profile_response(user, result), 201


@bp.patch("/carriers/<int:carrier_id>")
def update_carrier_profile(carrier_id: int):
    user = require_api_user()
    carrier = get_carrier(carrier_id)
    policy.require(policy.can_view_carrier(user, carrier), hide=True)
    policy.require(policy.can_edit_carrier(user, carrier))
    result = update_carrier(carrier, json_body(), actor=user)
    db.session.commit()
    return _profile_response(user, result)


@bp.post("/carriers/<int:carrier_id>/credit-code-review")
def review_credit_code(carrier_id: int):
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


_TEXT = {"type": "string"}
_PROFILE_PROPERTIES = {
    "name": {**_TEXT, "maxLength": 200},
    "type": {**_TEXT, "description": "Carrier type code, e.g. incubator"},
    "region": {**_TEXT, "description": "GB/T 2260 code of a county-level region"},
    "operator_name": {**_TEXT, "maxLength": 200, "description": "Default: the account's name"},
    "uscc": {**_TEXT, "description": "统一社会信用代码, 18 characters (GB 32100-2015)"},
    "uscc_confirmed": {
        "type": "boolean",
        "description": "Keep a code that fails its check character as printed on the licence; "
        "a bureau over the carrier's region then accepts or rejects it",
    },
    "address": {**_TEXT, "maxLength": 300},
    "contact_name": {**_TEXT, "maxLength": 64},
    "contact_phone": {**_TEXT, "maxLength": 32},
    "founded_on": {"type": "string", "format": "date", "nullable": True},
    "website": {**_TEXT, "description": "http:// or https:// address"},
    "description": {**_TEXT, "maxLength": 5000},
}

OPENAPI_SCHEMAS = {
    "CarrierProfile": {
        "type": "object",
        "additionalProperties": False,
        "properties": _PROFILE_PROPERTIES,
    },
    "NewCarrierProfile": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "type", "region", "uscc", "address", "contact_name", "contact_phone"],
        "properties": _PROFILE_PROPERTIES,
        "example": {
            "name": "眉山东坡科创孵化器",
            "type": "incubator",
            "region": "511402",
            "uscc": "91511402MA6A0000X3",
            "address": "眉山市东坡区科创大道1号",
            "contact_name": "王芳",
            "contact_phone": "028-38123456",
            "founded_on": "2016-05-01",
        },
    },
    "SavedCarrier": {
        "allOf": [
            {"$ref": "#/components/schemas/CarrierDetail"},
            {
                "type": "object",
                "properties": {
                    "warnings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {
                                    "type": "string",
                                    "enum": ["duplicate_credit_code", "duplicate_name"],
                                },
                                "message": _TEXT,
                                "carrier": {
                                    "type": "object",
                                    "nullable": True,
                                    "description": "Null when the caller may not see it",
                                },
                            },
                        },
                    }
                },
            },
        ]
    },
    "CreditCodeDecision": {
        "type": "object",
        "required": ["decision", "reason"],
        "properties": {
            "decision": {"type": "string", "enum": ["accepted", "rejected"]},
            "reason": {**_TEXT, "maxLength": 1000},
        },
    },
}


def _openapi_paths() -> dict:
    from registry.api.openapi import BEARER, error_response, json_content, ok, path_param, ref

    errors = {
        "400": error_response("The body is not a JSON object"),
        "401": error_response("No valid token"),
        "422": error_response("Invalid fields, each named"),
    }
    return {
        "/carriers": {
            "post": {
                "summary": "A carrier organisation registers a carrier (private until "
                "recognised); possible duplicates come back as warnings",
                "tags": ["carriers"],
                "security": BEARER,
                "requestBody": {
                    "required": True,
                    "content": json_content(ref("NewCarrierProfile")),
                },
                "responses": {
                    "201": ok("The carrier", ref("SavedCarrier")),
                    **errors,
                    "403": error_response("Not a carrier account, or its email is unconfirmed"),
                },
            }
        },
        "/carriers/{carrier_id}": {
            "patch": {
                "summary": "Change a carrier's profile (its owner or an administrator); type and "
                "region are fixed once recognised",
                "tags": ["carriers"],
                "security": BEARER,
                "parameters": [path_param("carrier_id")],
                "requestBody": {"required": True, "content": json_content(ref("CarrierProfile"))},
                "responses": {
                    "200": ok("The carrier", ref("SavedCarrier")),
                    **errors,
                    "403": error_response("Not the owner"),
                    "404": error_response("No such carrier, or another owner's private one"),
                },
            }
        },
        "/carriers/{carrier_id}/credit-code-review": {
            "post": {
                "summary": "A bureau over the carrier's region accepts or rejects its credit "
                "code, which fails the check character",
                "tags": ["carriers"],
                "security": BEARER,
                "parameters": [path_param("carrier_id")],
                "requestBody": {
                    "required": True,
                    "content": json_content(ref("CreditCodeDecision")),
                },
                "responses": {
                    "200": ok("The carrier", ref("CarrierDetail")),
                    **errors,
                    "403": error_response("Not a bureau over the carrier's region"),
                    "404": error_response("No such carrier, or a private one out of reach"),
                    "409": error_response("The code passes the check, or was decided already"),
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
