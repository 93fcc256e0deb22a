"""The OpenAPI document describes every route of /api/v1."""

from __future__ import annotations

import re


def documented(client) -> dict[str, set[str]]:
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    return {path: {m.upper() for m in ops} for path, ops in doc["paths"].items()}


def test_every_api_route_is_documented(client, app):
    paths = documented(client)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi_document":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        assert path in paths, f"{path} is not in the OpenAPI document"
        assert methods <= paths[path], f"{path}: {methods - paths[path]} not documented"


def test_every_documented_route_exists(client, app):
    rules = {re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()}
    for path in documented(client):
        assert path in rules, f"{path} is documented but has no route"


def test_schema_references_resolve(client, app):
    doc = client.get("/api/v1/openapi.json").json
    refs = set(
        re.findall(r'"#/components/schemas/([^"]+)"', client.get("/api/v1/openapi.json").text)
    )
    assert refs <= set(doc["components"]["schemas"]), refs - set(doc["components"]["schemas"])
