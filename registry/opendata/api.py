"""JSON API of the open data: the versions and their manifests."""

from __future__ import annotations

from flask import jsonify

from registry.api import api_blueprint
from registry.opendata import dictionary, service

bp = api_blueprint("opendata_api")


@bp.get("/open-data")
def list_versions():
    return jsonify({"versions": [service.manifest_of(r) for r in service.list_releases()]})


@bp.get("/open-data/dictionary")
def data_dictionary():
    return jsonify(dictionary.as_dict())


OPENAPI_SCHEMAS = {
    "OpenDataVersion": {
        "type": "object",
        "description": "A published version's manifest: counts and a SHA-256 per file",
        "additionalProperties": True,
    },
}


def _openapi_paths() -> dict:
    from registry.api.openapi import ok, ref

    return {
        "/open-data": {
            "get": {
                "summary": "Published open-data versions with their manifests",
                "tags": ["open data"],
                "responses": {
                    "200": ok(
                        "The versions, newest first",
                        {
                            "type": "object",
                            "required": ["versions"],
                            "properties": {
                                "versions": {"type": "array", "items": ref("OpenDataVersion")}
                            },
                        },
                    )
                },
            }
        },
        "/open-data/dictionary": {
            "get": {
                "summary": "The data dictionary: every field, code list and unit",
                "tags": ["open data"],
                "responses": {
                    "200": ok("The dictionary", {"type": "object", "additionalProperties": True})
                },
            }
        },
    }


OPENAPI_PATHS = _openapi_paths()
