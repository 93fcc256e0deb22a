"""The OpenAPI 3 document of /api/v1, built from the routes themselves so it never lags.

Each operation takes its summary from the view's docstring (first line) or its name, its
path parameters from the URL rule, and the error shape of the spec (section 7).
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app

from registry.api import API_PREFIX

_CONVERTERS = {"int": {"type": "integer"}, "default": {"type": "string"}}
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}
_ERRORS = {
    "400": "Malformed request (e.g. a body that is not JSON)",
    "401": "No valid token",
    "403": "Not allowed",
    "404": "Not found, or private",
    "409": "Conflicts with the current state",
    "422": "Invalid fields, each named in error.fields",
    "429": "Too many requests",
}


def _operation(endpoint: str, method: str, params: list[dict]) -> dict[str, Any]:
    view = current_app.view_functions[endpoint]
    doc = (view.__doc__ or "").strip().splitlines()
    summary = doc[0] if doc else view.__name__.replace("_", " ").capitalize()
    responses: dict[str, Any] = {
        "200" if method != "post" else "201": {
            "description": "Success",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    }
    for status, text in _ERRORS.items():
        responses[status] = {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    operation: dict[str, Any] = {
        "operationId": endpoint.replace(".", "_"),
        "summary": summary,
        "tags": [endpoint.split(".", 1)[0].removesuffix("_api")],
        "parameters": params,
        "responses": responses,
    }
    if method in ("post", "put", "patch"):
        operation["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    return operation


def build_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX + "/") or rule.endpoint == "api.openapi_document":
            continue
        params = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": _CONVERTERS.get(converter or "default", _CONVERTERS["default"]),
            }
            for converter, name in _PARAM.findall(rule.rule)
        ]
        path = _PARAM.sub(r"{\2}", rule.rule[len(API_PREFIX) :])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule.endpoint, method.lower(), params
            )
    return {
        "openapi": "3.0.3",
        "info": {"title": "Innovation Carrier Registry API", "version": "1"},
        "servers": [{"url": API_PREFIX}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
