"""The OpenAPI 3 document of /api/v1, assembled from the parts each domain's api.py declares.

A domain's api module may define `OPENAPI_PATHS` (path → operations) and `OPENAPI_SCHEMAS`
(name → schema); this module adds the shared parts (errors, paging) and merges them.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

from registry.api import API_PREFIX
from registry.db import MAX_INT

# Modules whose OPENAPI_PATHS / OPENAPI_SCHEMAS make up the document.
PARTS = [
    "registry.accounts.api",
    "registry.regions.api",
    "registry.carriers.api",
    "registry.carriers.profiles_api",
    "registry.opendata.api",
    "registry.reports.api",
    "registry.evaluations.api",
    "registry.targets.api",
    "registry.applications.openapi",
]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable_ref(name: str) -> dict[str, Any]:
    """A schema or null (OpenAPI 3.0 ignores the siblings of a `$ref`, `nullable` too)."""
    return {"allOf": [ref(name)], "nullable": True}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": json_content(ref("Error"))}


def ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": json_content(schema)}


def list_of(item_schema: dict[str, Any], **extra: dict[str, Any]) -> dict[str, Any]:
    """A page of items: {items, total, page, per_page, ...extra}."""
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": item_schema},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            **extra,
        },
    }


def query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        # an empty argument (?page=) counts as left out, as it does from an HTML form
        "allowEmptyValue": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


# Keys are positive and fit the database's integer columns; a URL with a larger number is
# a 404 (registry.web.BoundedIntConverter).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}


# A year in a path: one a date can have (another is a 404: registry.web.YearConverter).
YEAR = {"type": "integer", "minimum": 1, "maximum": 9999}


def path_param(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or ID}


PAGING = [
    query(
        "page",
        "Page number, from 1",
        {"type": "integer", "minimum": 1, "maximum": MAX_INT, "default": 1},
    ),
    query(
        "per_page",
        "Items per page (at most 100)",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    ),
]

BEARER = [{"bearer": []}]

SHARED_SCHEMAS: dict[str, Any] = {
    "Error": {
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
                    "request_id": {
                        "type": "string",
                        "description": "On a 500: the id to quote to the operators "
                        "(also the X-Request-ID header of every response).",
                    },
                },
            }
        },
    },
}


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "schema": schema or {"type": "integer", "minimum": 0}}


SHARED_HEADERS: dict[str, Any] = {
    "X-RateLimit-Limit": _header("Requests allowed to this caller in the current window"),
    "X-RateLimit-Remaining": _header("Requests left to this caller in the current window"),
    "X-RateLimit-Reset": _header("When the current window ends, in seconds since the epoch"),
    "X-RateLimit-Scope": _header(
        "What the caller is counted as: the holder of a token, a registered client "
        "(X-Client-Id), or its network address",
        {"type": "string", "enum": ["token", "client", "address"]},
    ),
    "RateLimit-Policy": _header(
        "The caller's quota policy (IETF draft-ietf-httpapi-ratelimit-headers), named after "
        'its scope: quota q requests in a window of w seconds, e.g. "address";q=60;w=60',
        {"type": "string"},
    ),
    "RateLimit": _header(
        "What is left of the policy's quota: r requests, t seconds until the window ends, "
        'e.g. "address";r=59;t=42',
        {"type": "string"},
    ),
    "Retry-After": _header("Seconds to wait before the next request", {"type": "integer"}),
    "ETag": _header("The representation's version, for If-None-Match", {"type": "string"}),
}


def _header_refs(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


RATE_LIMITED = {
    "description": (
        "Rate limited: the caller made too many requests in the current window "
        '(`{"error": {"code": "rate_limited"}}`); wait Retry-After seconds'
    ),
    "headers": _header_refs(
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "X-RateLimit-Scope",
        "RateLimit-Policy",
        "RateLimit",
    ),
    "content": json_content(ref("Error")),
}
NOT_MODIFIED = {
    "description": (
        "Not modified: the ETag sent in If-None-Match is still current (answers to the public "
        "only; a caller with a token gets private answers without an ETag). No body."
    ),
    "headers": _header_refs("ETag"),
}

CLIENT_ID = {
    "name": "X-Client-Id",
    "in": "header",
    "required": False,
    "description": (
        "A client id an operator registered (REGISTRY_API_CLIENT_IDS): counted against the "
        "client's higher rate limit instead of the network address's. Unknown ids are ignored."
    ),
    "schema": {"type": "string"},
}


def _http_conventions(paths: dict[str, Any]) -> None:
    """What every operation shares: the rate limit's 429; a 304 for the public's reads."""
    for operations in paths.values():
        for method, operation in operations.items():
            responses = {**operation.get("responses", {}), "429": RATE_LIMITED}
            if method == "get" and "security" not in operation:
                responses["304"] = NOT_MODIFIED
            operations[method] = {**operation, "responses": responses}


DESCRIPTION = (
    "Public lookup of China's innovation carriers (创新创业载体) and the bureaus' "
    "workflow. JSON in and out, UTF-8, ISO 8601 dates. Errors are "
    '{"error": {"code", "message", "fields"}}. Sign in with POST /api/v1/tokens, '
    "then send Authorization: Bearer TOKEN.\n\n"
    "Rate limits: requests are counted per fixed window (default a minute) against the "
    "holder of a token (all of a user's tokens together), else a registered client that sends "
    "X-Client-Id, else the network address; every answer carries X-RateLimit-Limit, "
    "X-RateLimit-Remaining, X-RateLimit-Reset and X-RateLimit-Scope, and the IETF draft's "
    "RateLimit-Policy and RateLimit; a request over the limit gets 429 with Retry-After.\n\n"
    "Caching: the public's reads carry an ETag and Cache-Control: public, no-cache; send the "
    "ETag back in If-None-Match to get 304 Not Modified while the data have not changed. "
    "Answers to a token are private, no-store."
)


def add_shared_errors(operation: dict[str, Any]) -> None:
    """The errors every operation can answer whatever its domain: 422 from the guard that
    refuses NUL characters in any argument or field (registry/inputs.py), and 400 from
    json_body() when an operation's JSON body is missing or not an object."""
    responses = operation["responses"]
    responses.setdefault("422", error_response("Invalid input: error.fields names each field"))
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        responses.setdefault("400", error_response("The body is not a JSON object"))


def build_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = dict(SHARED_SCHEMAS)
    for module_name in PARTS:
        module = importlib.import_module(module_name)
        for path, declared in getattr(module, "OPENAPI_PATHS", {}).items():
            operations = copy.deepcopy(declared)
            for operation in operations.values():
                add_shared_errors(operation)
            paths.setdefault(API_PREFIX + path, {}).update(operations)
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    _http_conventions(paths)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Innovation Carrier Registry API",
            "version": "1.0.0",
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "headers": SHARED_HEADERS,
            "parameters": {"ClientId": CLIENT_ID},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
